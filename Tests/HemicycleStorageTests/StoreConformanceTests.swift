import Foundation
import HemicycleCore
import HemicyclePostgres
import HemicyclePostgresTesting
import HemicycleSQLite
import HemicycleStorage
import HemicycleTesting
import Logging
import Testing

/// The store conformance suite (HemicycleTesting's `StoreConformance`), run against each backend of this package:
/// memory, SQLite and PostgreSQL (on a throwaway cluster; skipped with a visible reason when PostgreSQL is absent,
/// a failure when `HEMICYCLE_REQUIRE_POSTGRES=1` as in CI).
@Suite struct StoreConformanceTests {
    static let now = StoreConformance.now

    static func signature(_ n: Int, petition: Int64 = 1) throws -> PendingSignature {
        try StoreConformance.signature(n, petition: petition)
    }

    @Test(arguments: StoreConformance.allCases)
    func memory(_ conformance: StoreConformance.Case) async throws {
        try await conformance.run { InMemoryStore() }
    }

    @Test(arguments: StoreConformance.allCases)
    func sqlite(_ conformance: StoreConformance.Case) async throws {
        try await conformance.run { try await SQLiteStore.open(path: try Self.freshPath(), logger: Logger(label: "test")) }
    }

    @Test(.enabled(if: TestCluster.isAvailable || TestCluster.required, Comment(rawValue: TestCluster.absentReason)),
          arguments: StoreConformance.allCases)
    func postgres(_ conformance: StoreConformance.Case) async throws {
        try await conformance.run { try await TestCluster.openStore(poolSize: 4) }
    }

    /// Says visibly when the PostgreSQL runs are skipped; fails when PostgreSQL is required and absent or does not start.
    @Test(.enabled(if: TestCluster.isAvailable || TestCluster.required, Comment(rawValue: TestCluster.absentReason)))
    func postgresIsThere() async throws {
        let cluster = try await TestCluster.shared()
        #expect(cluster.port > 0)
    }

    /// A database file in a new temporary directory.
    static func freshPath() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("hemicycle.sqlite").path
    }
}
