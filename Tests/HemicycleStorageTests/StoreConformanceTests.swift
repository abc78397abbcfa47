import Foundation
import HemicycleCore
import HemicyclePostgres
import HemicyclePostgresTesting
import HemicycleSQLite
import HemicycleStorage
import Logging
import Testing

/// One suite, run against every store: the contracts of `HemicycleStore` hold for each backend.
@Suite struct StoreConformanceTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite, postgres
        var testDescription: String { rawValue }

        /// PostgreSQL runs when it is installed, or when it is required (then its absence fails them);
        /// `postgresIsThere` says when it is skipped.
        static var allCases: [Backend] { TestCluster.isAvailable || TestCluster.required ? [.memory, .sqlite, .postgres] : [.memory, .sqlite] }
    }

    static let now = Timestamp(millisecondsSince1970: 1_764_400_000_000)

    static func makeStore(_ backend: Backend) async throws -> any HemicycleStore {
        let store: any HemicycleStore
        switch backend {
        case .memory:
            store = InMemoryStore()
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            store = try await SQLiteStore.open(path: dir.appendingPathComponent("hemicycle.sqlite").path, logger: Logger(label: "test"))
        case .postgres:
            store = try await PostgresStore.open(url: try await TestCluster.newDatabase(), poolSize: 4, logger: Logger(label: "test"))
        }
        try await store.migrate()
        #expect(try await store.seedDemoIfEmpty(.standard(now: now, responseThreshold: 3, debateThreshold: 5)))
        return store
    }

    static func signature(_ n: Int, petition: Int64 = 1) -> PendingSignature {
        PendingSignature(petitionID: .init(petition), signature: try! SignatureRequest(name: "Signer \(n)", email: "s\(n)@example.org").validated().get())
    }

    /// Says visibly when the PostgreSQL runs are skipped; fails when PostgreSQL is required and absent or does not start.
    @Test(.enabled(if: TestCluster.isAvailable || TestCluster.required, Comment(rawValue: TestCluster.absentReason)))
    func postgresIsThere() async throws {
        let cluster = try await TestCluster.shared()
        #expect(cluster.port > 0)
    }

    @Test(arguments: Backend.allCases)
    func seedsOnceAndReadsBack(_ backend: Backend) async throws {
        let store = try await Self.makeStore(backend)
        #expect(try await store.seedDemoIfEmpty(.standard(now: Self.now)) == false, "a second seed does nothing")
        let petition = try #require(try await store.petition(.init(1)))
        #expect(petition.state == .open)
        #expect(petition.signatureCount == 0)
        #expect(petition.thresholds.map(\.signatures) == [3, 5])
        #expect(try await store.sitting(.init(1))?.state == .scheduled)
        #expect(try await store.petition(.init(2)) == nil)
        try await store.close()
    }

    @Test(arguments: Backend.allCases)
    func commitsABatchWithDuplicatesAndUnknowns(_ backend: Backend) async throws {
        let store = try await Self.makeStore(backend)
        let batch = [Self.signature(1), Self.signature(2), Self.signature(1), Self.signature(3, petition: 99)]
        let result = try await store.commitSignatures(batch, now: Self.now)
        guard case .accepted(_, let count) = result.outcomes[0], case .accepted = result.outcomes[1] else {
            Issue.record("the first two must be accepted: \(result.outcomes)")
            return
        }
        #expect(count == 2)
        #expect(result.outcomes[2] == .duplicate)
        #expect(result.outcomes[3] == .notFound)
        #expect(result.changes == [.init(petitionID: .init(1), signatureCount: 2, thresholdsReached: [])])
        #expect(try await store.petition(.init(1))?.signatureCount == 2)
        #expect(try await store.storedSignatureCount(.init(1)) == 2)

        let again = try await store.commitSignatures([Self.signature(2)], now: Self.now)
        #expect(again.outcomes == [.duplicate])
        #expect(again.changes.isEmpty)
        try await store.close()
    }

    @Test(arguments: Backend.allCases)
    func stampsThresholdsOnce(_ backend: Backend) async throws {
        let store = try await Self.makeStore(backend)
        let first = try await store.commitSignatures((1...3).map { Self.signature($0) }, now: Self.now)
        #expect(first.changes.first?.thresholdsReached.map(\.name) == ["response"])
        let second = try await store.commitSignatures((4...6).map { Self.signature($0) }, now: Self.now)
        #expect(second.changes.first?.thresholdsReached.map(\.name) == ["debate"])
        let petition = try #require(try await store.petition(.init(1)))
        #expect(petition.thresholds.allSatisfy { $0.reachedAt == Self.now })
        #expect(petition.signatureCount == 6)
        try await store.close()
    }
}
