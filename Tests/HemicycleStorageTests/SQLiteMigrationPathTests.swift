import Foundation
import HemicycleCore
@testable import HemicycleSQLite
import HemicycleStorage
import HemicycleTesting
import Logging
import Testing

/// The upgrade path of the SQLite schema, and failures injected inside a transaction.
@Suite struct SQLiteMigrationPathTests {
    /// Every schema version but the latest: a database left at each is upgraded.
    static let oldVersions = Array(Migrations.all.map(\.version).dropLast())

    static func store(at version: Int?) async throws -> SQLiteStore {
        let store = try await SQLiteStore.open(path: try StoreConformanceTests.freshPath(), logger: Logger(label: "test"))
        if let version { try await store.migrate(through: version) }
        return store
    }

    @Test(arguments: oldVersions)
    func aDatabaseAtEveryOldVersionUpgradesToTheSameSchema(_ version: Int) async throws {
        let fresh = try await Self.store(at: nil)
        try await fresh.migrate()
        let upgraded = try await Self.store(at: version)
        try await upgraded.migrate()
        let expected = try await fresh.schemaDescription(), got = try await upgraded.schemaDescription()
        #expect(got == expected, "differs: \(Set(got).symmetricDifference(expected).sorted())")
        try await fresh.close()
        try await upgraded.close()
    }

    /// The whole conformance suite on databases that started at each old version.
    @Test(arguments: oldVersions, StoreConformance.allCases)
    func everyContractHoldsOnAnUpgradedDatabase(_ version: Int, _ conformance: StoreConformance.Case) async throws {
        try await conformance.run { try await Self.store(at: version) }
    }

    /// A trigger makes the last statement of the transaction fail: nothing before it stays.
    @Test func aHearingWriteThatFailsMidTransactionStoresNothing() async throws {
        let store = try await Self.store(at: nil)
        try await store.migrate()
        let now = StoreConformance.now
        _ = try await store.seedDemoIfEmpty(.standard(now: now))
        let question = try await store.insertQuestion(Question(id: .init(1), sittingID: .init(1), participant: "p", text: "Why?", submittedAt: now), log: [])
        try await store.execute("CREATE TRIGGER injected BEFORE INSERT ON moderation_log BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
        var approved = question
        approved.state = .approved
        var write = HearingWrite()
        write.questions = [approved]
        write.votesAdded = [.init(question: question.id, participant: "v1")]
        write.audit = [AuditEntry(at: now, staffID: nil, action: "approve", subject: "question")]
        write.moderation = [ModerationLogEntry(sittingID: .init(1), questionID: question.id, action: "approve", state: "approved", at: now)]
        await #expect(throws: (any Error).self) { try await store.commitHearing(write) }
        #expect(try await store.questions(in: .init(1)) == [question], "the question's state and the vote are rolled back")
        #expect(try await store.auditLog(limit: 10).isEmpty)
        try await store.close()
    }

    @Test func aSignatureWhoseMailFailsMidTransactionIsNotStored() async throws {
        let store = try await Self.store(at: nil)
        try await store.migrate()
        let now = StoreConformance.now
        _ = try await store.seedDemoIfEmpty(.standard(now: now))
        try await store.execute("CREATE TRIGGER injected BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
        var pending = try StoreConformance.signature(1)
        pending.confirmation = .init(tokenHash: "t", expiresAt: now.adding(days: 1), mail: OutgoingMail(to: "s1@example.org", subject: "S", body: "B"))
        await #expect(throws: (any Error).self) { _ = try await store.commitSignatures([pending, try StoreConformance.signature(2)], now: now) }
        #expect(try await store.storedSignatureCount(.init(1)) == 0, "the batch is one transaction")
        #expect(try await store.petition(.init(1))?.signatureCount == 0)
        #expect(try await store.useToken(hash: "t", now: now) == nil)
        try await store.close()
    }
}
