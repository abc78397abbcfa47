public import HemicycleCore

/// The result of one committed batch.
public struct SignatureBatchResult: Sendable, Equatable {
    /// One per input signature, in order.
    public var outcomes: [SignatureOutcome]
    /// Per petition that gained signatures: its count after the batch and the thresholds it reached in it.
    public var changes: [CountChange]

    public init(outcomes: [SignatureOutcome], changes: [CountChange]) {
        self.outcomes = outcomes
        self.changes = changes
    }

    /// A petition's new count after a batch.
    public struct CountChange: Sendable, Equatable {
        public var petitionID: Petition.ID
        public var signatureCount: Int
        public var thresholdsReached: [Threshold]

        public init(petitionID: Petition.ID, signatureCount: Int, thresholdsReached: [Threshold]) {
            self.petitionID = petitionID
            self.signatureCount = signatureCount
            self.thresholdsReached = thresholdsReached
        }
    }
}
