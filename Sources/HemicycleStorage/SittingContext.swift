public import HemicycleCore

/// What deciding one action on a sitting reads of the stored state (`SittingReads.context(for:participant:now:)`):
/// the sitting, the questions the command names (and the one on screen when it reads the screen), with their voters,
/// the live claims on the question it acts on, and, for a participant's vote, its `VoteContext`.
public struct SittingContext: Sendable, Equatable {
    /// The stored sitting, or `nil` when there is none (then nothing else is read).
    public var sitting: Sitting?
    public var questions: [Question]
    public var claims: [QuestionClaim]
    public var vote: VoteContext?

    public init(sitting: Sitting?, questions: [Question] = [], claims: [QuestionClaim] = [], vote: VoteContext? = nil) {
        self.sitting = sitting
        self.questions = questions
        self.claims = claims
        self.vote = vote
    }
}
