/// What happened to one signature in a committed batch.
public enum SignatureOutcome: Sendable, Equatable {
    /// Stored and committed; it counts. `count` is the petition's count right after this batch.
    case accepted(signatureID: Int64, count: Int)
    /// This email already signed this petition.
    case duplicate
    /// Two people of one household (two names) have already signed with this email: no third.
    case householdLimit
    /// Stored unconfirmed: it counts once its emailed link is confirmed.
    case awaitingConfirmation(signatureID: Int64)
    /// Stored but held for review (over a rate limit): it does not count unless a moderator releases it.
    case held(signatureID: Int64)
    /// The petition is not taking signatures.
    case notOpen(PetitionState)
    /// No such petition.
    case notFound
}
