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
        // The demo petition as version 4 stored it.
        try await store.execute(
            """
            INSERT INTO petitions (id, action, background, additional_details, state, signature_count, created_at, updated_at, response_threshold, debate_threshold)
            VALUES (1, 'Demo', 'B', '', 'open', 0, 0, 0, 10000, 100000)
            """
        )
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

    /// Version 8 finds petitions stored before it: their search text is filled (folding beyond ASCII, as new ones),
    /// hidden ones are stamped, and they list by state like new ones.
    @Test func version6PetitionsListAndSearchAfterTheUpgrade() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("hemicycle.sqlite").path, logger: Logger(label: "test"))
        try await store.migrate(through: 6)
        for (id, action, state) in [(1, "ÉCOLES OUVERTES", "open"), (2, "Hidden", "hidden"), (3, "Draft", "pending")] {
            try await store.execute(
                """
                INSERT INTO petitions (id, action, background, additional_details, state, signature_count, created_at, updated_at, response_threshold, debate_threshold)
                VALUES (\(id), '\(action)', 'B', '', '\(state)', 0, 0, 777, 10000, 100000)
                """
            )
        }
        try await store.migrate()
        let found = try await store.petitions(PetitionQuery(states: PetitionQuery.publicStates, words: ["écoles"]), limit: 10, offset: 0)
        #expect(found.map(\.id) == [.init(1)])
        #expect(try await store.petition(.init(2))?.hiddenAt == Timestamp(millisecondsSince1970: 777), "hidden at its last change")
        #expect(try await store.countPetitions(PetitionQuery(states: [.pending])) == 1)
        try await store.close()
    }

    @Test func erasedDataIsOverwrittenInTheFile() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-secure-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("hemicycle.sqlite").path, logger: Logger(label: "test"))
        #expect(try await store.pragma("secure_delete") == 1, "erased values are overwritten, not left in free pages")
        try await store.migrate()
        _ = try await store.seedDemoIfEmpty(.standard(now: .init(millisecondsSince1970: 0)))
        let marker = "unmistakable-signer-\(UUID().uuidString)"
        _ = try await store.commitSignatures([
            PendingSignature(petitionID: .init(1), signature: try SignatureRequest(name: marker, email: "\(marker)@example.org").validated().get()),
        ], now: .init(millisecondsSince1970: 1))
        var petition = try #require(try await store.petition(.init(1)))
        try petition.apply(.close, at: .init(millisecondsSince1970: 2))
        try await store.updatePetition(petition, audit: nil)
        #expect(try await store.anonymise(endedBefore: .init(millisecondsSince1970: 2)) == 1)
        try await store.close()
        // Neither the database nor its WAL holds the name or the email any more.
        for suffix in ["", "-wal"] {
            let path = dir.appendingPathComponent("hemicycle.sqlite" + suffix).path
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            #expect(data.range(of: Data(marker.utf8)) == nil, "hemicycle.sqlite\(suffix) still holds the erased name")
        }
    }
}
