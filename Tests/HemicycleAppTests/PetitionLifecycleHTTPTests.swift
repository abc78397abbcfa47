import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import HemicycleTesting
import Hummingbird
import HummingbirdTesting
import Testing

/// The petition lifecycle over HTTP: create, confirm by the emailed link, supporters, moderation, response, debate.
@Suite struct PetitionLifecycleHTTPTests {
    static let create = #"{"action":"Plant a tree for every newborn","background":"Cities need shade.","name":"Ada Lovelace","email":"ada@example.org"}"#

    /// The token of the newest confirmation link in the outbox.
    func lastToken(_ store: InMemoryStore) async throws -> String {
        let mail = try #require(await store.outboxMail().last)
        return String(try #require(mail.body.firstMatch(of: /\/confirm\/([A-Za-z0-9_-]+)/)?.1))
    }

    @Test func aPetitionIsCreatedConfirmedSupportedPublishedAndAnswered() async throws {
        let (app, store) = try await HearingFixture.make { $0.petitions.supportersRequired = 2 }
        try await app.test(.router) { client in
            let creator = Browser(), moderator = Browser(), anyone = Browser()
            var response = try await creator.send(client, .post, "/api/v1/petitions", json: Self.create)
            #expect(response.status == .created)
            #expect(response.json?["state"]?.stringValue == "pending")
            let id = try #require(response.json?["id"]?.intValue)
            #expect(try await store.outboxMail().last?.to == "ada@example.org")
            #expect(try await anyone.send(client, .get, "/petitions/\(id).json").status == .notFound, "a pending petition is not public")

            let token = try await lastToken(store)
            response = try await creator.send(client, .get, "/confirm/\(token)")
            #expect(response.status == .ok, "the emailed link only shows a page")
            #expect(try await store.petition(.init(id))?.state == .pending, "opening the link confirms nothing (mail scanners)")
            response = try await creator.send(client, .post, "/confirm/\(token)", json: "{}")
            #expect(response.json?["purpose"]?.stringValue == "creator")
            #expect(response.json?["petition"]?["state"]?.stringValue == "validated")
            let supportURL = try #require(response.json?["support_url"]?.stringValue)
            let sponsorToken = String(try #require(supportURL.split(separator: "/").last))
            #expect(try await creator.send(client, .post, "/confirm/\(token)", json: "{}").errorCode == "invalid_token", "a token works once")

            #expect(try await anyone.send(client, .post, "/api/v1/petitions/\(id)/supporters", json: #"{"token":"wrong","name":"Bo","email":"bo@example.org"}"#).status == .notFound)
            for (n, email) in ["bo@example.org", "cy@example.org"].enumerated() {
                response = try await anyone.send(client, .post, "/api/v1/petitions/\(id)/supporters", json: #"{"token":"\#(sponsorToken)","name":"Supporter \#(n)","email":"\#(email)"}"#)
                #expect(response.status == .accepted)
                #expect(try await store.petition(.init(id))?.state == .validated, "unconfirmed supporters do not count")
                _ = try await anyone.send(client, .post, "/confirm/\(try await lastToken(store))", json: "{}")
            }
            #expect(try await anyone.send(client, .post, "/api/v1/petitions/\(id)/supporters", json: #"{"token":"\#(sponsorToken)","name":"Bo again","email":"bo@example.org"}"#).errorCode == "duplicate_signature")
            let sponsored = try #require(try await store.petition(.init(id)))
            #expect(sponsored.state == .sponsored)
            #expect(sponsored.signatureCount == 3, "the creator and two supporters")

            try await moderator.logIn(client, "pmod@example.org")
            response = try await moderator.send(client, .get, "/api/v1/petitions/moderation-queue")
            #expect(response.json?["petitions"]?.arrayValue?.compactMap { $0["id"]?.intValue }.contains(id) == true)
            response = try await moderator.send(client, .post, "/api/v1/petitions/\(id)/moderation", json: #"{"action":"publish"}"#)
            #expect(response.json?["state"]?.stringValue == "open")
            response = try await anyone.send(client, .get, "/petitions/\(id).json")
            let attributes = try #require(response.json?["data"]?["attributes"])
            #expect(attributes["state"]?.stringValue == "open" && attributes["signature_count"]?.intValue == 3)
            #expect(attributes["creator_name"]?.stringValue == "Ada Lovelace")
            #expect(attributes["moderation_threshold_reached_at"]?.stringValue != nil && attributes["closing_date"]?.stringValue != nil)
            #expect(!response.text.contains("ada@example.org"), "no signer's email in public output")

            response = try await moderator.send(client, .put, "/api/v1/petitions/\(id)/government-response",
                                                json: #"{"responded_on":"2026-12-01","summary":"We agree.","details":"Trees will be planted."}"#)
            #expect(response.json?["data"]?["attributes"]?["government_response"]?["summary"]?.stringValue == "We agree.")
            response = try await moderator.send(client, .put, "/api/v1/petitions/\(id)/debate",
                                                json: #"{"debated_on":"2026-12-02","video_url":"https://video.example/1","overview":"MPs debated."}"#)
            #expect(response.json?["data"]?["attributes"]?["debate"]?["video_url"]?.stringValue == "https://video.example/1")
            #expect(try await moderator.send(client, .put, "/api/v1/petitions/\(id)/debate", json: #"{"debated_on":"tomorrow"}"#).errorCode == "invalid_input")
        }
        #expect(try await store.auditLog(limit: 50).contains { $0.action == "petition_publish" })
    }

    @Test func moderationIsForPetitionsModeratorsAndFollowsTheStates() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let moderator = Browser(), hearingsModerator = Browser(), anyone = Browser()
            try await moderator.logIn(client, "pmod@example.org")
            try await hearingsModerator.logIn(client, "mod1@example.org")
            let id = try #require(try await anyone.send(client, .post, "/api/v1/petitions", json: Self.create).json?["id"]?.intValue)
            #expect(try await anyone.send(client, .post, "/api/v1/petitions/\(id)/moderation", json: #"{"action":"publish"}"#).errorCode == "not_logged_in")
            #expect(try await hearingsModerator.send(client, .post, "/api/v1/petitions/\(id)/moderation", json: #"{"action":"publish"}"#).status == .forbidden)
            let refused = try await moderator.send(client, .post, "/api/v1/petitions/\(id)/moderation", json: #"{"action":"publish"}"#)
            #expect(refused.errorCode == "petition_state_conflict", "a pending petition cannot be published")
            #expect(try await store.petition(.init(id))?.state == .pending)

            // The demo petition is open: reject it with a coded reason, then nothing more applies.
            #expect(try await moderator.send(client, .post, "/api/v1/petitions/1/moderation", json: #"{"action":"reject","code":"nonsense"}"#).errorCode == "invalid_input")
            #expect(try await moderator.send(client, .post, "/api/v1/petitions/1/moderation", json: #"{"action":"flag"}"#).errorCode == "petition_state_conflict")
            let rejected = try await moderator.send(client, .post, "/api/v1/petitions/1/moderation", json: #"{"action":"reject","code":"duplicate","details":"See petition 7."}"#)
            #expect(rejected.json?["state"]?.stringValue == "rejected", "\(rejected.status) \(rejected.text)")
            let document = try await anyone.send(client, .get, "/petitions/1.json")
            #expect(document.json?["data"]?["attributes"]?["rejection"]?["code"]?.stringValue == "duplicate")
            #expect(document.json?["data"]?["attributes"]?["rejected_at"]?.stringValue != nil)
            #expect(try await moderator.send(client, .post, "/api/v1/petitions/1/moderation", json: #"{"action":"publish"}"#).errorCode == "petition_state_conflict")
            #expect(try await anyone.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Late","email":"late@example.org"}"#).errorCode == "petition_not_open")
        }
    }

    @Test(arguments: [
        (#"{"action":"","background":"B","name":"Ada","email":"ada@example.org"}"#, "action"),
        ("{\"action\":\"\(String(repeating: "a", count: 81))\",\"background\":\"B\",\"name\":\"Ada\",\"email\":\"ada@example.org\"}", "action"),
        (#"{"action":"A","background":"","name":"Ada","email":"ada@example.org"}"#, "background"),
        (#"{"action":"A","background":"<script>","name":"Ada","email":"ada@example.org"}"#, "background"),
        (#"{"action":"A","background":"B","name":"","email":"ada@example.org"}"#, "name"),
        (#"{"action":"A","background":"B","name":"Ada","email":"nope"}"#, "email"),
        (#"{"action":"A","background":"B","name":"Ada","email":"ada@example.org","country":"Narnia"}"#, "country"),
    ])
    func badPetitionsAreRefusedAndNothingIsStored(_ body: String, _ field: String) async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let response = try await Browser().send(client, .post, "/api/v1/petitions", json: body)
            #expect(response.status == .unprocessableContent)
            #expect(response.json?["error"]?["fields"]?[field] != nil, "\(response.text)")
        }
        #expect(try await store.countPetitions(PetitionQuery(states: Set(PetitionState.allCases))) == 1, "only the demo")
        #expect(await store.outboxMail().isEmpty)
    }

    @Test func theSchedulerClosesPetitionsAtTheirDeadlineAndTheMailerUsesSendmail() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await HearingFixture.store()
        // The server runs on a test clock: the deadline passes when the test moves time, not after a wait.
        let clock = ManualClock()
        var closing = try #require(try await store.petition(.init(1)))
        closing.closingAt = clock.now().adding(.seconds(86_400))
        await store.put(closing)
        let (app, _) = try await TestApp.make(store: store) { configuration in
            configuration.clock = clock
            configuration.schedulerInterval = .seconds(60)
            configuration.mailInterval = .seconds(60)
            configuration.sendmailCommand = ["/bin/sh", "-c", "cat > \(dir.path)/$$.eml"]
        }
        try await app.test(.live) { client in
            _ = try await Browser().send(client, .post, "/api/v1/petitions", json: Self.create)
            #expect(try await store.petition(.init(1))?.state == .open, "open until its deadline on the server's clock")
            clock.advance(by: .seconds(86_400 + 60))
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            var files: [String] = []
            while ContinuousClock.now < deadline {
                files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
                let sent = await store.outboxState()
                if !files.isEmpty, !sent.isEmpty, sent.allSatisfy(\.sent), try await store.petition(.init(1))?.state == .closed { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await store.petition(.init(1))?.state == .closed, "the scheduler closed the petition past its deadline")
            #expect(try await store.petition(.init(1))?.closedAt != nil)
            let message = try String(contentsOf: dir.appendingPathComponent(try #require(files.first)), encoding: .utf8)
            #expect(message.contains("To: ada@example.org\r\n"))
            #expect(message.contains("/confirm/"), "the message carries the confirmation link")
            #expect(await store.outboxState().allSatisfy { $0.sent })
        }
    }

    @Test func failedMailIsRetriedNotLost() async throws {
        let (app, store) = try await HearingFixture.make { configuration in
            configuration.mailInterval = .milliseconds(20)
            configuration.sendmailCommand = ["/bin/false"]
        }
        try await app.test(.live) { client in
            _ = try await Browser().send(client, .post, "/api/v1/petitions", json: Self.create)
            let deadline = ContinuousClock.now.advanced(by: .seconds(5))
            while ContinuousClock.now < deadline, await store.outboxState().first?.attempts ?? 0 < 1 {
                try await Task.sleep(for: .milliseconds(20))
            }
            let state = try #require(await store.outboxState().first)
            #expect(state.attempts >= 1 && !state.sent, "a failed send stays in the outbox for a later attempt")
        }
    }
}

/// Signing with email confirmation, and the household rule.
@Suite struct SignatureConfirmationHTTPTests {
    func lastToken(_ store: InMemoryStore) async throws -> String {
        let mail = try #require(await store.outboxMail().last)
        return String(try #require(mail.body.firstMatch(of: /\/confirm\/([A-Za-z0-9_-]+)/)?.1))
    }

    @Test func onlyConfirmedSignaturesCount() async throws {
        let (app, store) = try await HearingFixture.make { $0.signatureConfirmation = .email }
        try await app.test(.router) { client in
            let signer = Browser()
            var response = try await signer.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Ada","email":"ada@example.org"}"#)
            #expect(response.status == .accepted)
            #expect(response.json?["state"]?.stringValue == "pending_confirmation")
            #expect(try await store.petition(.init(1))?.signatureCount == 0, "not counted before confirmation")
            #expect(await store.outboxMail().last?.to == "ada@example.org")
            let token = try await lastToken(store)
            #expect(try await signer.send(client, .get, "/confirm/\(token)").status == .ok)
            #expect(try await store.petition(.init(1))?.signatureCount == 0, "opening the link (a mail scanner) counts nothing")
            response = try await signer.send(client, .post, "/confirm/\(token)", json: "{}")
            #expect(response.json?["purpose"]?.stringValue == "signature")
            #expect(response.json?["petition"]?["signature_count"]?.intValue == 1)
            #expect(try await signer.send(client, .post, "/confirm/\(token)", json: "{}").errorCode == "invalid_token", "single use")
            #expect(try await store.petition(.init(1))?.signatureCount == 1)
            #expect(try await store.storedSignatureCount(.init(1)) == 1)
        }
    }

    @Test func aHouseholdSignsTwiceWithTwoNamesButNoMore() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let b = Browser()
            func sign(_ name: String) async throws -> TestResponse {
                try await b.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"\#(name)","email":"home@example.org"}"#)
            }
            #expect(try await sign("Ada Lovelace").status == .created)
            #expect(try await sign("ada   LOVELACE").errorCode == "duplicate_signature", "the same person, written differently")
            #expect(try await sign("Byron Lovelace").status == .created, "a second person of the household")
            let third = try await sign("Annabella Milbanke")
            #expect(third.errorCode == "household_limit")
            #expect(third.json?["error"]?["message"]?.stringValue?.contains("Two people") == true)
        }
        #expect(try await store.petition(.init(1))?.signatureCount == 2)
        #expect(try await store.storedSignatureCount(.init(1)) == 2)
    }

    @Test func anEligibilityStatementMustBeConfirmedWhenConfigured() async throws {
        let (app, store) = try await HearingFixture.make { $0.petitions.eligibilityStatement = "I am a resident." }
        try await app.test(.router) { client in
            let b = Browser()
            let refused = try await b.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Ada","email":"ada@example.org"}"#)
            #expect(refused.json?["error"]?["fields"]?["eligible"] != nil)
            #expect(try await b.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Ada","email":"ada@example.org","eligible":true}"#).status == .created)
        }
        #expect(try await store.petition(.init(1))?.signatureCount == 1)
    }
}
