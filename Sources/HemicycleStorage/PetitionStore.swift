public import HemicycleCore

/// The petition lifecycle beyond signing (Protocol/PETITIONS.md): creation with the creator's confirmation,
/// supporters, moderation and single-use email tokens (the mail they send goes to the `OutboxStore`).
///
/// Contracts: each write is one durable transaction; mail queued by a write (`mail`) is stored in the same
/// transaction, so a change and its email happen together or not at all; a token is used at most once.
public protocol PetitionStore: Sendable {
    /// Stores a new `pending` petition and its creator's (unconfirmed) signature, the creator's confirmation token
    /// (whose `subject` becomes the creator's signature id) and the email. Assigns the id.
    func createPetition(_ petition: Petition, creator: ValidSignature, sponsorToken: String, token: EmailToken, mail: OutgoingMail) async throws -> Petition
    /// Replaces a petition's lifecycle fields (state, stamps, rejection, response, debate). `StoreError(.notFound)`
    /// for an unknown id.
    func updatePetition(_ petition: Petition, audit: AuditEntry?) async throws
    /// The supporter link's token of a petition (nil for petitions without one, like the demo).
    func sponsorToken(of petition: Petition.ID) async throws -> String?
    /// Stores a supporter's signature (not yet confirmed) with its token (whose `subject` becomes the signature id)
    /// and email.
    /// Throws `StoreError(.conflict)` if this email already supports or signed the petition.
    func addSupporter(_ petition: Petition.ID, signature: ValidSignature, token: EmailToken, mail: OutgoingMail, now: Timestamp) async throws
    /// Uses a token: marks it used and returns its purpose and subject, or nil if unknown, used or expired.
    /// Throws `StoreError.notOpen(state)`, leaving the token unused, when the petition of its signature no longer
    /// takes what it confirms: a signer's signature on a petition that is not open, a creator's or supporter's on a
    /// petition in a final state (`PetitionState.isFinal`). Such a link stays refused: those states are never left.
    func useToken(hash: String, now: Timestamp) async throws -> EmailToken?
    /// Confirms a creator's or supporter's signature (it then counts): returns its petition and the number of
    /// confirmed supporters (the creator not included). Confirming twice changes nothing. Throws
    /// `StoreError.notOpen(state)`, changing nothing, when the petition is in a final state.
    func confirmSponsorSignature(_ id: Int64, now: Timestamp) async throws -> (petition: Petition.ID, supporters: Int)
    /// Confirms a signer's signature (it then counts): the petition's new count and any threshold crossed, or nil if
    /// it was already confirmed (confirming twice counts once). `StoreError(.notFound)` for an unknown id;
    /// `StoreError.notOpen(state)`, changing nothing (no count, no tally), when the petition is not open.
    func confirmSignature(_ id: Int64, now: Timestamp) async throws -> SignatureBatchResult.CountChange?
    /// Open petitions whose closing time has passed.
    func petitionsToClose(now: Timestamp) async throws -> [Petition]
    /// Erases the personal data of every petition that reached a final state (closed, rejected, hidden or abandoned:
    /// `Petition.endedAt`) at or before `endedBefore` and was not anonymised yet: each signature's name, email,
    /// postcode and address (signers, the creator and supporters alike; country and constituency stay for the
    /// counts) and the petition's creator name. Counts, tallies and states do not change. Returns how many
    /// signatures it anonymised; a petition is anonymised once.
    func anonymise(endedBefore: Timestamp) async throws -> Int
}

/// A single-use token sent by email: only its hash is stored.
public struct EmailToken: Sendable, Equatable {
    public enum Purpose: String, Sendable {
        case creator, supporter, signature
    }

    public var hash: String
    public var purpose: Purpose
    /// The signature it confirms (the creator's, a supporter's, or a signer's).
    public var subject: Int64
    public var expiresAt: Timestamp

    public init(hash: String, purpose: Purpose, subject: Int64, expiresAt: Timestamp) {
        self.hash = hash
        self.purpose = purpose
        self.subject = subject
        self.expiresAt = expiresAt
    }
}

/// An email to send: one message to one recipient.
public struct OutgoingMail: Sendable, Equatable {
    /// What a message is for. Signature confirmations go out before any other mail (`priority`).
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A signer's confirmation link.
        case signature
        /// A petition creator's confirmation link.
        case creator
        /// A supporter's confirmation link.
        case supporter
        case other

        /// Lower goes first: 0 for signature confirmations, 1 for everything else.
        public var priority: Int { self == .signature ? 0 : 1 }
    }

    public var to: String
    public var subject: String
    public var body: String
    public var kind: Kind
    /// A keyed hash of the recipient (never the address itself) under which the per-recipient limit counts this
    /// message; it outlives the erased address for the limit's window (`PetitionStore.pruneOutbox`). Nil: not counted.
    public var recipientKey: String?

    public init(to: String, subject: String, body: String, kind: Kind = .other, recipientKey: String? = nil) {
        self.to = to
        self.subject = subject
        self.body = body
        self.kind = kind
        self.recipientKey = recipientKey
    }
}

/// An email waiting in the outbox.
public struct QueuedMail: Sendable, Equatable {
    public var id: Int64
    public var mail: OutgoingMail
    public var attempts: Int

    public init(id: Int64, mail: OutgoingMail, attempts: Int) {
        self.id = id
        self.mail = mail
        self.attempts = attempts
    }
}
