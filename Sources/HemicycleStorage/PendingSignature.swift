public import HemicycleCore

/// A validated signature on its way into a batch.
public struct PendingSignature: Sendable, Equatable {
    public var petitionID: Petition.ID
    public var signature: ValidSignature
    /// With email confirmation: the signature is stored unconfirmed (not counted) with this token and email.
    public var confirmation: Confirmation?

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

    public init(petitionID: Petition.ID, signature: ValidSignature, confirmation: Confirmation? = nil) {
        self.petitionID = petitionID
        self.signature = signature
        self.confirmation = confirmation
    }
}
