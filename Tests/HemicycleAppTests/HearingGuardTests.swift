import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import HemicycleTesting
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Permissions, bad inputs, limits and conflicts: each refused with its error, changing nothing.
@Suite struct HearingGuardTests {
    /// Asks one question in sitting 1 and approves it; returns its id.
    func approvedQuestion(_ client: some TestClientProtocol, text: String = "Will fares fall?") async throws -> Int64 {
        let asker = try await Browser.participant(client), moderator = Browser()
        let response = try await asker.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"\#(text)"}"#)
        let id = try #require(response.json?["id"]?.intValue)
        try await moderator.logIn(client, "mod1@example.org")
        #expect(try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#).status == .ok)
        return id
    }

    @Test func everyRoleIsCheckedAndRefusalsChangeNothing() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let asker = try await Browser.participant(client)
            let response = try await asker.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Pending?"}"#)
            let pending = try #require(response.json?["id"]?.intValue)
            let before = try await store.questions(in: .init(1))

            let viewer = Browser(), otherModerator = Browser(), chair = Browser(), clerk = Browser()
            #expect(try await viewer.send(client, .post, "/api/v1/questions/\(pending)/moderation", json: #"{"action":"approve"}"#).errorCode == "not_logged_in")
            try await otherModerator.logIn(client, "mod2@example.org")
            #expect(try await otherModerator.send(client, .post, "/api/v1/questions/\(pending)/moderation", json: #"{"action":"approve"}"#).status == .forbidden,
                    "a moderator of sitting 2 cannot act on sitting 1")
            #expect(try await otherModerator.send(client, .get, "/api/v1/sittings/1/notes").status == .forbidden)
            #expect(try await otherModerator.send(client, .get, "/sittings/1/moderate").status == .forbidden)
            try await chair.logIn(client, "chair1@example.org")
            #expect(try await chair.send(client, .post, "/api/v1/questions/\(pending)/moderation", json: #"{"action":"approve"}"#).status == .forbidden,
                    "a chair does not moderate")
            try await clerk.logIn(client, "clerk@example.org")
            #expect(try await clerk.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"live"}"#).status == .forbidden, "a clerk does not chair")
            #expect(try await otherModerator.send(client, .post, "/api/v1/sittings/1/on-screen", json: #"{"question":\#(pending)}"#).status == .forbidden)
            #expect(try await viewer.send(client, .post, "/api/v1/sittings/1/notes", json: #"{"text":"hi"}"#).errorCode == "not_logged_in")
            // A forged session cookie is nobody.
            viewer.setCookie("hc_session", "forged-token-value")
            #expect(try await viewer.send(client, .post, "/api/v1/questions/\(pending)/moderation", json: #"{"action":"approve"}"#).errorCode == "not_logged_in")
            // A forged participant token is not the author.
            let forger = Browser()
            forger.setCookie("hc_participant", "\(asker.cookie("hc_participant")!.split(separator: ".")[0]).AAAA")
            #expect(try await forger.send(client, .delete, "/api/v1/questions/\(pending)").status == .forbidden)
            #expect(try await store.questions(in: .init(1)) == before, "no refusal changed anything")
        }
    }

    @Test(arguments: [
        (#"{"text":""}"#, 422, "invalid_input"),
        (#"{"text":"   "}"#, 422, "invalid_input"),
        ("{\"text\":\"\(String(repeating: "x", count: 281))\"}", 422, "invalid_input"),
        (#"{"text":"<script>alert(1)</script>"}"#, 422, "invalid_input"),
        (#"{"text":"ok?","name":"\#(String(repeating: "n", count: 61))"}"#, 422, "invalid_input"),
        (#"{"text":42}"#, 422, "invalid_input"),
        (#"{"name":"Ana"}"#, 422, "invalid_input"),
        (#"not json"#, 400, "malformed_json"),
        (#"[1,2]"#, 400, "malformed_json"),
    ])
    func badQuestionsAreRefusedAndNothingIsStored(_ body: String, _ status: Int, _ code: String) async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let response = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: body)
            #expect(response.status.code == status)
            #expect(response.errorCode == code, "\(response.text)")
        }
        #expect(try await store.questions(in: .init(1)).isEmpty)
    }

    @Test func theRequestItselfIsChecked() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let b = try await Browser.participant(client)
            var response = try await b.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"ok?"}"#, headers: [.contentType: "text/plain"])
            #expect(response.errorCode == "unsupported_media_type")
            response = try await b.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"ok?"}"#, headers: [.origin: "https://attacker.example"])
            #expect(response.errorCode == "origin_not_allowed")
            #expect(try await b.send(client, .post, "/api/v1/sittings/999/questions", json: #"{"text":"ok?"}"#).status == .notFound)
            #expect(try await b.send(client, .post, "/api/v1/sittings/abc/questions", json: #"{"text":"ok?"}"#).status == .notFound)
            #expect(try await b.send(client, .post, "/api/v1/questions/999/vote", json: "{}").status == .notFound)
            #expect(try await b.send(client, .get, "/api/v1/sittings/1/questions?state=nonsense").status == .unprocessableContent)
        }
        #expect(try await store.questions(in: .init(1)).isEmpty)
    }

    @Test func moderationInputsAreValidated() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let id = try await approvedQuestion(client)
            let moderator = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            let before = try await store.questions(in: .init(1))
            for (body, code) in [
                (#"{"action":"reject","reason":"i_dont_like_it"}"#, "invalid_input"),
                (#"{"action":"reject"}"#, "invalid_input"),
                (#"{"action":"merge","into":\#(id)}"#, "invalid_input"),
                (#"{"action":"merge","into":999}"#, "invalid_input"),
                (#"{"action":"tag","tag":"Weather"}"#, "invalid_input"),
                (#"{"action":"priority","priority":101}"#, "invalid_input"),
                (#"{"action":"edit","text":"<i>x</i>"}"#, "invalid_input"),
                (#"{"action":"dance"}"#, "invalid_input"),
                (#"{"action":"approve"}"#, "question_state_conflict"),
            ] {
                let response = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: body)
                #expect(response.errorCode == code, "\(body): \(response.text)")
            }
            #expect(try await store.questions(in: .init(1)) == before)
            let response = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"edit","text":"Will rail fares fall?"}"#)
            #expect(response.json?["question"]?["original_text"]?.stringValue == "Will fares fall?")
            #expect(response.json?["question"]?["edited"] == .bool(true))
        }
    }

    @Test func votesAreOncePerParticipantAndRateLimited() async throws {
        // The server's clock stands still: the six votes fall in one second however slow the machine is.
        let (app, store) = try await HearingFixture.make { $0.clock = ManualClock() }
        try await app.test(.router) { client in
            var ids: [Int64] = []
            for n in 0..<7 { ids.append(try await approvedQuestion(client, text: "Question \(n)?")) }
            let voter = try await Browser.participant(client)
            #expect(try await voter.send(client, .post, "/api/v1/questions/\(ids[0])/vote", json: "{}").status == .ok)
            #expect(try await voter.send(client, .post, "/api/v1/questions/\(ids[0])/vote", json: "{}").errorCode == "already_voted")
            #expect(try await voter.send(client, .delete, "/api/v1/questions/\(ids[0])/vote").json?["voted"] == .bool(false))
            #expect(try await voter.send(client, .delete, "/api/v1/questions/\(ids[0])/vote").errorCode == "not_voted")
            // 5 votes a second by default: one was spent above.
            var statuses: [Int] = []
            for id in ids.dropFirst() { statuses.append(try await voter.send(client, .post, "/api/v1/questions/\(id)/vote", json: "{}").status.code) }
            #expect(statuses.contains(429), "\(statuses)")
            let limited = try await voter.send(client, .post, "/api/v1/questions/\(ids[6])/vote", json: "{}")
            if limited.status == .tooManyRequests { #expect(limited.headers[.retryAfter] != nil) }
        }
        let votes = try await store.questions(in: .init(1)).map(\.votes).reduce(0, +)
        #expect(votes < 6, "refused votes were not stored")
    }

    @Test func questionsPerMinuteAreLimitedPerParticipant() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let asker = try await Browser.participant(client)
            for n in 0..<3 {
                #expect(try await asker.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Question \#(n)?"}"#).status == .created)
            }
            let response = try await asker.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"One more?"}"#)
            #expect(response.errorCode == "rate_limited")
            #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Someone else?"}"#).status == .created)
        }
        #expect(try await store.questions(in: .init(1)).count == 4)
    }

    @Test func concurrentModeratorsGetOneWinnerAndAClearConflict() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let ana = Browser(), ben = Browser()
            try await ana.logIn(client, "mod1@example.org")
            try await ben.logIn(client, "mod1b@example.org")
            // Pairs that conflict whatever the order (an approved question may still be rejected later, so
            // approve-versus-reject is not a conflict when the approval lands first).
            let pairs = [
                (#"{"action":"approve"}"#, #"{"action":"approve"}"#),
                (#"{"action":"reject","reason":"off_topic"}"#, #"{"action":"reject","reason":"duplicate"}"#),
            ]
            for round in 0..<6 {
                let asker = try await Browser.participant(client)  // a new participant each round: the question limit is per participant
                let response = try await asker.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Race \#(round)?"}"#)
                let id = try #require(response.json?["id"]?.intValue)
                let (first, second) = pairs[round % 2]
                async let a = ana.send(client, .post, "/api/v1/questions/\(id)/moderation", json: first)
                async let b = ben.send(client, .post, "/api/v1/questions/\(id)/moderation", json: second)
                let results = try await [a, b]
                #expect(results.filter { $0.status == .ok }.count == 1, "exactly one wins")
                let loser = try #require(results.first { $0.status != .ok })
                #expect(loser.status == .conflict && loser.errorCode == "question_state_conflict")
                #expect(loser.json?["error"]?["message"]?.stringValue?.contains("it is") == true, "the message names the state")
            }
            // Claims: Ben cannot act on a question Ana holds.
            let response = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Claimed?"}"#)
            let id = try #require(response.json?["id"]?.intValue)
            #expect(try await ana.send(client, .post, "/api/v1/questions/\(id)/claim", json: "{}").status == .ok)
            let blocked = try await ben.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#)
            #expect(blocked.errorCode == "claimed_by_other")
            #expect(blocked.json?["error"]?["message"]?.stringValue?.contains("mod1") == true, "names the holder")
            #expect(try await ben.send(client, .post, "/api/v1/questions/\(id)/claim", json: "{}").errorCode == "claimed_by_other")
            #expect(try await ben.send(client, .delete, "/api/v1/questions/\(id)/claim").errorCode == "claimed_by_other")
            #expect(try await ana.send(client, .delete, "/api/v1/questions/\(id)/claim").status == .ok)
            #expect(try await ben.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#).status == .ok)
        }
        let log = try await store.moderationLog(of: .init(1))
        #expect(log.count == 7, "one decision per question: \(log.map(\.action))")
    }

    @Test func formsNeedTheirCSRFToken() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let viewer = Browser()
            let page = try await viewer.send(client, .get, "/sittings/1")
            let token = try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            // Forms get HTML error pages; with `Accept: application/json` the same refusal reads as JSON.
            var response = try await viewer.send(client, .post, "/sittings/1/questions", form: "text=Without+a+token%3F")
            #expect(response.status == .forbidden && response.text.contains("did not come from this site"))
            response = try await viewer.send(client, .post, "/sittings/1/questions", form: "text=Without+a+token%3F", headers: [.accept: "application/json"])
            #expect(response.errorCode == "csrf_failed")
            response = try await Browser.participant(client).send(
                client, .post, "/sittings/1/questions", form: "text=Stolen+token%3F&csrf_token=\(token)", headers: [.accept: "application/json"])
            #expect(response.errorCode == "csrf_failed", "a token is bound to its participant")
            response = try await Browser().send(client, .post, "/sittings/1/questions", form: "text=No+participant%3F&csrf_token=\(token)", headers: [.accept: "application/json"])
            #expect(response.errorCode == "participant_required", "no participant cookie, no question")
            #expect(try await store.questions(in: .init(1)).isEmpty)
            response = try await viewer.send(client, .post, "/sittings/1/questions", form: "text=With+a+token%3F&name=Ana&csrf_token=\(token)")
            #expect(response.status == .seeOther && response.headers[.location] == "/sittings/1?asked=1#my-questions")
            response = try await viewer.send(client, .post, "/sittings/1/questions", form: "text=%3Cb%3E&csrf_token=\(token)")
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("Markup is not allowed"), "the page shows the error")

            let staff = Browser()
            response = try await staff.send(client, .post, "/staff/login", form: "email=mod1%40example.org&password=correct+horse+battery", headers: [.accept: "application/json"])
            #expect(response.errorCode == "csrf_failed")
            let login = try await staff.send(client, .get, "/staff/login")
            let loginToken = try #require(login.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            response = try await staff.send(client, .post, "/staff/login", form: "email=mod1%40example.org&password=correct+horse+battery&csrf_token=\(loginToken)&next=/sittings/1/moderate")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/sittings/1/moderate")
            #expect(response.headers[.setCookie]?.contains("SameSite=Strict") == true)
            #expect(response.headers[.setCookie]?.contains("HttpOnly") == true)
            #expect(try await staff.send(client, .get, "/sittings/1/moderate").status == .ok)
        }
        #expect(try await store.questions(in: .init(1)).count == 1)
    }

    @Test func loginsAreRateLimitedAndSessionsEnd() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let attacker = Browser()
            var codes: [String?] = []
            for _ in 0..<6 { codes.append(try await attacker.logIn(client, "mod1@example.org", password: "wrong password!").errorCode) }
            #expect(codes.prefix(5).allSatisfy { $0 == "invalid_credentials" })
            #expect(codes.last == "rate_limited")
            #expect(try await attacker.logIn(client, "nobody@example.org", password: "x").errorCode == "invalid_credentials", "unknown emails get the same answer")

            let staff = Browser()
            #expect(try await staff.logIn(client, "mod2@example.org").status == .ok)
            #expect(try await staff.send(client, .get, "/api/v1/session").json?["staff"]?["role"]?.stringValue == "moderator")
            let token = try #require(staff.cookie("hc_session"))
            #expect(try await staff.send(client, .delete, "/api/v1/session").status == .ok)
            staff.setCookie("hc_session", token)
            #expect(try await staff.send(client, .get, "/api/v1/session").errorCode == "not_logged_in", "a logged-out token is dead")
        }
        #expect(try await store.auditLog(limit: 50).contains { $0.action == "login_failed" })
    }

    @Test func theFirstAdminMustChangeTheOneTimePassword() async throws {
        let captured = CapturedCredentials()
        let (app, _) = try await TestApp.make { configuration in
            configuration.firstAdminEmail = "root@example.org"
            configuration.onFirstAdmin = { email, password in captured.set(email, password) }
        }
        let (email, password) = try #require(captured.value)
        #expect(email == "root@example.org" && password.count >= 12)
        try await app.test(.router) { client in
            let admin = Browser()
            var response = try await admin.logIn(client, email, password: password)
            #expect(response.json?["password_change_required"] == .bool(true))
            response = try await admin.send(client, .post, "/api/v1/sittings", json: #"{"title":"X","committee":"Y","scheduled_start":"2026-12-01T14:00Z"}"#)
            #expect(response.errorCode == "password_change_required")
            response = try await admin.send(client, .post, "/api/v1/session/password", json: #"{"current":"\#(password)","new":"short"}"#)
            #expect(response.errorCode == "invalid_input")
            response = try await admin.send(client, .post, "/api/v1/session/password", json: #"{"current":"\#(password)","new":"a much longer passphrase"}"#)
            #expect(response.status == .ok)
            response = try await admin.send(client, .post, "/api/v1/sittings", json: #"{"title":"X","committee":"Y","scheduled_start":"2026-12-01T14:00Z"}"#)
            #expect(response.status == .created)
        }
    }
}

/// The first admin's credentials as the app hands them out.
final class CapturedCredentials: Sendable {
    private let box = Mutex<(String, String)?>(nil)
    func set(_ email: String, _ password: String) { box.withLock { $0 = (email, password) } }
    var value: (String, String)? { box.withLock { $0 } }
}

extension HearingGuardTests {
    @Test func anEndedSittingTakesNoQuestionsVotesOrScreenChanges() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let id = try await approvedQuestion(client)
            let chair = Browser(), voter = try await Browser.participant(client)
            try await chair.logIn(client, "chair1@example.org")
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"ended"}"#).errorCode == "sitting_state_conflict",
                    "a scheduled sitting cannot end")
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"live"}"#).status == .ok)
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"ended"}"#).status == .ok)
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"live"}"#).errorCode == "sitting_state_conflict")
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"scheduled"}"#).errorCode == "invalid_input")
            #expect(try await voter.send(client, .post, "/api/v1/questions/\(id)/vote", json: "{}").errorCode == "sitting_not_live")
            #expect(try await voter.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Too late?"}"#).errorCode == "sitting_not_live")
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/on-screen", json: #"{"question":\#(id)}"#).errorCode == "sitting_not_live")
        }
        #expect(try await store.questions(in: .init(1)).map(\.votes) == [0])
        #expect(try await store.sitting(.init(1))?.state == .ended)
    }
}
