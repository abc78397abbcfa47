/// Why an action on a question was refused. Nothing changes when one is thrown.
public enum QuestionError: Error, Sendable, Equatable {
    case notFound(Question.ID)
    /// The action does not apply to a question in this state (e.g. approving a rejected one).
    case notAllowed(action: String, state: String)
    case alreadyVoted
    case notVoted
    case mergeIntoItself
    case emptyText
    /// Releasing held votes of a question that has none.
    case noHeldVotes
}
