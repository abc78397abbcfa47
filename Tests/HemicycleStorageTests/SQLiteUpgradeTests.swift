import Foundation
import HemicycleCore
@testable import HemicycleSQLite
import HemicycleStorage
import Logging
import Testing

/// A database made by an earlier version keeps every signature through the upgrade to signature integrity (v5): the
/// counts are rebuilt into tallies, and the integrity figures count what was there.
@Suite struct SQLiteUpgradeTests {
    @Test func version4SignaturesSurviveTheUpgrade() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("hemicycle.sqlite").path, logger: Logger(label: "test"))
        try await store.migrate(through: 4)
        _ = try await store.seedDemoIfEmpty(.standard(now: .init(millisecondsSince1970: 0)))
        // As version 4 stored them: two counted (one without a country), one pending.
        for (name, country, state) in [("a", "'GB'", "counted"), ("b", "NULL", "counted"), ("c", "'FR'", "pending")] {
            try await store.execute(
                "INSERT INTO signatures (petition_id, name, name_key, email, country, created_at, state) VALUES (1, '\(name)', '\(name)', '\(name)@x.org', \(country), 5000, '\(state)')"
            )
        }
        try await store.execute("UPDATE petitions SET signature_count = 2 WHERE id = 1")
        try await store.migrate()
        #expect(Set(try await store.tallies(of: .init(1)).map { "\($0.country)=\($0.count)" }) == ["GB=1", "=1"])
        let figures = try await store.integrity(of: .init(1), bucketMilliseconds: 60_000)
        #expect(figures.totals == .init(created: 3, confirmed: 2, held: 0, invalidated: 0), "counted rows count as confirmed when they were made")
        #expect(try await store.signatureHistory(of: .init(1), bucketMilliseconds: 60_000, constituency: nil).map(\.added) == [2])
        // And they can be invalidated like any other.
        let (_, changes) = try await store.invalidate(
            SignatureFilter(petition: .init(1)), reason: "test", condition: "petition 1", staffID: nil,
            audit: AuditEntry(at: .init(millisecondsSince1970: 6000), staffID: nil, action: "signatures_invalidated", subject: "invalidation"),
            now: .init(millisecondsSince1970: 6000)
        )
        #expect(changes.map(\.signatureCount) == [0])
        #expect(try await store.tallies(of: .init(1)).isEmpty)
        try await store.close()
    }
}
