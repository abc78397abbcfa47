/// Per-sitting limits for questions and votes. Defaults are the documented ones (Protocol/HEARINGS.md).
public struct HearingSettings: Sendable, Equatable {
    /// How questions are published.
    public enum Moderation: String, Sendable, CaseIterable {
        /// A moderator approves each question before the public sees it (the default).
        case pre
        /// Questions are public at once; moderators can still reject them.
        case post
    }

    /// Characters (grapheme clusters) after trimming and NFC normalisation.
    public var maxQuestionLength = 280
    public var questionsPerMinute = 3
    public var votesPerSecond = 5
    /// Per-IP limits, above the per-participant ones (many participants share an address behind a NAT).
    public var ipQuestionsPerMinute = 30
    public var ipVotesPerSecond = 50
    /// Counted votes one question takes from one address (an IPv4 address, an IPv6 /64) before further votes from
    /// it are held for the moderators; nil: the server's default (`--votes-per-address`, 10).
    public var votesPerAddress: Int?
    public var allowAnonymous = true
    public var moderation = Moderation.pre

    public init() {}

    /// The server's default cap of counted votes per question and address.
    public static let defaultVotesPerAddress = 10

    /// This sitting's cap, or `serverDefault` when it sets none.
    public func effectiveVotesPerAddress(serverDefault: Int) -> Int { votesPerAddress ?? serverDefault }
}
