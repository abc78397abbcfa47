import HemicycleCore
import Testing

@Suite struct BillSettingsChangeTests {
    @Test func aChangeSetsWhatItNamesAndKeepsTheRest() throws {
        var base = BillSettings()
        base.maxCommentLength = 700
        let change = BillSettingsChange(moderation: .post, commentsPerMinute: 600, ipCommentsPerMinute: 100_000, allowAnonymous: false)
        let result = try change.applied(to: base)
        #expect(result.moderation == .post)
        #expect(result.commentsPerMinute == 600)
        #expect(result.ipCommentsPerMinute == 100_000)
        #expect(result.allowAnonymous == false)
        #expect(result.maxCommentLength == 700, "not named, kept")
        #expect(result.stancesPerSecond == base.stancesPerSecond)
        #expect(result.rejectionReasons == base.rejectionReasons)
        #expect(!change.isEmpty)
        #expect(BillSettingsChange().isEmpty)
        #expect(try BillSettingsChange().applied(to: base) == base)
    }

    @Test(arguments: [
        (BillSettingsChange(maxCommentLength: 19), "max_comment_length"),
        (BillSettingsChange(maxCommentLength: 10_001), "max_comment_length"),
        (BillSettingsChange(maxProposedTextLength: 20_001), "max_proposed_text_length"),
        (BillSettingsChange(commentsPerMinute: 0), "comments_per_minute"),
        (BillSettingsChange(commentsPerMinute: 601), "comments_per_minute"),
        (BillSettingsChange(stancesPerSecond: 101), "stances_per_second"),
        (BillSettingsChange(ipCommentsPerMinute: -3), "ip_comments_per_minute"),
        (BillSettingsChange(ipStancesPerSecond: 100_001), "ip_stances_per_second"),
        // A good value beside a bad one: the whole change is refused.
        (BillSettingsChange(moderation: .post, commentsPerMinute: 5, stancesPerSecond: 0), "stances_per_second"),
    ])
    func aValueOutOfBoundsIsRefusedWithItsName(change: BillSettingsChange, setting: String) {
        #expect {
            _ = try change.applied(to: BillSettings())
        } throws: { error in
            guard let error = error as? BillSettingsError, case .outOfRange(let name, _, let range) = error else { return false }
            return name == setting && error.code == "invalid_setting" && error.message.contains("from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    @Test func theBoundsAreTheEdgesInclusive() throws {
        for bound in BillSettingsChange.bounds {
            var low = BillSettingsChange(), high = BillSettingsChange()
            switch bound.name {
            case "max_comment_length": low.maxCommentLength = bound.range.lowerBound; high.maxCommentLength = bound.range.upperBound
            case "max_proposed_text_length": low.maxProposedTextLength = bound.range.lowerBound; high.maxProposedTextLength = bound.range.upperBound
            case "comments_per_minute": low.commentsPerMinute = bound.range.lowerBound; high.commentsPerMinute = bound.range.upperBound
            case "stances_per_second": low.stancesPerSecond = bound.range.lowerBound; high.stancesPerSecond = bound.range.upperBound
            case "ip_comments_per_minute": low.ipCommentsPerMinute = bound.range.lowerBound; high.ipCommentsPerMinute = bound.range.upperBound
            case "ip_stances_per_second": low.ipStancesPerSecond = bound.range.lowerBound; high.ipStancesPerSecond = bound.range.upperBound
            default: Issue.record("a bound without a field: \(bound.name)")
            }
            #expect(try low.applied(to: BillSettings())[keyPath: bound.path] == bound.range.lowerBound)
            #expect(try high.applied(to: BillSettings())[keyPath: bound.path] == bound.range.upperBound)
        }
        #expect(BillSettingsChange.bounds.count == BillSettingsChange().integers.count)
    }
}
