/// What moderators and participants do to comments; `BillCommentBoard.apply` checks and performs them.
public enum BillCommentAction: Sendable, Equatable {
    case approve
    case reject(reasonCode: String)
    /// Moderator edit of the comment's text; the original is kept.
    case edit(text: String)
    /// Moderator edit of a rewording's proposed text; the original is kept.
    case editProposal(text: String)
    /// Merge this comment (a duplicate) into another: supports and opposes are united, each participant once.
    case merge(into: BillComment.ID)
    /// The author withdraws their comment.
    case withdraw(participant: String)
    /// A participant supports or opposes a published comment (switching sides is allowed).
    case take(CommentStance, participant: String)
    /// A participant withdraws their support or opposition.
    case clearStance(participant: String)

    /// The name used in the moderation log, audit log and errors.
    public var name: String {
        switch self {
        case .approve: "approve"
        case .reject: "reject"
        case .edit: "edit"
        case .editProposal: "edit_proposal"
        case .merge: "merge"
        case .withdraw: "withdraw"
        case .take(let stance, _): stance.rawValue
        case .clearStance: "clear_stance"
        }
    }
}
