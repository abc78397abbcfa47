/// What moderators, the chair and participants do to questions; `QuestionBoard.apply` checks and performs them.
public enum QuestionAction: Sendable, Equatable {
    case approve
    case reject(reasonCode: String)
    case edit(text: String)
    /// Merge this question (a duplicate) into another: votes are united, this one links to the survivor.
    case merge(into: Question.ID)
    case tag(String?)
    case setPriority(Int)
    case withdraw
    case putOnScreen
    case markAnswered(at: Timestamp, streamOffsetSeconds: Int?)
    /// A participant's vote, from the address with tag `address` (nil: untracked, never held). It is held when that
    /// address already has `QuestionBoard.votesPerAddress` counted votes on the question.
    case vote(participant: String, address: String? = nil)
    case unvote(participant: String)
    /// A moderator counts every held vote of the question.
    case releaseHeldVotes

    /// The name used in the moderation log, audit log and errors.
    public var name: String {
        switch self {
        case .approve: "approve"
        case .reject: "reject"
        case .edit: "edit"
        case .merge: "merge"
        case .tag: "tag"
        case .setPriority: "priority"
        case .withdraw: "withdraw"
        case .putOnScreen: "on_screen"
        case .markAnswered: "answered"
        case .vote: "vote"
        case .unvote: "unvote"
        case .releaseHeldVotes: "release_votes"
        }
    }
}
