/// A hearing action refused by the core, with the code clients see (Protocol/HEARINGS.md's error table). Only
/// HemicycleApp maps it to HTTP, in one place (`APIError.init(_: HearingError)`).
public struct HearingError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// 404: the question or sitting does not exist (or cannot be seen).
        case notFound
        /// 403: the actor may not do this.
        case forbidden
        /// 409: the state forbids it now.
        case conflict
        /// 422: a field is wrong (`field`).
        case invalid
    }

    public let kind: Kind
    public let code: String
    public let message: String
    /// The field at fault, for `invalid`.
    public let field: String?

    public init(_ kind: Kind, _ code: String, _ message: String, field: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
    }

    public static func notFound(_ what: String) -> HearingError { HearingError(.notFound, "not_found", "\(what) does not exist.") }
    public static func forbidden(_ message: String) -> HearingError { HearingError(.forbidden, "forbidden", message) }
    public static func invalid(_ field: String, _ message: String) -> HearingError { HearingError(.invalid, "invalid_input", message, field: field) }

    /// A refusal of the board (`QuestionBoard`, `VoteContext`) as clients see it.
    public init(_ error: QuestionError) {
        switch error {
        case .notFound: self = .notFound("This question")
        case .notAllowed(let action, let state):
            self.init(.conflict, "question_state_conflict", "Cannot \(action) this question: it is \(state.split(separator: "_").joined(separator: " ")) now.")
        case .alreadyVoted: self.init(.conflict, "already_voted", "You have already voted for this question.")
        case .notVoted: self.init(.conflict, "not_voted", "You have not voted for this question.")
        case .mergeIntoItself: self = .invalid("into", "A question cannot be merged into itself.")
        case .emptyText: self = .invalid("text", "This cannot be empty.")
        case .noHeldVotes: self.init(.conflict, "no_held_votes", "This question has no held votes to release.")
        }
    }
}
