/// What deciding one participant's vote on one question needs, as read from the store: the question (its state; its
/// voters are not loaded), where this participant's vote stands, and how many counted votes it has from the
/// participant's address. Bounded: a vote on a question with 100 000 voters reads three rows, not 100 000.
public struct VoteContext: Sendable, Equatable {
    /// Where a participant's vote on a question stands.
    public enum Standing: Sendable, Equatable {
        case none, counted, held
    }

    /// The question; `voters`, `heldVoters` and `voterAddresses` may be empty (not loaded).
    public var question: Question
    public var standing: Standing
    /// Counted votes on the question from the participant's address tag (0 without an address).
    public var countedFromAddress: Int

    public init(question: Question, standing: Standing, countedFromAddress: Int) {
        self.question = question
        self.standing = standing
        self.countedFromAddress = countedFromAddress
    }

    /// Decides a vote (`on`) or its withdrawal with the rules of `QuestionBoard` (an open question takes one vote
    /// per participant; past `votesPerAddress` counted votes from one address, further ones are held): the vote's
    /// new standing, or the refusal.
    public func decide(on: Bool, hasAddress: Bool, votesPerAddress: Int) throws(QuestionError) -> Standing {
        if on {
            guard question.state.isOpen else { throw .notAllowed(action: "vote", state: question.state.label) }
            guard standing == .none else { throw .alreadyVoted }
            return hasAddress && countedFromAddress >= max(1, votesPerAddress) ? .held : .counted
        }
        guard standing != .none else { throw .notVoted }
        return .none
    }
}
