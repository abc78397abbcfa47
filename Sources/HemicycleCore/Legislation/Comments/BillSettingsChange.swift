/// A clerk's change to a bill's settings (`hemicycle bills settings`, Protocol/LEGISLATION.md §6): each field that is
/// nil leaves its setting as it is.
///
/// `applied(to:)` checks every given value against `BillSettingsChange.bounds` and returns the new settings, or throws
/// the first bad value as `BillSettingsError`: a change is applied whole or not at all.
public struct BillSettingsChange: Sendable, Equatable {
    public var moderation: HearingSettings.Moderation?
    public var maxCommentLength: Int?
    public var maxProposedTextLength: Int?
    public var commentsPerMinute: Int?
    public var stancesPerSecond: Int?
    public var ipCommentsPerMinute: Int?
    public var ipStancesPerSecond: Int?
    public var allowAnonymous: Bool?

    public init(
        moderation: HearingSettings.Moderation? = nil, maxCommentLength: Int? = nil, maxProposedTextLength: Int? = nil,
        commentsPerMinute: Int? = nil, stancesPerSecond: Int? = nil, ipCommentsPerMinute: Int? = nil,
        ipStancesPerSecond: Int? = nil, allowAnonymous: Bool? = nil
    ) {
        self.moderation = moderation
        self.maxCommentLength = maxCommentLength
        self.maxProposedTextLength = maxProposedTextLength
        self.commentsPerMinute = commentsPerMinute
        self.stancesPerSecond = stancesPerSecond
        self.ipCommentsPerMinute = ipCommentsPerMinute
        self.ipStancesPerSecond = ipStancesPerSecond
        self.allowAnonymous = allowAnonymous
    }

    /// The values each integer setting may take, by its name in `BillRecordJSON` and `/bills/{id}.json`. The same
    /// bounds as a sitting's (`PATCH /api/v1/sittings/{id}`) where both have the setting; a comment's length is capped
    /// at 10,000 and a proposed text's at 20,000, the longest text a provision may have.
    public static var bounds: [(name: String, range: ClosedRange<Int>, path: WritableKeyPath<BillSettings, Int>)] {
        [
            ("max_comment_length", 20...10_000, \.maxCommentLength),
            ("max_proposed_text_length", 20...20_000, \.maxProposedTextLength),
            ("comments_per_minute", 1...600, \.commentsPerMinute),
            ("stances_per_second", 1...100, \.stancesPerSecond),
            ("ip_comments_per_minute", 1...100_000, \.ipCommentsPerMinute),
            ("ip_stances_per_second", 1...100_000, \.ipStancesPerSecond),
        ]
    }

    /// The given integer values, by setting name, in the order of `bounds`.
    public var integers: [(String, Int?)] {
        [
            ("max_comment_length", maxCommentLength), ("max_proposed_text_length", maxProposedTextLength),
            ("comments_per_minute", commentsPerMinute), ("stances_per_second", stancesPerSecond),
            ("ip_comments_per_minute", ipCommentsPerMinute), ("ip_stances_per_second", ipStancesPerSecond),
        ]
    }

    /// Whether nothing is asked to change.
    public var isEmpty: Bool { moderation == nil && allowAnonymous == nil && integers.allSatisfy { $0.1 == nil } }

    /// `settings` with this change, or the first value out of its bounds.
    public func applied(to settings: BillSettings) throws(BillSettingsError) -> BillSettings {
        var result = settings
        let given = Dictionary(uniqueKeysWithValues: integers)
        for bound in Self.bounds {
            guard let value = given[bound.name] ?? nil else { continue }
            guard bound.range.contains(value) else { throw .outOfRange(setting: bound.name, value: value, range: bound.range) }
            result[keyPath: bound.path] = value
        }
        if let moderation { result.moderation = moderation }
        if let allowAnonymous { result.allowAnonymous = allowAnonymous }
        return result
    }
}
