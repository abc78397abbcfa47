import HemicycleCore
import Testing

/// The committee report (Protocol/LEGISLATION.md §8.1): per clause counts, hidden ones by reason, the most supported
/// comments and rewordings, orphaned comments, what was written during the discussion, and the methodology.
@Suite struct CommitteeReportTests {
    let settings = BillSettings()
    let sub1 = LegislationFixtures.eId("sec_1__subsec_1")
    let sub2 = LegislationFixtures.eId("sec_1__subsec_2")
    let bill = Bill(id: Bill.ID(1), title: "Breaks Act", committee: "Health")

    func draft(_ participant: String, kind: BillCommentKind = .comment, text: String, proposed: String? = nil, eId: EId, quote: String? = nil) -> BillCommentDraft {
        BillCommentDraft(participant: participant, kind: kind, text: text, proposedText: proposed, eId: eId, quote: quote.map { TextQuoteSelector(exact: $0) })
    }

    @Test func clausesCarryCountsHiddenByReasonTopCommentsAndTheDiscussion() throws {
        let version = try LegislationFixtures.published(PlainTextBillImporter.read(BillCommentBoardTests.text))
        var board = BillCommentBoard(billID: bill.id)
        let at = LegislationFixtures.at
        // On (1): a comment, a rewording, a question, a rejected one, one held and one withdrawn.
        _ = try board.submit(draft("p1", text: "Too long.", eId: sub1, quote: "3 hours"), id: .init(1), version: version, settings: settings, at: at(1))
        _ = try board.submit(draft("p2", kind: .rewording, text: "Shorter.", proposed: "2 hours", eId: sub1, quote: "3 hours"), id: .init(2), version: version, settings: settings, at: at(2))
        _ = try board.submit(draft("p3", kind: .question, text: "Why three?", eId: sub1), id: .init(3), version: version, settings: settings, at: at(3))
        _ = try board.submit(draft("p4", text: "Buy my pills", eId: sub1), id: .init(4), version: version, settings: settings, at: at(4))
        _ = try board.submit(draft("p5", text: "Not yet seen", eId: sub1), id: .init(5), version: version, settings: settings, at: at(5))
        _ = try board.submit(draft("p6", text: "Changed my mind", eId: sub1), id: .init(6), version: version, settings: settings, at: at(6))
        for id in [1, 2, 3] { _ = try board.apply(.approve, to: .init(Int64(id)), settings: settings, at: at(10)) }
        _ = try board.apply(.reject(reasonCode: "advertising"), to: .init(4), settings: settings, at: at(11))
        _ = try board.apply(.withdraw(participant: "p6"), to: .init(6), settings: settings, at: at(12))
        // Supports: the question is the most supported, then the comment.
        for participant in ["s1", "s2"] { _ = try board.apply(.take(.support, participant: participant), to: .init(3), settings: settings, at: at(13)) }
        _ = try board.apply(.take(.support, participant: "s1"), to: .init(1), settings: settings, at: at(13))
        _ = try board.apply(.take(.oppose, participant: "s3"), to: .init(2), settings: settings, at: at(13))
        // The committee discusses (2); a comment written then is marked.
        _ = try board.moveMarker(to: sub2, in: version, at: at(20))
        _ = try board.submit(draft("p7", text: "Records for how long?", eId: sub2), id: .init(7), version: version, settings: settings, at: at(21))
        _ = try board.apply(.approve, to: .init(7), settings: settings, at: at(22))

        let report = CommitteeReport(bill: bill, version: version, board: board, generatedAt: at(30))
        #expect(report.clauses.map(\.provision.eId) == version.provisions.provisions.map(\.eId), "every provision, in document order")
        let first = try #require(report.clauses.first { $0.provision.eId == sub1 })
        #expect(first.counts == ClauseCounts(comments: 1, rewordings: 1, questions: 1, supports: 3, opposes: 1))
        #expect(first.held == 1)
        #expect(first.rejected == ["advertising": 1])
        #expect(first.withdrawn == 1)
        #expect(first.topComments.map(\.id) == [.init(3), .init(1)], "comments and questions, most supported first")
        #expect(first.topRewordings.map(\.id) == [.init(2)])
        #expect(first.duringDiscussion.isEmpty)
        let second = try #require(report.clauses.first { $0.provision.eId == sub2 })
        #expect(second.duringDiscussion.map(\.id) == [.init(7)])
        #expect(second.counts.comments == 1)
        #expect(report.methodology.states == ["submitted": 1, "published": 4, "rejected": 1, "merged": 0, "withdrawn": 1])
        #expect(report.methodology.rejected == ["advertising": 1])
        #expect(report.methodology.participants == 4, "authors of published comments, counted once each")
        #expect(report.methodology.supports == 3 && report.methodology.opposes == 1)
        #expect(report.methodology.moderation == .pre)
        #expect(report == CommitteeReport(bill: bill, version: version, board: board, generatedAt: at(30)), "deterministic")
    }

    @Test func orphanedCommentsStayOnTheirClauseOrGoToTheBill() throws {
        let v1 = try LegislationFixtures.published(PlainTextBillImporter.read(BillCommentBoardTests.text))
        var board = BillCommentBoard(billID: bill.id)
        let at = LegislationFixtures.at
        _ = try board.submit(draft("p1", text: "Keep three.", eId: sub1, quote: "take a break after 3 hours"), id: .init(1), version: v1, settings: settings, at: at(1))
        _ = try board.submit(draft("p2", text: "Records matter.", eId: sub2), id: .init(2), version: v1, settings: settings, at: at(2))
        for id in [1, 2] { _ = try board.apply(.approve, to: .init(Int64(id)), settings: settings, at: at(3)) }
        let v2Text = """
            Section 1 Breaks
            (1) A chatbot shall show a covered user the clock.
            Section 2 Definitions
            In this Act, a minor is an individual under the age of 17 years.
            """
        let matching = ProvisionMatcher.match(old: v1.provisions, new: try PlainTextBillImporter.read(v2Text).provisions)
        let keyed = matching.keyedTree(version: 2)
        _ = board.carryForward(matching: matching, into: keyed, version: 2)
        var document = try PlainTextBillImporter.read(v2Text)
        document = BillDocument(title: document.title, longTitle: document.longTitle, preamble: document.preamble, provisions: keyed)
        let v2 = try LegislationFixtures.published(document, number: 2)
        let report = CommitteeReport(bill: bill, version: v2, board: board, generatedAt: at(10))
        #expect(report.billLevel.map(\.id) == [.init(2)], "its clause is gone: on the bill as a whole")
        let orphans = report.clauses.flatMap(\.orphaned).map(\.id)
        #expect(board[.init(1)]?.anchorStatus == .orphaned)
        #expect(orphans == [.init(1)], "its passage is gone: kept on its clause (rewritten in place), listed as orphaned")
        #expect(report.clauses.first { $0.provision.eId == sub1 }?.counts.comments == 1)
    }
}
