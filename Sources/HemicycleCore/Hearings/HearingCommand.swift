/// An action on one sitting that the core decides (`HearingRoom.handle`) on the stored state.
public enum HearingCommand: Sendable, Equatable {
    /// The author withdraws their question.
    case withdraw(Question.ID)
    /// A moderator's action (approve, reject, edit, merge, tag, priority, release held votes).
    case moderate(Question.ID, QuestionAction)
    /// The chair puts a question on screen.
    case putOnScreen(Question.ID)
    /// The chair clears the screen.
    case clearScreen
    /// The chair marks a question answered.
    case markAnswered(Question.ID)
    /// A moderator claims (or renews the claim on) a question.
    case claim(Question.ID)
    /// A moderator releases their claim.
    case release(Question.ID)
    /// A participant votes (`on`) or withdraws their vote, from the address with tag `address`.
    case vote(Question.ID, on: Bool, address: String)
    /// The chair starts or ends the sitting.
    case setState(SittingState)

    /// The stored questions the command reads (a vote reads its `VoteContext` instead).
    public var questions: Set<Question.ID> {
        switch self {
        case .withdraw(let id), .putOnScreen(let id), .markAnswered(let id): [id]
        case .moderate(let id, .merge(let target)): [id, target]
        case .moderate(let id, _): [id]
        case .claim, .release, .vote, .clearScreen, .setState: []
        }
    }

    /// Whether the command reads the question on screen.
    public var readsScreen: Bool {
        switch self {
        case .putOnScreen, .clearScreen: true
        default: false
        }
    }

    /// The question whose claims the command reads (acting on a question ends the actor's claim on it).
    public var claimedQuestion: Question.ID? {
        switch self {
        case .moderate(let id, _), .putOnScreen(let id), .markAnswered(let id), .claim(let id), .release(let id): id
        case .withdraw, .vote, .clearScreen, .setState: nil
        }
    }
}
