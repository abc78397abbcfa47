/// Why a submission or an action on a comment was refused. Nothing changes when one is thrown.
public enum BillCommentError: Error, Sendable, Equatable {
    case notFound(BillComment.ID)
    /// The action does not apply to a comment in this state (approving a rejected one, supporting a submitted one).
    case notAllowed(action: String, state: String)
    /// The version does not take comments now (closed window, not published).
    case version(BillVersionError)
    /// The provision or passage is not in the version.
    case anchor(AnchorError)
    /// A text field is empty, too long, or holds markup or control characters.
    case invalidText(field: String, message: String)
    /// A rewording needs a proposed text.
    case proposedTextRequired
    /// Only a rewording has a proposed text.
    case proposedTextNotAllowed
    /// The proposed text is the text it would replace.
    case rewordingUnchanged
    /// The bill does not take anonymous comments.
    case nameRequired
    /// The reason code is not one of the bill's rejection reasons.
    case unknownReason(String)
    case mergeIntoItself
    /// Only the author can withdraw a comment.
    case notAuthor
    /// A participant cannot support or oppose their own comment.
    case ownComment
    /// The participant already takes this stance on this comment.
    case alreadyTaken(CommentStance)
    /// The participant has no stance to clear.
    case noStance
    /// A comment with this id already exists (the store gave an id twice).
    case duplicateID(BillComment.ID)
    /// The version belongs to another bill than the board (a wiring mistake in the shell).
    case wrongBill(Bill.ID)

    /// The stable error code (`{"error":{"code"}}` at the HTTP edge).
    public var code: String {
        switch self {
        case .notFound: "comment_not_found"
        case .notAllowed: "comment_action_not_allowed"
        case .version(let error): error.code
        case .anchor(let error): error.code
        case .invalidText: "invalid_text"
        case .proposedTextRequired: "proposed_text_required"
        case .proposedTextNotAllowed: "proposed_text_not_allowed"
        case .rewordingUnchanged: "rewording_unchanged"
        case .nameRequired: "name_required"
        case .unknownReason: "unknown_reason"
        case .mergeIntoItself: "merge_into_itself"
        case .notAuthor: "not_author"
        case .ownComment: "own_comment"
        case .alreadyTaken: "stance_already_taken"
        case .noStance: "no_stance"
        case .duplicateID: "duplicate_id"
        case .wrongBill: "wrong_bill"
        }
    }

    /// A sentence for people.
    public var message: String {
        switch self {
        case .notFound(let id): "There is no comment \(id)."
        case .notAllowed(let action, let state): "A \(state) comment cannot take the action \(action)."
        case .version(let error): error.message
        case .anchor(let error): error.message
        case .invalidText(let field, let message): "\(field): \(message)"
        case .proposedTextRequired: "A rewording needs the proposed text."
        case .proposedTextNotAllowed: "Only a rewording has a proposed text."
        case .rewordingUnchanged: "The proposed text is the same as the text it rewords."
        case .nameRequired: "This consultation needs a name with each comment."
        case .unknownReason(let code): "\(code) is not a rejection reason of this bill."
        case .mergeIntoItself: "A comment cannot be merged into itself."
        case .notAuthor: "Only the author can withdraw a comment."
        case .ownComment: "You cannot support or oppose your own comment."
        case .alreadyTaken(let stance): "You already \(stance.rawValue) this comment."
        case .noStance: "You neither support nor oppose this comment."
        case .duplicateID(let id): "Comment \(id) already exists."
        case .wrongBill(let id): "This version belongs to bill \(id)."
        }
    }
}
