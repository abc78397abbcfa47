import HemicycleCore
import Testing

/// What a live connection may read, and how a staff session's topics are taken back (never widened).
@Suite struct TopicAccessTests {
    let one = Sitting.ID(1), two = Sitting.ID(2)

    @Test func narrowingKeepsOnlyWhatTheSessionStillGrants() {
        let moderator = TopicAccess(participant: "p", moderationSittings: [one, two])
        let narrowed = moderator.narrowed(to: TopicAccess(moderationSittings: [two]))
        #expect(narrowed.allows(.sittingModeration(two)) && !narrowed.allows(.sittingModeration(one)))
        #expect(narrowed.participant == "p", "the participant stays")
        #expect(narrowed.allows(.sitting(one)), "public topics stay")
        let loggedOut = moderator.narrowed(to: .public)
        #expect(!loggedOut.hasStaffTopics && loggedOut.participant == "p")
    }

    @Test func anAdminDemotedKeepsOnlyTheNewAssignments() {
        let admin = TopicAccess(allSittings: true)
        let demoted = admin.narrowed(to: TopicAccess(moderationSittings: [one]))
        #expect(!demoted.allSittings && demoted.moderationSittings == [one])
        #expect(admin.narrowed(to: TopicAccess(allSittings: true)) == admin)
    }

    @Test func accessIsNeverWidenedAfterTheUpgrade() {
        let moderator = TopicAccess(moderationSittings: [one])
        #expect(moderator.narrowed(to: TopicAccess(allSittings: true)) == moderator, "a promotion applies to the next connection")
        #expect(moderator.narrowed(to: TopicAccess(moderationSittings: [one, two])) == moderator)
        #expect(TopicAccess.public.narrowed(to: TopicAccess(allSittings: true)) == .public)
    }
}
