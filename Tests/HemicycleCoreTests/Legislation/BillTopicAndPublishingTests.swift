import HemicycleCore
import Testing

/// The bill topics (`bill:{id}`, `bill:{id}:moderation`), who may read them, the bill permissions of staff, and
/// `VersionPublisher`.
@Suite struct BillTopicAndPublishingTests {
    @Test func billTopicsParseAndPrint() {
        #expect(Topic("bill:7") == .bill(.init(7)))
        #expect(Topic("bill:7:moderation") == .billModeration(.init(7)))
        #expect(Topic("bill:7")?.description == "bill:7")
        #expect(Topic("bill:7:moderation")?.description == "bill:7:moderation")
        for bad in ["bill:", "bill:0", "bill:07", "bill:7:areas", "bill:7:moderation:x", "bill:-1", "bills:7"] {
            #expect(Topic(bad) == nil, "\(bad)")
        }
        #expect(Topic.bill(.init(1)).isPublic)
        #expect(!Topic.billModeration(.init(1)).isPublic)
    }

    @Test func onlyTheBillsStaffReadItsModerationTopic() {
        #expect(TopicAccess.public.allows(.bill(.init(1))))
        #expect(!TopicAccess.public.allows(.billModeration(.init(1))))
        let staff = TopicAccess(moderationBills: [.init(1)])
        #expect(staff.allows(.billModeration(.init(1))))
        #expect(!staff.allows(.billModeration(.init(2))))
        #expect(!staff.allows(.sittingModeration(.init(1))), "a bill's staff is not a sitting's")
        #expect(staff.hasStaffTopics)
        #expect(TopicAccess(allSittings: true).allows(.billModeration(.init(9))), "admins read every staff topic")
        let narrowed = TopicAccess(moderationBills: [.init(1), .init(2)]).narrowed(to: TopicAccess(moderationBills: [.init(2), .init(3)]))
        #expect(narrowed.moderationBills == [.init(2)], "access is only ever narrowed")
        #expect(TopicAccess(allSittings: true).narrowed(to: TopicAccess(moderationBills: [.init(4)])).moderationBills == [.init(4)])
    }

    @Test func billPermissions() {
        let bill = Bill.ID(1), assigned: Set<Bill.ID> = [bill]
        let moderator = StaffMember(id: .init(1), email: "m@example.org", name: "M", role: .moderator)
        let chair = StaffMember(id: .init(2), email: "c@example.org", name: "C", role: .chair)
        let clerk = StaffMember(id: .init(3), email: "k@example.org", name: "K", role: .clerk)
        let admin = StaffMember(id: .init(4), email: "a@example.org", name: "A", role: .admin)
        #expect(moderator.canModerate(bill: bill, assigned: assigned))
        #expect(!moderator.canModerate(bill: bill, assigned: []), "another committee's moderator")
        #expect(!moderator.canRunMarkup(bill: bill, assigned: assigned))
        #expect(chair.canRunMarkup(bill: bill, assigned: assigned) && clerk.canRunMarkup(bill: bill, assigned: assigned))
        #expect(!chair.canModerate(bill: bill, assigned: assigned))
        #expect(!clerk.canRunMarkup(bill: bill, assigned: []))
        #expect(admin.canModerate(bill: bill, assigned: []) && admin.canRunMarkup(bill: bill, assigned: []))
        #expect(chair.canReadModeration(bill: bill, assigned: assigned) && !chair.canReadModeration(bill: bill, assigned: []))
    }

    @Test func publishingTheNextVersionCarriesCommentsAndRefusesUncertainty() throws {
        let v1 = try LegislationFixtures.sampleText(), v2 = try LegislationFixtures.sampleV2()
        let window = try #require(CommentWindow(opens: LegislationFixtures.t0, closes: LegislationFixtures.t0.adding(days: 30)))
        var versions = [BillVersion(billID: .init(1), number: 1, document: v1, window: window)]
        var board = BillCommentBoard(billID: .init(1))
        let first = try VersionPublisher.publishLatest(versions: &versions, board: &board, acceptUncertain: false, at: LegislationFixtures.t0)
        #expect(first.matching == nil)
        #expect(versions[0].state == .published)
        let draft = BillCommentDraft(
            participant: "p1", kind: .comment, text: "Too long", eId: LegislationFixtures.eId("sec_2__subsec_c__para_1"),
            quote: TextQuoteSelector(exact: "3 hours"))
        _ = try board.submit(draft, id: .init(1), version: versions[0], settings: BillSettings(), at: LegislationFixtures.at(10))
        #expect(throws: VersionPublishError.noDraft) {
            _ = try VersionPublisher.publishLatest(versions: &versions, board: &board, acceptUncertain: false, at: LegislationFixtures.at(20))
        }
        versions.append(BillVersion(billID: .init(1), number: 2, document: v2, window: window))
        let before = (versions, board)
        let matching = VersionPublisher.matching(current: versions[0], draft: versions[1])
        if !matching.isSettled {
            #expect(throws: VersionPublishError.uncertainMatches(matching.uncertain.count)) {
                _ = try VersionPublisher.publishLatest(versions: &versions, board: &board, acceptUncertain: false, at: LegislationFixtures.at(20))
            }
            #expect(versions == before.0 && board == before.1, "a refusal changes nothing")
        }
        let second = try VersionPublisher.publishLatest(versions: &versions, board: &board, acceptUncertain: true, at: LegislationFixtures.at(20))
        #expect(second.matching != nil)
        #expect(versions.map(\.state) == [.superseded, .published])
        #expect(versions[1].provisions[LegislationFixtures.eId("sec_2__subsec_h")]?.key.rawValue == "sec_2__subsec_i", "keys carried forward")
        #expect(board[.init(1)]?.anchorStatus == .moved)
        #expect(board[.init(1)]?.currentAnchor?.quote?.exact == "2 hours")
    }
}
