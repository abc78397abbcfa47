import Foundation
import HemicycleCore
@testable import HemicycleSQLite
import HemicycleStorage
import Logging
import Testing

/// The upgrade to the outbox of version 7: mail already sent loses its personal data, waiting signature
/// confirmations go first.
@Suite struct OutboxUpgradeTests {
    @Test func version6OutboxRowsAreErasedOrPrioritised() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("hemicycle.sqlite").path, logger: Logger(label: "test"))
        try await store.migrate(through: 6)
        for (to, subject, sent) in [("sent@x.org", "Confirm your petition: A", "1000"), ("other@x.org", "Confirm your support: A", "NULL"),
                                    ("signer@x.org", "Confirm your signature", "NULL")] {
            try await store.execute(
                "INSERT INTO outbox (recipient, subject, body, created_at, next_attempt_at, sent_at) VALUES ('\(to)', '\(subject)', 'body', 500, 500, \(sent))"
            )
        }
        try await store.migrate()
        let entries = try await store.outboxEntries(limit: 10)
        let sent = try #require(entries.first { $0.state == .sent })
        #expect(sent.recipient.isEmpty && sent.subject.isEmpty && sent.body.isEmpty)
        #expect(try await store.dueMail(now: .init(millisecondsSince1970: 600), limit: 10).map(\.mail.to) == ["signer@x.org", "other@x.org"])
        try await store.close()
    }
}
