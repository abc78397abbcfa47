import HemicycleCore

/// Everything the server holds in memory about one sitting: its questions, claims, limits, notes and staff presence.
/// Loaded from the store and updated with what each action stored (the store decides: see `HearingRoom` in the
/// core); the rate limits and the presence live only here.
struct SittingRoom: Sendable {
    var sitting: Sitting
    var board = QuestionBoard()
    var claims = ModerationClaims()
    var notes: [BackstageNote] = []
    /// Staff with a page of this sitting open, by when they were last seen.
    var presence: [StaffMember.ID: (member: StaffMember, seen: Timestamp)] = [:]
    var questionLimits: RateLimiter<String>
    var voteLimits: RateLimiter<String>
    var addressQuestionLimits: RateLimiter<AddressKey>
    var addressVoteLimits: RateLimiter<AddressKey>

    /// - Parameter defaultVotesPerAddress: the server's cap of counted votes per question and address, for a sitting
    ///   that sets none.
    init(sitting: Sitting, defaultVotesPerAddress: Int) {
        self.sitting = sitting
        let s = sitting.settings
        board = QuestionBoard(votesPerAddress: s.effectiveVotesPerAddress(serverDefault: defaultVotesPerAddress))
        questionLimits = RateLimiter(limit: s.questionsPerMinute, periodMilliseconds: 60_000)
        voteLimits = RateLimiter(limit: s.votesPerSecond, periodMilliseconds: 1000)
        addressQuestionLimits = RateLimiter(limit: s.ipQuestionsPerMinute, periodMilliseconds: 60_000)
        addressVoteLimits = RateLimiter(limit: s.ipVotesPerSecond, periodMilliseconds: 1000)
    }

    /// Staff seen in the last 45 seconds (pages send a heartbeat every 20).
    func present(now: Timestamp) -> [StaffMember] {
        presence.values.filter { now.millisecondsSince1970 - $0.seen.millisecondsSince1970 < 45_000 }.map(\.member).sorted { $0.id < $1.id }
    }
}
