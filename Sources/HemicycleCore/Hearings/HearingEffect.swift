/// What a decided hearing action asks the shell to do: store (all of one action's effects in one transaction), then
/// publish. Like `BillCommentEffect`, the core names what changed; the shell knows how to write and publish it.
public enum HearingEffect: Sendable, Equatable {
    /// Store the question's fields (not its voters) and publish it; `wasPublished`: the public saw it before.
    case questionChanged(Question, wasPublished: Bool)
    /// Store these vote rows (a merge or a release moves many at once).
    case votesStored(added: [QuestionVote], removed: [QuestionVote])
    /// A participant's vote now stands at `standing` (from `previous`): store its row (removed when `none`).
    case voteCast(question: Question.ID, participant: String, address: String, standing: VoteContext.Standing, previous: VoteContext.Standing)
    /// A decision for the public moderation log: store it, publish it as `moderated`.
    case logged(ModerationLogEntry)
    /// An entry for the staff audit log by the acting staff member; `entry` is the decision it records, if any.
    case audited(action: String, subject: String, entry: ModerationLogEntry?)
    /// A claim made or renewed: store it, publish it.
    case claimed(QuestionClaim)
    /// The claim on the question ended (its holder acted on the question, or released it).
    case claimEnded(Question.ID)
    /// The sitting changed (its state): store it, publish it.
    case sittingChanged(Sitting)
    /// What is on screen changed (nil: nothing is): publish `on_screen`.
    case screenChanged(Question?)
    /// Votes moved between counted and held or between questions: publish the public votes and the held votes.
    case votesMoved
}
