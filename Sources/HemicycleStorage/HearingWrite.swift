public import HemicycleCore

/// Changes to one sitting's questions, stored in one transaction by `HearingStore.commitHearing`.
public struct HearingWrite: Sendable {
    /// A vote row: a participant's vote for a question, counted or held, with the tag of the address it came from.
    /// Adding a vote that exists replaces its `held` and `address` (a release, a merge).
    public struct Vote: Sendable, Hashable {
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
