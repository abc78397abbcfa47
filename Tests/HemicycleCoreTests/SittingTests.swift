import HemicycleCore
import Testing

@Suite struct SittingTests {
    func sitting() -> Sitting {
        Sitting(id: .init(3), title: "T", committee: "C", state: .scheduled, scheduledStart: Timestamp(millisecondsSince1970: 0), streamURL: nil,
                agenda: ["Fares"], witnesses: ["Minister"])
    }

    @Test func goesScheduledLiveEndedAndStampsTheStream() throws {
        var s = sitting()
        var copy = s
        #expect(throws: SittingTransitionError(from: .scheduled, to: .ended)) { try copy.transition(to: .ended, at: Timestamp(millisecondsSince1970: 1)) }
        try s.transition(to: .live, at: Timestamp(millisecondsSince1970: 10_000))
        #expect(s.streamStartedAt == Timestamp(millisecondsSince1970: 10_000))
        #expect(s.streamOffset(at: Timestamp(millisecondsSince1970: 764_900)) == 754)
        copy = s
        #expect(throws: SittingTransitionError(from: .live, to: .live)) { try copy.transition(to: .live, at: Timestamp(millisecondsSince1970: 2)) }
        try s.transition(to: .ended, at: Timestamp(millisecondsSince1970: 20_000))
        #expect(s.endedAt == Timestamp(millisecondsSince1970: 20_000))
        copy = s
        #expect(throws: SittingTransitionError(from: .ended, to: .live)) { try copy.transition(to: .live, at: Timestamp(millisecondsSince1970: 3)) }
    }

    @Test func tagsAreAgendaItemsOrWitnesses() {
        #expect(sitting().isKnownTag("Fares"))
        #expect(sitting().isKnownTag("Minister"))
        #expect(!sitting().isKnownTag("Weather"))
    }

    @Test func moderationTopicsAreForAssignedStaffOnly() {
        let assigned = TopicAccess(moderationSittings: [.init(3)])
        #expect(assigned.allows(.sittingModeration(.init(3))))
        #expect(!assigned.allows(.sittingModeration(.init(4))), "staff of sitting 3 cannot read sitting 4's queue")
        #expect(!TopicAccess.public.allows(.sittingModeration(.init(3))))
        #expect(TopicAccess.public.allows(.sitting(.init(3))) && TopicAccess.public.allows(.dashboard))
        #expect(TopicAccess(allSittings: true).allows(.sittingModeration(.init(99))))
        #expect(Topic("dashboard") == .dashboard && Topic("dashboard:1") == nil)
    }

    @Test func staffPermissionsFollowRoleAndAssignment() {
        let moderator = StaffMember(id: .init(1), email: "m@x.org", name: "M", role: .moderator, sittings: [.init(3)])
        let chair = StaffMember(id: .init(2), email: "c@x.org", name: "C", role: .chair, sittings: [.init(3)])
        let clerk = StaffMember(id: .init(3), email: "k@x.org", name: "K", role: .clerk)
        #expect(moderator.canModerate(.init(3)) && !moderator.canModerate(.init(4)) && !moderator.canChair(.init(3)))
        #expect(chair.canChair(.init(3)) && !chair.canModerate(.init(3)) && chair.canReadModeration(of: .init(3)))
        #expect(clerk.canSetUpSittings && !clerk.canModerate(.init(3)) && !moderator.canSetUpSittings)
    }

    @Test func rateWindowCountsTheLastMinute() {
        var window = RateWindow()
        #expect(window.record(100, at: Timestamp(millisecondsSince1970: 0)) == 0)
        #expect(window.record(130, at: Timestamp(millisecondsSince1970: 30_000)) == 30)
        #expect(window.record(190, at: Timestamp(millisecondsSince1970: 60_000)) == 90)
        #expect(window.record(200, at: Timestamp(millisecondsSince1970: 90_000)) == 70, "the sample at 0 s has left the window")
    }
}
