/// A moderator's claim on one question, as stores keep it (one row per question: claiming again replaces it).
public struct QuestionClaim: Sendable, Equatable {
    public let question: Question.ID
    public let claim: ModerationClaims.Claim

    public init(question: Question.ID, claim: ModerationClaims.Claim) {
        self.question = question
        self.claim = claim
    }
}
