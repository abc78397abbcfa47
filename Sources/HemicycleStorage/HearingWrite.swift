public import HemicycleCore

/// Changes to one sitting's questions, stored in one transaction by `HearingStore.commitHearing`.
public struct HearingWrite: Sendable {
    /// A vote row (`QuestionVote`, in the core: the core's effects name votes too).
    public typealias Vote = QuestionVote

    /// Questions whose fields changed (voters are not written from here: see `votesAdded`/`votesRemoved`).
    public var questions: [Question] = []
    public var votesAdded: [Vote] = []
    public var votesRemoved: [Vote] = []
    public var moderation: [ModerationLogEntry] = []
    public var audit: [AuditEntry] = []
    /// A changed sitting (its state, say), stored with the rest.
    public var sitting: Sitting?
    /// Claims made or renewed: each replaces any claim on its question.
    public var claims: [QuestionClaim] = []
    /// Questions whose claim ends (released, or their holder acted); applied before `claims`.
    public var claimsEnded: [Question.ID] = []

    public init() {}

    public var isEmpty: Bool {
        questions.isEmpty && votesAdded.isEmpty && votesRemoved.isEmpty && moderation.isEmpty && audit.isEmpty && sitting == nil && claims.isEmpty
            && claimsEnded.isEmpty
    }
}
