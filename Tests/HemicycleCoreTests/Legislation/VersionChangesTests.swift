import HemicycleCore
import Testing

/// What changed between two versions, clause by clause (`VersionChanges`, `ClauseChange`), and when the clause a
/// comment is on changed (`VersionChanges.lastChange`): LEGISLATION.md §4 and §8.2.
@Suite struct VersionChangesTests {
    typealias F = LegislationFixtures

    /// Versions 1 and 2 of the sample bill, published one after the other with `comments` written on version 1.
    static func sampleVersions(
        comments: [(eId: String, quote: String?)]
    ) throws -> (versions: [BillVersion], board: BillCommentBoard) {
        var versions = [try F.published(F.sampleText())]
        var board = BillCommentBoard(billID: .init(1))
        for (index, comment) in comments.enumerated() {
            let draft = BillCommentDraft(
                participant: "p\(index)", kind: .comment, text: "A comment", eId: F.eId(comment.eId), quote: comment.quote.map { TextQuoteSelector(exact: $0) })
            _ = try board.submit(draft, id: .init(Int64(index + 1)), version: versions[0], settings: BillSettings(), at: F.at(10))
        }
        guard let window = CommentWindow(opens: F.t0, closes: F.t0.adding(days: 1)) else { throw F.FixtureError() }
        versions.append(BillVersion(billID: .init(1), number: 2, document: try F.sampleV2(), window: window))
        _ = try VersionPublisher.publishLatest(versions: &versions, board: &board, acceptUncertain: true, at: F.at(20))
        return (versions, board)
    }

    @Test func theSampleBillsChangesClauseByClause() throws {
        let (versions, _) = try Self.sampleVersions(comments: [])
        let changes = try #require(VersionChanges(to: versions[1], in: versions))
        #expect(changes.from == 1 && changes.to == 2)
        #expect(changes.clauses.count == versions[1].provisions.count, "one entry per provision of the new version")
        #expect(VersionChanges(to: versions[0], in: versions) == nil, "version 1 has no previous version")

        // (c)(1): "3 hours" became "2 hours": one word struck, one inserted, the rest equal.
        let breakClause = try #require(changes[key: F.key("sec_2__subsec_c__para_1")])
        #expect(breakClause.status == .changed && !breakClause.renumbered && breakClause.heading == nil)
        let redline = try #require(breakClause.text)
        #expect(redline.runs.contains(DiffRun(.delete, "3")) && redline.runs.contains(DiffRun(.insert, "2")))
        #expect(redline.wordsDeleted == 1 && redline.wordsInserted == 1)
        let old = try #require(versions[0].provisions[F.eId("sec_2__subsec_c__para_1")])
        #expect(redline.oldText == old.quotableText)

        // Section 1 did not change.
        #expect(changes[key: F.key("sec_1")]?.status == .unchanged)
        #expect(changes[key: F.key("sec_1")]?.text == nil)

        // Old (i) Rule of Construction is now (h): same words, renumbered, its key carried.
        let renumbered = try #require(changes[key: F.key("sec_2__subsec_i")])
        #expect(renumbered.eId == F.eId("sec_2__subsec_h"))
        #expect(renumbered.status == .unchanged && renumbered.renumbered && renumbered.previousLabel == "(i)")
        #expect(renumbered.previousEId == F.eId("sec_2__subsec_i"))

        // (g)(2)(F) "parents and caregivers" is new: all of it inserted.
        let added = try #require(changes.clauses.first { $0.eId == F.eId("sec_2__subsec_g__para_2__point_F") })
        #expect(added.status == .added && added.previousEId == nil)
        #expect(added.text?.runs == [DiffRun(.insert, "parents and caregivers.")])

        // Old (h) Relationship to State Laws is gone.
        #expect(changes.removed.map(\.eId).contains(F.eId("sec_2__subsec_h")))
        #expect(changes.removed.allSatisfy { versions[1].provisions[key: $0.key] == nil })
        #expect(!changes.isEmpty)
        #expect(changes.changed.allSatisfy { $0.status != .unchanged })
    }

    @Test func headingsAndAddedProvisionsDiffAgainstNothing() throws {
        let old = try F.tree("Section 1. Short title\nThis Act may be cited as the Act.\n\nSection 2. Scope\nIt applies.")
        let new = try F.tree("Section 1. Title\nThis Act may be cited as the Act.\n\nSection 2. Scope\nIt applies.\n\nSection 3. Review\nIt is reviewed.")
        let changes = VersionChanges(old: old, new: new, from: 1, to: 2)
        let heading = try #require(changes[key: F.key("sec_1")])
        #expect(heading.status == .changed && heading.text == nil, "only the heading changed")
        #expect(heading.heading?.oldText == "Short title" && heading.heading?.newText == "Title")
        #expect(changes[key: F.key("sec_2")]?.status == .unchanged)
        let added = try #require(changes[key: F.key("sec_3")])
        #expect(added.status == .added && added.heading?.runs == [DiffRun(.insert, "Review")])
        #expect(changes.removed.isEmpty)
        let same = VersionChanges(old: old, new: old, from: 1, to: 2)
        #expect(same.isEmpty && same.changed.isEmpty)
    }

    @Test func aCommentKnowsWhenItsClauseChanged() throws {
        let (versions, board) = try Self.sampleVersions(comments: [
            ("sec_2__subsec_c__para_1", "3 hours"),  // 1: its words changed
            ("sec_1", nil),  // 2: unchanged
            ("sec_2__subsec_i", nil),  // 3: renumbered to (h), same words
            ("sec_2__subsec_h", nil),  // 4: Relationship to State Laws, removed
        ])
        let changed = try #require(board[.init(1)])
        #expect(VersionChanges.lastChange(of: changed, in: versions) == ClauseChangeNotice(version: 2, eId: F.eId("sec_2__subsec_c__para_1"), removed: false))
        #expect(VersionChanges.lastChange(of: try #require(board[.init(2)]), in: versions) == nil)
        #expect(VersionChanges.lastChange(of: try #require(board[.init(3)]), in: versions) == nil, "renumbering alone is not a change of words")
        let removed = try #require(board[.init(4)])
        #expect(removed.currentAnchor == nil, "its clause is gone: the comment is on the bill as a whole")
        #expect(VersionChanges.lastChange(of: removed, in: versions) == ClauseChangeNotice(version: 2, eId: nil, removed: true))
        // A comment written on the current version has nothing to be told.
        var fresh = board
        _ = try fresh.submit(
            BillCommentDraft(participant: "p9", kind: .comment, text: "New", eId: F.eId("sec_2__subsec_c__para_1")), id: .init(9), version: versions[1],
            settings: BillSettings(), at: F.at(30))
        #expect(VersionChanges.lastChange(of: try #require(fresh[.init(9)]), in: versions) == nil)
    }
}
