public import HemicycleCore
public import HemicycleStorage
import Testing

/// The rest of every store protocol (what no other part reads: the staff list, audit appends, every sitting), failed
/// writes that carry an audit entry, and concurrency: two writers racing on one signature, one token, one question,
/// one account. Each race must leave exactly one winner, whatever the backend's locking.
public struct CompletenessConformance {
    public init() {}
    let now = StoreConformance.now

    func audit(_ action: String) -> AuditEntry { AuditEntry(at: now, staffID: nil, action: action, subject: "test") }

    func staffListAuditAppendsAndEverySitting(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let mo = try await store.createStaff(StaffMember(id: .init(1), email: "mo@x.org", name: "Mo", role: .moderator), passwordHash: "h", audit: nil)
        let cy = try await store.createStaff(StaffMember(id: .init(1), email: "cy@x.org", name: "Cy", role: .chair, sittings: [.init(1)]), passwordHash: "h", audit: nil)
        #expect(try await store.allStaff() == [mo, cy], "every account, by id")
        try await store.appendAudit([])
        try await store.appendAudit([audit("first"), audit("second")])
        try await store.appendAudit([audit("third")])
        #expect(try await store.auditLog(limit: 2).map(\.action) == ["third", "second"], "newest first, at most the limit")
        var later = Sitting(id: .init(1), title: "Later", committee: "C", state: .scheduled, scheduledStart: now.adding(days: 2), streamURL: nil)
        later = try await store.createSitting(later, audit: nil)
        var earlier = Sitting(id: .init(1), title: "Earlier", committee: "C", state: .scheduled, scheduledStart: now.adding(days: -2), streamURL: nil)
        earlier = try await store.createSitting(earlier, audit: nil)
        try earlier.transition(to: .live, at: now)
        try await store.updateSitting(earlier, audit: nil)
        let all = try await store.sittings()
        #expect(all.map(\.id) == [earlier.id, .init(1), later.id], "every sitting, by scheduled start")
        #expect(try await store.sittings(in: [.scheduled], limit: 10).map(\.id) == [.init(1), later.id])
        #expect(try await store.sittings(in: [.scheduled, .live], limit: 1).map(\.id) == [earlier.id], "at most the limit")
    }

    func failedWritesStoreNotEvenTheirAudit(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let mo = try await store.createStaff(StaffMember(id: .init(1), email: "mo@x.org", name: "Mo", role: .moderator), passwordHash: "h", audit: audit("created"))
        await #expect(throws: StoreError.self) {
            _ = try await store.createStaff(StaffMember(id: .init(1), email: "MO@x.org", name: "Mo 2", role: .admin), passwordHash: "h", audit: self.audit("dup"))
        }
        await #expect(throws: StoreError.self) {
            try await store.updateStaffRole(of: .init(9_999), role: .admin, sittings: [], audit: self.audit("ghost role"))
        }
        var ghostSitting = try #require(try await store.sitting(.init(1)))
        ghostSitting.id = .init(9_999)
        await #expect(throws: StoreError.self) { try await store.updateSitting(ghostSitting, audit: self.audit("ghost sitting")) }
        var ghostPetition = try #require(try await store.petition(.init(1)))
        ghostPetition.id = .init(9_999)
        await #expect(throws: StoreError.self) { try await store.updatePetition(ghostPetition, audit: self.audit("ghost petition")) }
        #expect(try await store.auditLog(limit: 10).map(\.action) == ["created"], "a refused write stores none of its audit")
        #expect(try await store.allStaff() == [mo])
    }

    func racingSignersWithOneEmailCountOnce(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let now = now
        let outcomes = try await withThrowingTaskGroup(of: [SignatureOutcome].self) { group in
            for _ in 0..<8 {
                group.addTask { try await store.commitSignatures([try StoreConformance.signature(1)], now: now).outcomes }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(outcomes.filter { if case .accepted = $0 { true } else { false } }.count == 1, "one winner: \(outcomes)")
        #expect(outcomes.filter { $0 == .duplicate }.count == 7)
        #expect(try await store.petition(.init(1))?.signatureCount == 1)
        #expect(try await store.storedSignatureCount(.init(1)) == 1)
    }

    func racingUsesOfOneTokenHaveOneWinner(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let now = now
        var pending = try StoreConformance.signature(1)
        pending.confirmation = .init(tokenHash: "race", expiresAt: now.adding(days: 1), mail: OutgoingMail(to: "s1@example.org", subject: "S", body: "B"))
        _ = try await store.commitSignatures([pending], now: now)
        let used = try await withThrowingTaskGroup(of: EmailToken?.self) { group in
            for _ in 0..<8 { group.addTask { try await store.useToken(hash: "race", now: now) } }
            return try await group.reduce(into: [EmailToken]()) { if let token = $1 { $0.append(token) } }
        }
        #expect(used.count == 1, "a token is used once, however many clicks race")
        let changes = try await withThrowingTaskGroup(of: SignatureBatchResult.CountChange?.self) { group in
            for _ in 0..<8 { group.addTask { try await store.confirmSignature(used[0].subject, now: now) } }
            return try await group.reduce(into: [SignatureBatchResult.CountChange]()) { if let change = $1 { $0.append(change) } }
        }
        #expect(changes.map(\.signatureCount) == [1], "confirmed and counted once")
        #expect(try await store.petition(.init(1))?.signatureCount == 1)
    }

    func racingVotesOnOneQuestionCountOnce(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let question = try await store.insertQuestion(
            Question(id: .init(1), sittingID: .init(1), participant: "p1", text: "Why?", submittedAt: now), log: [])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<8 {
                group.addTask {
                    var write = HearingWrite()
                    // Every writer adds the same voter, and one more of its own.
                    write.votesAdded = [.init(question: question.id, participant: "same"), .init(question: question.id, participant: "v\(n)")]
                    try await store.commitHearing(write)
                }
            }
            try await group.waitForAll()
        }
        let stored = try #require(try await store.questions(in: .init(1)).first)
        #expect(stored.voters == Set(["same"] + (0..<8).map { "v\($0)" }), "each voter once")
        #expect(stored.votes == 9)
    }

    func racingAccountsForOneEmailHaveOneWinner(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let created = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<6 {
                group.addTask {
                    let member = StaffMember(id: .init(1), email: "race@x.org", name: "Racer \(n)", role: .moderator)
                    return (try? await store.createStaff(member, passwordHash: "h", audit: nil)) != nil
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(created == 1)
        #expect(try await store.allStaff().count == 1)
    }

    /// Every case of this part of the suite.
    public static let cases: [StoreConformance.Case] = [
        .init("CompletenessConformance.staffListAuditAppendsAndEverySitting") { try await CompletenessConformance().staffListAuditAppendsAndEverySitting($0) },
        .init("CompletenessConformance.failedWritesStoreNotEvenTheirAudit") { try await CompletenessConformance().failedWritesStoreNotEvenTheirAudit($0) },
        .init("CompletenessConformance.racingSignersWithOneEmailCountOnce") { try await CompletenessConformance().racingSignersWithOneEmailCountOnce($0) },
        .init("CompletenessConformance.racingUsesOfOneTokenHaveOneWinner") { try await CompletenessConformance().racingUsesOfOneTokenHaveOneWinner($0) },
        .init("CompletenessConformance.racingVotesOnOneQuestionCountOnce") { try await CompletenessConformance().racingVotesOnOneQuestionCountOnce($0) },
        .init("CompletenessConformance.racingAccountsForOneEmailHaveOneWinner") { try await CompletenessConformance().racingAccountsForOneEmailHaveOneWinner($0) },
    ]
}
