import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// Accounts from the command line, the audit log, and a parliament's own rejection reasons.
@Suite struct StaffAdminTests {
    @Test func staffAddRefusesBadInputAndCreatesNothing() async throws {
        let store = try await HearingFixture.store()
        let before = try await store.allStaff().count
        for (email, role, sittings, password, message) in [
            ("new@example.org", "wizard", [Int64](), "long enough password", "Unknown role"),
            ("not-an-email", "moderator", [], "long enough password", "not an email"),
            ("new@example.org", "moderator", [], "short", "at least 12"),
            ("new@example.org", "moderator", [99], "long enough password", "no sitting 99"),
            ("MOD1@example.org", "moderator", [], "long enough password", "exists"),
        ] {
            await #expect {
                _ = try await StaffAccounts.add(store: store, email: email, name: "New", role: role, sittings: sittings, password: password, bcryptCost: 4)
            } throws: { error in
                (error as? StaffAccounts.Refusal)?.description.contains(message) == true
            }
        }
        #expect(try await store.allStaff().count == before)
    }

    @Test func onlyAdminsReadTheAuditLogAndItRecordsStaffActions() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let admin = Browser(), moderator = Browser()
            try await admin.logIn(client, "admin@example.org")
            try await moderator.logIn(client, "mod1@example.org")
            let asked = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Audited?"}"#)
            let id = try #require(asked.json?["id"]?.intValue)
            _ = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"reject","reason":"off_topic"}"#)
            #expect(try await moderator.send(client, .get, "/api/v1/audit-log").status == .forbidden)
            let log = try await admin.send(client, .get, "/api/v1/audit-log?limit=10")
            let entries = try #require(log.json?["entries"]?.arrayValue)
            let rejection = try #require(entries.first { $0["action"]?.stringValue == "question_reject" })
            #expect(rejection["subject"]?.stringValue == "question:\(id)")
            #expect(rejection["details"]?["reason"]?["code"]?.stringValue == "off_topic")
            #expect(entries.contains { $0["action"]?.stringValue == "login" })
        }
    }

    @Test func aParliamentCanConfigureItsOwnReasons() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reasons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = dir.appendingPathComponent("good.json")
        try Data(#"[{"code":"rude","text":{"en":"Not polite.","fr":"Pas poli."}},{"code":"late","text":{"en":"Too late."}}]"#.utf8).write(to: good)
        let reasons = try RejectionReasonsFile.load(path: good.path)
        #expect(reasons.map(\.code) == ["rude", "late"])
        #expect(reasons[1].text(in: "fr") == "Too late.", "falls back to English")
        for (name, text) in [("empty", "[]"), ("code", #"[{"code":"Bad Code","text":{"en":"x"}}]"#), ("twice", #"[{"code":"a","text":{"en":"x"}},{"code":"a","text":{"en":"y"}}]"#),
                             ("notext", #"[{"code":"a"}]"#)] {
            let path = dir.appendingPathComponent("\(name).json")
            try Data(text.utf8).write(to: path)
            #expect(throws: RejectionReasonsFile.Invalid.self) { try RejectionReasonsFile.load(path: path.path) }
        }
        let (app, _) = try await TestApp.make(store: try await HearingFixture.store()) { $0.rejectionReasons = reasons }
        try await app.test(.router) { client in
            let moderator = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            let list = try await moderator.send(client, .get, "/api/v1/reject-reasons?lang=fr")
            #expect(list.json?["reasons"]?.arrayValue?.first?["text"]?.stringValue == "Pas poli.")
            let asked = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Rude?"}"#)
            let id = try #require(asked.json?["id"]?.intValue)
            #expect(try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"reject","reason":"off_topic"}"#).errorCode == "invalid_input",
                    "the standard reasons are replaced")
            let rejected = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"reject","reason":"rude"}"#)
            #expect(rejected.json?["question"]?["reason"]?["text"]?.stringValue == "Not polite.")
        }
    }
}
