/// What happened to one signature in a committed batch.
public enum SignatureOutcome: Sendable, Equatable {
    /// Stored and committed; it counts. `count` is the petition's count right after this batch.
    case accepted(signatureID: Int64, count: Int)
    /// This email already signed this petition.
    case duplicate
    /// The petition is not taking signatures.
    case notOpen(PetitionState)
    /// No such petition.
    case notFound
}
