import Foundation
import HemicycleCore
import HemicycleSQLite
import HemicycleStorage
import Logging
import Testing

@Suite struct SQLiteStoreTests {
    @Test func reopeningKeepsDataAndMigratesOnce() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-reopen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("hemicycle.sqlite").path
        let first = try await SQLiteStore.open(path: path, logger: Logger(label: "test"))
        try await first.migrate()
        _ = try await first.seedDemoIfEmpty(.standard(now: .init(millisecondsSince1970: 0)))
        let signature = PendingSignature(petitionID: .init(1), signature: try SignatureRequest(name: "A", email: "a@b.org").validated().get())
        _ = try await first.commitSignatures([signature], now: .init(millisecondsSince1970: 1))
        try await first.close()

        let second = try await SQLiteStore.open(path: path, logger: Logger(label: "test"))
        try await second.migrate()
        #expect(try await second.seedDemoIfEmpty(.standard(now: .init(millisecondsSince1970: 0))) == false)
        #expect(try await second.petition(.init(1))?.signatureCount == 1)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the database runs in WAL mode")
        try await second.close()
    }
}
