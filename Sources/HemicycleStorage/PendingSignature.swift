public import HemicycleCore

/// A validated signature on its way into a batch.
public struct PendingSignature: Sendable, Equatable {
    public var petitionID: Petition.ID
    public var signature: ValidSignature
    /// With email confirmation: the signature is stored unconfirmed (not counted) with this token and email.
    public var confirmation: Confirmation?
    /// The client's IP address (kept for staff: rate limits, bulk invalidation by range).
    public var address: String?
    /// Over a rate limit: stored `held` (not counted, no mail) for a moderator to release or invalidate.
    public var held = false

    /// What confirming a signature by email needs: the token's hash and expiry, and the email carrying the token.
    public struct Confirmation: Sendable, Equatable {
        public var tokenHash: String
        public var expiresAt: Timestamp
        public var mail: OutgoingMail

        public init(tokenHash: String, expiresAt: Timestamp, mail: OutgoingMail) {
            self.tokenHash = tokenHash
            self.expiresAt = expiresAt
            self.mail = mail
        }
    }

    public init(petitionID: Petition.ID, signature: ValidSignature, confirmation: Confirmation? = nil, address: String? = nil, held: Bool = false) {
        self.petitionID = petitionID
        self.signature = signature
        self.confirmation = confirmation
        self.address = address
        self.held = held
    }
}

extension PendingSignature {
    /// This signature as the core's batch decision sees it (`SignatureBatchDecision`): it counts when stored unless
    /// it is held or waits for its email confirmation.
    public var decisionItem: SignatureBatchDecision.Item {
        SignatureBatchDecision.Item(petitionID: petitionID, signature: signature, counts: !held && confirmation == nil)
    }
}
