/// A vote row: a participant's vote for a question, counted or held, with the tag of the address it came from.
/// Storing a vote that exists replaces its `held` and `address` (a release, a merge).
public struct QuestionVote: Sendable, Hashable {
    public let question: Question.ID
    public let participant: String
    public let held: Bool
    public let address: String?

    public init(question: Question.ID, participant: String, held: Bool = false, address: String? = nil) {
        self.question = question
        self.participant = participant
        self.held = held
        self.address = address
    }
}
