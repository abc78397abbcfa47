import Foundation
import HemicycleSQLite
import HemicycleStorage
import HemicycleTesting
import Logging
import Testing

/// The store conformance suite (HemicycleTesting's `StoreConformance`), run against each backend of this package.
@Suite struct StoreConformanceTests {
    @Test(arguments: StoreConformance.allCases)
    func memory(_ conformance: StoreConformance.Case) async throws {
        try await conformance.run { InMemoryStore() }
    }

    @Test(arguments: StoreConformance.allCases)
    func sqlite(_ conformance: StoreConformance.Case) async throws {
        try await conformance.run { try await SQLiteStore.open(path: try Self.freshPath(), logger: Logger(label: "test")) }
    }

    /// A database file in a new temporary directory.
    static func freshPath() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("hemicycle.sqlite").path
    }
}
