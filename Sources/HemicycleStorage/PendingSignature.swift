public import HemicycleCore

/// A validated signature on its way into a batch.
public struct PendingSignature: Sendable, Equatable {
    public var petitionID: Petition.ID
    public var signature: ValidSignature

    public init(petitionID: Petition.ID, signature: ValidSignature) {
        self.petitionID = petitionID
        self.signature = signature
    }
}
