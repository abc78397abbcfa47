import Foundation
public import HemicycleCore
public import HemicycleStorage
import Testing

/// The `HearingStore` and `StaffStore` contracts, on every backend.
public struct HearingStoreConformance {
    public init() {}

    let now = StoreConformance.now

    func sitting() -> Sitting {
        var settings = HearingSettings()
        settings.moderation = .post
        settings.maxQuestionLength = 140
        return Sitting(id: .init(99), title: "Rail fares", committee: "Transport", state: .scheduled, scheduledStart: now, streamURL: "https://example.org/embed",
                       agenda: ["Fares", "Tickets"], witnesses: ["Minister"], settings: settings)
    }

    func sittingsRoundTripWithAllTheirFields(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        var created = try await store.createSitting(sitting(), audit: AuditEntry(at: now, staffID: nil, action: "sitting_created", subject: "sitting"))
        #expect(created.id != .init(99), "the store assigns the id")
        #expect(try await store.sitting(created.id) == created)
        try created.transition(to: .live, at: now)
        try await store.updateSitting(created, audit: nil)
        #expect(try await store.sitting(created.id) == created)
        var unknown = created
        unknown.id = .init(12345)
        await #expect(throws: StoreError(.notFound, "")) { try await store.updateSitting(unknown, audit: nil) }
        #expect(try await store.auditLog(limit: 10).map(\.action) == ["sitting_created"])
    }

    func questionsVotesAndLogRoundTrip(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let s = try await store.createSitting(sitting(), audit: nil)
        let a = try await store.insertQuestion(
            Question(id: .init(1), sittingID: s.id, participant: "p1", text: "First?", name: "Ana", region: "Wales", submittedAt: now),
            log: [ModerationLogEntry(sittingID: s.id, questionID: .init(1), action: "published", state: "approved", at: now)]
        )
        let b = try await store.insertQuestion(Question(id: .init(1), sittingID: s.id, participant: "p2", text: "Second?", submittedAt: now), log: [])
        #expect(a.id != b.id)
        var board = QuestionBoard()
        board.add(a)
        board.add(b)
        try board.apply(.vote(participant: "v1"), to: a.id)
        try board.apply(.vote(participant: "v2"), to: a.id)
        try board.apply(.vote(participant: "v2"), to: b.id)
        try board.apply(.vote(participant: "v3"), to: b.id)
        var write = HearingWrite()
        write.votesAdded = [.init(question: a.id, participant: "v1"), .init(question: a.id, participant: "v2"),
                            .init(question: b.id, participant: "v2"), .init(question: b.id, participant: "v3")]
        try await store.commitHearing(write)
        // Merge b into a as the service does: b's voters move, each counted once.
        try board.apply(.merge(into: a.id), to: b.id)
        try board.apply(.edit(text: "First, edited?"), to: a.id)
        var merge = HearingWrite()
        merge.questions = [try #require(board[a.id]), try #require(board[b.id])]
        merge.votesRemoved = [.init(question: b.id, participant: "v2"), .init(question: b.id, participant: "v3")]
        merge.votesAdded = [.init(question: a.id, participant: "v3")]
        merge.moderation = [ModerationLogEntry(sittingID: s.id, questionID: b.id, action: "merge", state: "merged", mergedInto: a.id, at: now)]
        try await store.commitHearing(merge)
        let stored = try await store.questions(in: s.id)
        #expect(stored == [board[a.id], board[b.id]].compactMap { $0 })
        #expect(stored.first?.votes == 3)
        #expect(stored.first?.originalText == "First?")
        #expect(stored.first?.mergedFrom == [b.id])
        #expect(try await store.moderationLog(of: s.id).map(\.action) == ["published", "merge"])
        #expect(try await store.moderationLog(of: s.id).first?.questionID == a.id, "log entries of an insert get the new id")
    }

    func aFailedWriteStoresNothing(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let s = try await store.createSitting(sitting(), audit: nil)
        let a = try await store.insertQuestion(Question(id: .init(1), sittingID: s.id, participant: "p1", text: "First?", submittedAt: now), log: [])
        var write = HearingWrite()
        var approved = a
        approved.state = .approved
        write.questions = [approved, Question(id: .init(424_242), sittingID: s.id, text: "ghost")]
        write.votesAdded = [.init(question: a.id, participant: "v1")]
        write.moderation = [ModerationLogEntry(sittingID: s.id, questionID: a.id, action: "approve", state: "approved", at: now)]
        await #expect(throws: StoreError(.notFound, "")) { try await store.commitHearing(write) }
        #expect(try await store.questions(in: s.id) == [a], "nothing of the failed write is kept")
        #expect(try await store.moderationLog(of: s.id).isEmpty)
    }

    func notesRoundTrip(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let s = try await store.createSitting(sitting(), audit: nil)
        var note = try await store.addNote(
            BackstageNote(id: .init(1), sittingID: s.id, questionID: nil, text: "Witness must leave at 4", authorID: .init(5), authorName: "Mo", createdAt: now),
            audit: nil
        )
        note.readAt = now
        try await store.updateNote(note, audit: nil)
        #expect(try await store.notes(in: s.id) == [note])
    }

    func staffSessionsAndSecrets(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let member = try await store.createStaff(
            StaffMember(id: .init(1), email: "Mo@Example.org", name: "Mo", role: .moderator, sittings: [.init(1)]), passwordHash: "h1", audit: nil
        )
        #expect(member.email == "mo@example.org")
        #expect(try await store.staff(email: "MO@example.org")?.member == member)
        #expect(try await store.staff(email: "mo@example.org")?.passwordHash == "h1")
        #expect(try await store.staff(id: member.id) == member)
        await #expect(throws: StoreError(.conflict, "")) {
            try await store.createStaff(StaffMember(id: .init(1), email: "mo@example.org", name: "Other", role: .chair), passwordHash: "h", audit: nil)
        }
        try await store.setPassword(of: member.id, hash: "h2", changeRequired: true, audit: nil)
        #expect(try await store.staff(email: "mo@example.org")?.passwordHash == "h2")
        #expect(try await store.staff(id: member.id)?.passwordChangeRequired == true)
        try await store.createSession(tokenHash: "abc", staff: member.id, expiresAt: now)
        #expect(try await store.session(tokenHash: "abc") == StaffSession(staffID: member.id, expiresAt: now))
        try await store.deleteSession(tokenHash: "abc")
        #expect(try await store.session(tokenHash: "abc") == nil)
        let first = try await store.secret(named: "k") { "one" }
        let second = try await store.secret(named: "k") { "two" }
        #expect(first == "one" && second == "one", "a secret is created once")
    }

    func heldVotesAndTheirAddressesRoundTrip(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let s = try await store.createSitting(sitting(), audit: nil)
        let q = try await store.insertQuestion(Question(id: .init(1), sittingID: s.id, participant: "p1", text: "Capped?", state: .approved, submittedAt: now), log: [])
        var write = HearingWrite()
        write.votesAdded = [
            .init(question: q.id, participant: "v1", held: false, address: "net"), .init(question: q.id, participant: "v2", held: true, address: "net"),
            .init(question: q.id, participant: "v3", held: true, address: "net"), .init(question: q.id, participant: "legacy"),
        ]
        try await store.commitHearing(write)
        var stored = try #require(try await store.questions(in: s.id).first)
        #expect(stored.voters == ["v1", "legacy"] && stored.heldVoters == ["v2", "v3"])
        #expect(stored.voterAddresses == ["v1": "net", "v2": "net", "v3": "net"])
        // A release adds the held votes again, counted: the rows are updated, not duplicated.
        var release = HearingWrite()
        release.votesAdded = [.init(question: q.id, participant: "v2", held: false, address: "net")]
        release.votesRemoved = [.init(question: q.id, participant: "v3")]
        try await store.commitHearing(release)
        stored = try #require(try await store.questions(in: s.id).first)
        #expect(stored.voters == ["v1", "v2", "legacy"] && stored.heldVoters.isEmpty)
        #expect(stored.voterAddresses == ["v1": "net", "v2": "net"])
        // A question change keeps the votes as they are.
        var edit = HearingWrite()
        var edited = stored
        edited.text = "Capped, edited?"
        edited.voters = []
        edit.questions = [edited]
        try await store.commitHearing(edit)
        #expect(try await store.questions(in: s.id).first?.voters == ["v1", "v2", "legacy"])
    }

    func aStaffRoleAndAssignmentsChange(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let member = try await store.createStaff(
            StaffMember(id: .init(1), email: "mo@example.org", name: "Mo", role: .moderator, sittings: [.init(1), .init(2)]), passwordHash: "h1", audit: nil
        )
        try await store.updateStaffRole(
            of: member.id, role: .chair, sittings: [.init(3)], audit: AuditEntry(at: now, staffID: nil, action: "staff_role_changed", subject: "staff:\(member.id)")
        )
        let changed = try #require(try await store.staff(id: member.id))
        #expect(changed.role == .chair && changed.sittings == [.init(3)])
        #expect(changed.email == member.email && changed.name == member.name)
        #expect(try await store.staff(email: "mo@example.org")?.passwordHash == "h1", "the password stays")
        #expect(try await store.auditLog(limit: 5).map(\.action) == ["staff_role_changed"])
        await #expect(throws: StoreError(.notFound, "")) { try await store.updateStaffRole(of: .init(4242), role: .admin, sittings: [], audit: nil) }
    }

    func aMembersOtherSessionsEndAndExpiredOnesArePurged(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let mo = try await store.createStaff(StaffMember(id: .init(1), email: "mo@example.org", name: "Mo", role: .moderator), passwordHash: "h", audit: nil)
        let cy = try await store.createStaff(StaffMember(id: .init(1), email: "cy@example.org", name: "Cy", role: .chair), passwordHash: "h", audit: nil)
        let later = Timestamp(millisecondsSince1970: now.millisecondsSince1970 + 3_600_000)
        for hash in ["mo-laptop", "mo-phone", "mo-tablet"] { try await store.createSession(tokenHash: hash, staff: mo.id, expiresAt: later) }
        try await store.createSession(tokenHash: "cy", staff: cy.id, expiresAt: later)

        #expect(try await store.deleteSessions(of: mo.id, except: "mo-laptop") == 2)
        #expect(try await store.session(tokenHash: "mo-laptop") != nil, "the session that changed the password stays")
        #expect(try await store.session(tokenHash: "mo-phone") == nil)
        #expect(try await store.session(tokenHash: "mo-tablet") == nil)
        #expect(try await store.session(tokenHash: "cy") != nil, "another member's sessions stay")
        #expect(try await store.deleteSessions(of: mo.id, except: nil) == 1, "without a session to keep, all end")
        #expect(try await store.session(tokenHash: "mo-laptop") == nil)

        try await store.createSession(tokenHash: "old", staff: mo.id, expiresAt: now)
        try await store.createSession(tokenHash: "older", staff: cy.id, expiresAt: Timestamp(millisecondsSince1970: now.millisecondsSince1970 - 1))
        #expect(try await store.deleteExpiredSessions(now: now) == 2, "expired at or before now")
        #expect(try await store.session(tokenHash: "old") == nil)
        #expect(try await store.session(tokenHash: "older") == nil)
        #expect(try await store.session(tokenHash: "cy") != nil)
        #expect(try await store.deleteExpiredSessions(now: now) == 0)
    }

    /// Every case of this part of the suite.
    public static let cases: [StoreConformance.Case] = [
        .init("HearingStoreConformance.sittingsRoundTripWithAllTheirFields") { try await HearingStoreConformance().sittingsRoundTripWithAllTheirFields($0) },
        .init("HearingStoreConformance.questionsVotesAndLogRoundTrip") { try await HearingStoreConformance().questionsVotesAndLogRoundTrip($0) },
        .init("HearingStoreConformance.aFailedWriteStoresNothing") { try await HearingStoreConformance().aFailedWriteStoresNothing($0) },
        .init("HearingStoreConformance.notesRoundTrip") { try await HearingStoreConformance().notesRoundTrip($0) },
        .init("HearingStoreConformance.staffSessionsAndSecrets") { try await HearingStoreConformance().staffSessionsAndSecrets($0) },
        .init("HearingStoreConformance.heldVotesAndTheirAddressesRoundTrip") { try await HearingStoreConformance().heldVotesAndTheirAddressesRoundTrip($0) },
        .init("HearingStoreConformance.aStaffRoleAndAssignmentsChange") { try await HearingStoreConformance().aStaffRoleAndAssignmentsChange($0) },
        .init("HearingStoreConformance.aMembersOtherSessionsEndAndExpiredOnesArePurged") { try await HearingStoreConformance().aMembersOtherSessionsEndAndExpiredOnesArePurged($0) },
    ]
}
