import HemicycleCore
import Testing

@Suite struct BillCommentBoardTests {
    static let text = """
        Section 1 Breaks
        (1) A chatbot shall advise a covered user to take a break after 3 hours.
        (2) Providers shall keep records.
        Section 2 Definitions
        In this Act, a minor is an individual under the age of 17 years.
        """
    let settings = BillSettings()
    let sub1 = LegislationFixtures.eId("sec_1__subsec_1")
    let sub2 = LegislationFixtures.eId("sec_1__subsec_2")

    func version() throws -> BillVersion {
        try LegislationFixtures.published(PlainTextBillImporter.read(Self.text))
    }

    func draft(
        _ participant: String = "p1", kind: BillCommentKind = .comment, text: String = "Three hours is too long.",
        proposed: String? = nil, eId: EId? = nil, quote: String? = nil
    ) -> BillCommentDraft {
        BillCommentDraft(
            participant: participant, kind: kind, text: text, proposedText: proposed, eId: eId ?? sub1,
            quote: quote.map { TextQuoteSelector(exact: $0) })
    }

    func refusal(_ draft: BillCommentDraft, board: BillCommentBoard? = nil, version: BillVersion? = nil, settings: BillSettings? = nil, at: Int64 = 10) throws -> BillCommentError? {
        var board = board ?? BillCommentBoard(billID: Bill.ID(1))
        let before = board
        let target = try version ?? self.version()
        do {
            _ = try board.submit(draft, id: BillComment.ID(99), version: target, settings: settings ?? self.settings, at: LegislationFixtures.at(at))
            return nil
        } catch {
            #expect(board == before, "a refused submission changes nothing")
            return error
        }
    }

    @Test func aSubmissionIsCheckedThenHeldForModeration() throws {
        var board = BillCommentBoard(billID: Bill.ID(1))
        let effects = try board.submit(draft(quote: "3 hours"), id: BillComment.ID(1), version: version(), settings: settings, at: LegislationFixtures.at(10))
        #expect(effects == [.stored(BillComment.ID(1))], "pre-moderation: stored, nothing published")
        let comment = try #require(board[BillComment.ID(1)])
        #expect(comment.state == .submitted)
        #expect(comment.anchor.quote?.exact == "3 hours")
        #expect(comment.anchor.version == 1)
        #expect(comment.currentAnchor == comment.anchor)
        #expect(comment.anchorStatus == nil)
        #expect(board.counts(for: ProvisionKey(sub1)) == ClauseCounts(), "nothing counted before approval")
    }

    @Test func badSubmissionsAreRefusedWithCodes() throws {
        #expect(try refusal(draft(text: "  ")) == .invalidText(field: "text", message: "This cannot be empty."))
        #expect(try refusal(draft(text: "<b>hi</b>"))?.code == "invalid_text")
        #expect(try refusal(draft(text: String(repeating: "x", count: 1_001)))?.code == "invalid_text")
        #expect(try refusal(draft(kind: .rewording)) == .proposedTextRequired)
        #expect(try refusal(draft(kind: .rewording, proposed: "  ")) == .proposedTextRequired)
        #expect(try refusal(draft(kind: .comment, proposed: "Other words.")) == .proposedTextNotAllowed)
        #expect(try refusal(draft(kind: .rewording, proposed: "3 hours", quote: "3 hours")) == .rewordingUnchanged)
        #expect(try refusal(draft(eId: LegislationFixtures.eId("sec_9"))) == .anchor(.unknownProvision(LegislationFixtures.eId("sec_9"))))
        #expect(try refusal(draft(quote: "four hours")) == .anchor(.quoteNotFound))
        #expect(try refusal(draft(quote: "records"))?.code == "quote_not_found", "a quote from another provision")
        #expect(try refusal(draft(), at: -5)?.code == "window_not_open")
        #expect(try refusal(draft(), at: 86_400)?.code == "window_closed")
        var closed = BillSettings()
        closed.allowAnonymous = false
        #expect(try refusal(draft(), settings: closed) == .nameRequired)
        var named = draft()
        named.name = "<script>"
        #expect(try refusal(named)?.code == "invalid_text")
        let draftVersion = BillVersion(
            billID: Bill.ID(1), number: 1, document: try PlainTextBillImporter.read(Self.text),
            window: try #require(CommentWindow(opens: LegislationFixtures.t0, closes: LegislationFixtures.at(100))))
        #expect(try refusal(draft(), version: draftVersion) == .version(.notPublished(state: .draft)))
        var board = BillCommentBoard(billID: Bill.ID(1))
        _ = try board.submit(draft(), id: BillComment.ID(99), version: version(), settings: settings, at: LegislationFixtures.at(1))
        #expect(try refusal(draft(), board: board) == .duplicateID(BillComment.ID(99)))
        #expect(try refusal(draft(), board: BillCommentBoard(billID: Bill.ID(2))) == .wrongBill(Bill.ID(1)))
    }

    @Test func moderationFollowsTheStateMachine() throws {
        var board = BillCommentBoard(billID: Bill.ID(1))
        let version = try version()
        let a = BillComment.ID(1), b = BillComment.ID(2)
        _ = try board.submit(draft(), id: a, version: version, settings: settings, at: LegislationFixtures.at(1))
        _ = try board.submit(draft("p2", kind: .question, text: "Why three?"), id: b, version: version, settings: settings, at: LegislationFixtures.at(2))
        let approved = try board.apply(.approve, to: a, settings: settings, at: LegislationFixtures.at(3))
        let key = ProvisionKey(sub1)
        #expect(approved == [
            .updated(a), .published(a), .countsChanged(key),
            .logged(BillModerationLogEntry(billID: Bill.ID(1), commentID: a, action: "approve", state: "published", at: LegislationFixtures.at(3))),
        ])
        #expect(board.counts(for: key) == ClauseCounts(comments: 1))
        let before = board
        #expect(throws: BillCommentError.notAllowed(action: "approve", state: "published")) { try board.apply(.approve, to: a, settings: settings, at: LegislationFixtures.at(4)) }
        #expect(throws: BillCommentError.unknownReason("rude")) { try board.apply(.reject(reasonCode: "rude"), to: a, settings: settings, at: LegislationFixtures.at(4)) }
        #expect(throws: BillCommentError.notFound(BillComment.ID(9))) { try board.apply(.approve, to: BillComment.ID(9), settings: settings, at: LegislationFixtures.at(4)) }
        #expect(board == before, "refused actions change nothing")
        let rejected = try board.apply(.reject(reasonCode: "off_topic"), to: a, settings: settings, at: LegislationFixtures.at(5))
        #expect(rejected.contains(.unpublished(a)))
        #expect(rejected.contains(.countsChanged(key)))
        #expect(board[a]?.state == .rejected(reasonCode: "off_topic"))
        #expect(board.counts(for: key) == ClauseCounts())
        #expect(board.rejectedByReason(for: key) == ["off_topic": 1])
        #expect(throws: BillCommentError.notAllowed(action: "edit", state: "rejected")) { try board.apply(.edit(text: "x"), to: a, settings: settings, at: LegislationFixtures.at(6)) }
        #expect(throws: BillCommentError.notAuthor) { try board.apply(.withdraw(participant: "p1"), to: b, settings: settings, at: LegislationFixtures.at(6)) }
        _ = try board.apply(.withdraw(participant: "p2"), to: b, settings: settings, at: LegislationFixtures.at(6))
        #expect(board[b]?.state == .withdrawn)
        #expect(board.stateCounts.map(\.count) == [0, 0, 1, 0, 1])
    }

    @Test func postModerationPublishesAtOnce() throws {
        var post = BillSettings()
        post.moderation = .post
        var board = BillCommentBoard(billID: Bill.ID(1))
        let effects = try board.submit(draft(), id: BillComment.ID(1), version: version(), settings: post, at: LegislationFixtures.at(1))
        #expect(effects.contains(.published(BillComment.ID(1))))
        #expect(effects.contains(.countsChanged(ProvisionKey(sub1))))
        #expect(board[BillComment.ID(1)]?.state == .published)
    }

    @Test func editsKeepTheOriginalAndRewordingsShowARedline() throws {
        var board = BillCommentBoard(billID: Bill.ID(1))
        let version = try version()
        let id = BillComment.ID(1)
        _ = try board.submit(
            draft(kind: .rewording, text: "Shorter.", proposed: "2 hours", quote: "3 hours"), id: id, version: version, settings: settings,
            at: LegislationFixtures.at(1))
        _ = try board.apply(.edit(text: "Two hours is enough."), to: id, settings: settings, at: LegislationFixtures.at(2))
        _ = try board.apply(.edit(text: "Two hours are enough."), to: id, settings: settings, at: LegislationFixtures.at(3))
        _ = try board.apply(.editProposal(text: "two hours"), to: id, settings: settings, at: LegislationFixtures.at(4))
        let comment = try #require(board[id])
        #expect(comment.originalText == "Shorter.")
        #expect(comment.text == "Two hours are enough.")
        #expect(comment.originalProposedText == "2 hours")
        #expect(comment.isEdited)
        let redline = try #require(comment.rewordingRedline(in: version.provisions))
        #expect(redline.runs == [DiffRun(.delete, "3"), DiffRun(.insert, "two"), DiffRun(.equal, " hours")])
        let whole = try #require(
            BillComment(
                id: BillComment.ID(2), billID: Bill.ID(1), participant: "p", kind: .rewording, text: "t", proposedText: "Providers shall keep full records.",
                anchor: CommentAnchor(version: 1, eId: sub2, key: ProvisionKey(sub2)), submittedAt: LegislationFixtures.t0
            ).rewordingRedline(in: version.provisions))
        #expect(whole.newText == "Providers shall keep full records.")
        #expect(whole.oldText == "Providers shall keep records.")
        #expect(throws: BillCommentError.notAllowed(action: "edit_proposal", state: "submitted")) {
            var copy = board
            _ = try copy.submit(draft(), id: BillComment.ID(5), version: version, settings: settings, at: LegislationFixtures.at(5))
            _ = try copy.apply(.editProposal(text: "x"), to: BillComment.ID(5), settings: settings, at: LegislationFixtures.at(5))
        }
    }

    @Test func oneStancePerParticipantPerComment() throws {
        var board = BillCommentBoard(billID: Bill.ID(1))
        let id = BillComment.ID(1)
        _ = try board.submit(draft(), id: id, version: version(), settings: settings, at: LegislationFixtures.at(1))
        #expect(throws: BillCommentError.notAllowed(action: "support", state: "submitted")) {
            try board.apply(.take(.support, participant: "p2"), to: id, settings: settings, at: LegislationFixtures.at(2))
        }
        _ = try board.apply(.approve, to: id, settings: settings, at: LegislationFixtures.at(2))
        _ = try board.apply(.take(.support, participant: "p2"), to: id, settings: settings, at: LegislationFixtures.at(3))
        #expect(throws: BillCommentError.alreadyTaken(.support)) { try board.apply(.take(.support, participant: "p2"), to: id, settings: settings, at: LegislationFixtures.at(3)) }
        #expect(throws: BillCommentError.ownComment) { try board.apply(.take(.support, participant: "p1"), to: id, settings: settings, at: LegislationFixtures.at(3)) }
        _ = try board.apply(.take(.oppose, participant: "p2"), to: id, settings: settings, at: LegislationFixtures.at(4))
        #expect(board[id]?.supports == 0)
        #expect(board[id]?.opposes == 1, "switching sides keeps one stance")
        _ = try board.apply(.take(.support, participant: "p3"), to: id, settings: settings, at: LegislationFixtures.at(5))
        #expect(board.counts(for: ProvisionKey(sub1)) == ClauseCounts(comments: 1, supports: 1, opposes: 1))
        _ = try board.apply(.clearStance(participant: "p2"), to: id, settings: settings, at: LegislationFixtures.at(6))
        #expect(throws: BillCommentError.noStance) { try board.apply(.clearStance(participant: "p2"), to: id, settings: settings, at: LegislationFixtures.at(6)) }
        #expect(board[id]?.stance(of: "p3") == .support)
        #expect(board[id]?.stance(of: "p2") == nil)
    }

    @Test func mergingCountsEachParticipantOnce() throws {
        var board = BillCommentBoard(billID: Bill.ID(1))
        let version = try version()
        let a = BillComment.ID(1), b = BillComment.ID(2)
        _ = try board.submit(draft("author-a"), id: a, version: version, settings: settings, at: LegislationFixtures.at(1))
        _ = try board.submit(draft("author-b", text: "Three hours: too long!"), id: b, version: version, settings: settings, at: LegislationFixtures.at(2))
        for id in [a, b] { _ = try board.apply(.approve, to: id, settings: settings, at: LegislationFixtures.at(3)) }
        for participant in ["p1", "p2"] { _ = try board.apply(.take(.support, participant: participant), to: a, settings: settings, at: LegislationFixtures.at(4)) }
        _ = try board.apply(.take(.support, participant: "p2"), to: b, settings: settings, at: LegislationFixtures.at(4))
        _ = try board.apply(.take(.support, participant: "p3"), to: b, settings: settings, at: LegislationFixtures.at(4))
        _ = try board.apply(.take(.oppose, participant: "p4"), to: b, settings: settings, at: LegislationFixtures.at(4))
        _ = try board.apply(.take(.support, participant: "author-a"), to: b, settings: settings, at: LegislationFixtures.at(4))
        let effects = try board.apply(.merge(into: a), to: b, settings: settings, at: LegislationFixtures.at(5))
        #expect(effects.contains(.unpublished(b)))
        #expect(effects.contains(.published(a)))
        #expect(board[a]?.supporters == ["p1", "p2", "p3"], "p2 once; the survivor's author is not their own supporter")
        #expect(board[a]?.opposers == ["p4"])
        #expect(board[a]?.mergedFrom == [b])
        #expect(board[b]?.state == .merged(into: a))
        #expect(board.counts(for: ProvisionKey(sub1)) == ClauseCounts(comments: 1, supports: 3, opposes: 1))
        #expect(throws: BillCommentError.mergeIntoItself) { try board.apply(.merge(into: a), to: a, settings: settings, at: LegislationFixtures.at(6)) }
        #expect(throws: BillCommentError.notAllowed(action: "merge into", state: "merged")) {
            var copy = board
            _ = try copy.submit(draft("p9"), id: BillComment.ID(3), version: version, settings: settings, at: LegislationFixtures.at(6))
            _ = try copy.apply(.merge(into: b), to: BillComment.ID(3), settings: settings, at: LegislationFixtures.at(6))
        }
    }

    @Test func theMarkerMarksCommentsOnItsClauseAndInside() throws {
        var board = BillCommentBoard(billID: Bill.ID(1))
        let version = try version()
        let section = LegislationFixtures.eId("sec_1")
        let moved = try board.moveMarker(to: section, in: version, at: LegislationFixtures.at(100))
        let marker = DiscussionMarker(version: 1, eId: section, key: ProvisionKey(section), since: LegislationFixtures.at(100))
        #expect(moved == [.markerMoved(marker)])
        #expect(try board.moveMarker(to: section, in: version, at: LegislationFixtures.at(101)) == [], "already there")
        _ = try board.submit(draft(), id: BillComment.ID(1), version: version, settings: settings, at: LegislationFixtures.at(110))
        _ = try board.submit(draft(eId: LegislationFixtures.eId("sec_2")), id: BillComment.ID(2), version: version, settings: settings, at: LegislationFixtures.at(111))
        #expect(board[BillComment.ID(1)]?.discussion == marker, "a subsection of the section under discussion")
        #expect(board[BillComment.ID(1)]?.writtenDuringDiscussion == true)
        #expect(board[BillComment.ID(2)]?.writtenDuringDiscussion == false)
        #expect(throws: BillCommentError.anchor(.unknownProvision(LegislationFixtures.eId("sec_7")))) {
            try board.moveMarker(to: LegislationFixtures.eId("sec_7"), in: version, at: LegislationFixtures.at(120))
        }
        #expect(try board.moveMarker(to: nil, in: version, at: LegislationFixtures.at(130)) == [.markerMoved(nil)])
        _ = try board.submit(draft(), id: BillComment.ID(3), version: version, settings: settings, at: LegislationFixtures.at(140))
        #expect(board[BillComment.ID(3)]?.writtenDuringDiscussion == false)
        #expect(try board.moveMarker(to: nil, in: version, at: LegislationFixtures.at(131)) == [])
    }

    @Test func commentsAreCarriedToTheNextVersion() throws {
        var board = BillCommentBoard(billID: Bill.ID(1))
        let v1 = try version()
        let a = BillComment.ID(1), b = BillComment.ID(2), c = BillComment.ID(3)
        _ = try board.submit(draft(quote: "3 hours"), id: a, version: v1, settings: settings, at: LegislationFixtures.at(1))
        _ = try board.submit(draft("p2", eId: sub2), id: b, version: v1, settings: settings, at: LegislationFixtures.at(2))
        _ = try board.submit(draft("p3", eId: LegislationFixtures.eId("sec_2"), quote: "17 years"), id: c, version: v1, settings: settings, at: LegislationFixtures.at(3))
        for id in [a, b, c] { _ = try board.apply(.approve, to: id, settings: settings, at: LegislationFixtures.at(4)) }
        _ = try board.moveMarker(to: sub2, in: v1, at: LegislationFixtures.at(5))
        let v2Text = """
            Section 1 Breaks
            (1) A chatbot shall advise a covered user to take a break after 2 hours.
            Section 2 Definitions
            In this Act, a minor is an individual under the age of 17 years.
            """
        let v2 = try PlainTextBillImporter.read(v2Text).provisions
        let matching = ProvisionMatcher.match(old: v1.provisions, new: v2)
        let keyed = matching.keyedTree(version: 2)
        let effects = board.carryForward(matching: matching, into: keyed, version: 2)
        #expect(board[a]?.anchorStatus == .moved)
        #expect(board[a]?.currentAnchor?.quote?.exact == "2 hours")
        #expect(board[a]?.anchor.quote?.exact == "3 hours", "the original anchor is not rewritten")
        #expect(board[b]?.anchorStatus == .orphaned)
        #expect(board[b]?.currentAnchor == nil, "its clause is gone: bill level")
        #expect(board[c]?.anchorStatus == .exact)
        #expect(board.counts(for: nil) == ClauseCounts(comments: 1))
        #expect(board.countsByKey[ProvisionKey(sub1)] == ClauseCounts(comments: 1))
        #expect(effects.contains(.countsChanged(nil)))
        #expect(effects.contains(.markerMoved(nil)), "the marker's clause is gone")
        #expect(board.marker == nil)
        let again = board.carryForward(matching: matching, into: keyed, version: 2)
        #expect(again.isEmpty, "carrying twice into the same version does nothing")
    }
}
