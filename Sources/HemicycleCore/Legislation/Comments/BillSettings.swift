/// Per-bill limits and moderation for comments. Defaults are the documented ones (Protocol/LEGISLATION.md), in line
/// with hearings (`HearingSettings`).
public struct BillSettings: Sendable, Equatable {
    /// Pre-moderation (the default): a moderator approves each comment before the public sees it.
    public var moderation = HearingSettings.Moderation.pre
    /// Characters (grapheme clusters) of a comment, after trimming and NFC normalisation.
    public var maxCommentLength = 1_000
    /// Characters of a proposed rewording.
    public var maxProposedTextLength = 4_000
    public var commentsPerMinute = 3
    public var stancesPerSecond = 5
    /// Per-address limits (`AddressKey`), above the per-participant ones.
    public var ipCommentsPerMinute = 30
    public var ipStancesPerSecond = 50
    public var allowAnonymous = true
    /// The coded reasons a moderator may reject with.
    public var rejectionReasons = RejectionReason.legislation

    public init() {}
}
