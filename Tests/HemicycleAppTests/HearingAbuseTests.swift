import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 11 on hearings: participants cannot be minted at will, one address cannot stuff votes, chairs do not
/// claim, text is bounded in bytes, and the record shows only what was published. Each attack fails and changes
/// nothing.
@Suite struct HearingAbuseTests {
    /// A published question of sitting 1, asked by a fresh participant; returns its id.
    func approvedQuestion(_ client: some TestClientProtocol, _ moderator: Browser, text: String = "Will fares fall?") async throws -> Int64 {
        let response = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"\#(text)"}"#)
        let id = try #require(response.json?["id"]?.intValue)
        #expect(try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#).status == .ok)
        return id
    }

    @Test func askingAndVotingNeedTheCookieThePageSets() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let moderator = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            let id = try await approvedQuestion(client, moderator)
            let before = try await store.questions(in: .init(1))
            let stranger = Browser()
            var response = try await stranger.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Who am I?"}"#)
            #expect(response.status == .forbidden && response.errorCode == "participant_required")
            #expect(response.json?["error"]?["message"]?.stringValue?.contains("/sittings/1") == true, "the message says which page to open")
            #expect(response.headers[.setCookie] == nil, "the API never issues a participant")
            response = try await stranger.send(client, .post, "/api/v1/questions/\(id)/vote", json: "{}")
            #expect(response.errorCode == "participant_required")
            response = try await stranger.send(client, .delete, "/api/v1/questions/\(id)/vote")
            #expect(response.errorCode == "participant_required")
            // A forged token is no participant either.
            stranger.setCookie("hc_participant", "made-up.AAAA")
            #expect(try await stranger.send(client, .post, "/api/v1/questions/\(id)/vote", json: "{}").errorCode == "participant_required")
            // The no-JavaScript forms too.
            response = try await Browser().send(client, .post, "/sittings/1/questions/\(id)/vote", form: "csrf_token=x")
            #expect(response.status == .forbidden && response.text.contains("participant cookie"))
            #expect(try await store.questions(in: .init(1)) == before, "nothing was asked or voted")
            // With the page's cookie the same requests work.
            let visitor = try await Browser.participant(client)
            #expect(try await visitor.send(client, .post, "/api/v1/questions/\(id)/vote", json: "{}").json?["votes"]?.intValue == 1)
        }
    }

    @Test func anAddressGetsALimitedNumberOfNewParticipantsAndThePageSaysWhy() async throws {
        let (app, store) = try await HearingFixture.make { $0.participantsPerAddress = ParticipantLimit(count: 3, seconds: 3600) }
        try await app.test(.router) { client in
            let first = try await Browser.participant(client)
            var issued = first.cookie("hc_participant") == nil ? 0 : 1
            for _ in 0..<2 { if try await Browser.participant(client).cookie("hc_participant") != nil { issued += 1 } }
            #expect(issued == 3)
            let fourth = Browser()
            let page = try await fourth.visit(client)
            #expect(page.status == .ok, "the page still shows")
            #expect(fourth.cookie("hc_participant") == nil, "but issues no participant")
            #expect(page.text.contains("id=\"participant-refused\""), "and says why")
            #expect(!page.text.contains("id=\"ask-form\""), "without an ask form")
            #expect(try await fourth.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Me too?"}"#).errorCode == "participant_required")
            #expect(try await store.questions(in: .init(1)).isEmpty)
            #expect(try await Browser.participant(client, sitting: 2).cookie("hc_participant") == nil, "the limit is per address, for every sitting")
            // A participant issued before keeps working: its cookie is read, not issued again.
            let again = try await first.visit(client)
            #expect(again.headers[.setCookie] == nil && again.text.contains("id=\"ask-form\""))
            #expect(try await first.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Still me?"}"#).status == .created)
        }
    }

    @Test func votesFromOneAddressOverTheCapAreHeldShownToModeratorsAndReleasable() async throws {
        let (app, store) = try await HearingFixture.make { $0.participantsPerAddress = ParticipantLimit(count: 1000, seconds: 60) }
        try await app.test(.router) { client in
            let moderator = Browser(), chair = Browser(), viewer = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            try await chair.logIn(client, "chair1@example.org")
            let id = try await approvedQuestion(client, moderator)
            // 25 participants from one address (the test client's), each voting once: the default cap is 10.
            var held = 0
            for _ in 0..<25 {
                let response = try await Browser.participant(client).send(client, .post, "/api/v1/questions/\(id)/vote", json: "{}")
                #expect(response.status == .ok)
                if response.json?["held"] == .bool(true) { held += 1 }
            }
            #expect(held == 15)
            var list = try await viewer.send(client, .get, "/api/v1/sittings/1/questions")
            #expect(list.json?["questions"]?.arrayValue?.first?["votes"]?.intValue == 10, "the public count stops at the cap")
            #expect(list.json?["questions"]?.arrayValue?.first?["held_votes"] == nil, "the public does not see held votes")
            list = try await moderator.send(client, .get, "/api/v1/sittings/1/questions")
            #expect(list.json?["questions"]?.arrayValue?.first?["held_votes"]?.intValue == 15, "moderators do")
            // A chair cannot release; a moderator can.
            #expect(try await chair.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"release_votes"}"#).status == .forbidden)
            let released = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"release_votes"}"#)
            #expect(released.json?["question"]?["held_votes"]?.intValue == 0)
            #expect(try await viewer.send(client, .get, "/api/v1/sittings/1/questions").json?["questions"]?.arrayValue?.first?["votes"]?.intValue == 25)
            #expect(try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"release_votes"}"#).errorCode == "no_held_votes")
            let log = try await viewer.send(client, .get, "/sittings/1/moderation-log.json")
            #expect(log.json?["entries"]?.arrayValue?.contains { $0["action"]?.stringValue == "release_votes" } == false, "bookkeeping, not a public decision")
        }
        let stored = try #require(try await store.questions(in: .init(1)).first)
        #expect(stored.votes == 25 && stored.heldVotes == 0)
        let tags = Set(stored.voterAddresses.values)
        #expect(tags.count == 1 && tags.first?.count == 22, "one opaque tag for the one address, not the address itself: \(tags)")
        #expect(try await store.auditLog(limit: 20).contains { $0.action == "question_release_votes" })
    }

    @Test func aSittingSetsItsOwnCap() async throws {
        let (app, _) = try await HearingFixture.make { $0.votesPerAddress = 4 }
        try await app.test(.router) { client in
            let clerk = Browser(), moderator = Browser()
            try await clerk.logIn(client, "clerk@example.org")
            try await moderator.logIn(client, "mod1@example.org")
            #expect(try await clerk.send(client, .get, "/api/v1/sittings/1").json?["settings"]?["votes_per_address"]?.intValue == 4, "the server default")
            var response = try await clerk.send(client, .patch, "/api/v1/sittings/1", json: #"{"settings":{"votes_per_address":2}}"#)
            #expect(response.json?["settings"]?["votes_per_address"]?.intValue == 2)
            response = try await clerk.send(client, .patch, "/api/v1/sittings/1", json: #"{"settings":{"votes_per_address":0}}"#)
            #expect(response.errorCode == "invalid_input")
            let id = try await approvedQuestion(client, moderator)
            var counted = 0
            for _ in 0..<4 {
                if try await Browser.participant(client).send(client, .post, "/api/v1/questions/\(id)/vote", json: "{}").json?["held"] == .bool(false) { counted += 1 }
            }
            #expect(counted == 2)
            response = try await clerk.send(client, .patch, "/api/v1/sittings/1", json: #"{"settings":{"votes_per_address":null}}"#)
            #expect(response.json?["settings"]?["votes_per_address"]?.intValue == 4, "null: back to the server default")
        }
    }

    @Test func aChairReadsButDoesNotClaim() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let chair = Browser(), moderator = Browser()
            try await chair.logIn(client, "chair1@example.org")
            try await moderator.logIn(client, "mod1@example.org")
            let asked = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Claim me?"}"#)
            let id = try #require(asked.json?["id"]?.intValue)
            var response = try await chair.send(client, .post, "/api/v1/questions/\(id)/claim", json: "{}")
            #expect(response.status == .forbidden && response.errorCode == "chair_cannot_claim")
            response = try await chair.send(client, .delete, "/api/v1/questions/\(id)/claim")
            #expect(response.errorCode == "chair_cannot_claim")
            #expect(try await chair.send(client, .get, "/api/v1/sittings/1/questions").json?["questions"]?.arrayValue?.first?["claimed_by"] == .null,
                    "no claim was made")
            // The moderator is not blocked.
            #expect(try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#).status == .ok)
        }
        #expect(try await store.questions(in: .init(1)).first?.state == .approved)
    }

    @Test func aQuestionOfCombiningMarksIsRefusedWithAFieldError() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let zalgo = String(repeating: "a" + String(repeating: "\u{301}", count: 28), count: 280)
            let body = JSONWriter.string(.object([("text", .string(zalgo))]))
            #expect(body.utf8.count < 16 * 1024, "under the body limit: the question rule must catch it")
            var response = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: body)
            #expect(response.status == .unprocessableContent)
            #expect(response.json?["error"]?["fields"]?["text"]?.stringValue?.contains("bytes") == true, "\(response.text.prefix(300))")
            let name = String(repeating: "n" + String(repeating: "\u{308}", count: 8), count: 60)
            response = try await Browser.participant(client).send(
                client, .post, "/api/v1/sittings/1/questions", json: JSONWriter.string(.object([("text", "Fine?"), ("name", .string(name))])))
            #expect(response.json?["error"]?["fields"]?["name"] != nil)
        }
        #expect(try await store.questions(in: .init(1)).isEmpty)
    }

    @Test func theRecordShowsOnlyWhatWasPublished() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let moderator = Browser(), viewer = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            let survivor = try await approvedQuestion(client, moderator, text: "Will off-peak fares return?")
            // A duplicate never published, with text and a name the moderators never approved for publication.
            let asked = try await Browser.participant(client).send(
                client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Secret rant about my neighbour, 12 Mill Lane","name":"Zed Private","region":"Hidden Town"}"#)
            let duplicate = try #require(asked.json?["id"]?.intValue)
            // A duplicate that had been published before the merge.
            let shown = try await approvedQuestion(client, moderator, text: "Are weekend fares coming back?")
            for id in [duplicate, shown] {
                #expect(try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"merge","into":\#(survivor)}"#).status == .ok)
            }
            let record = try await viewer.send(client, .get, "/sittings/1/record.json")
            let questions = try #require(record.json?["questions"]?.arrayValue)
            #expect(questions.compactMap { $0["id"]?.intValue } == [survivor, shown], "the unpublished duplicate is not listed")
            #expect(questions.first?["merged_from"]?.arrayValue?.compactMap(\.intValue) == [duplicate, shown], "only its id, on the survivor")
            #expect(!record.text.contains("Secret rant") && !record.text.contains("Zed Private") && !record.text.contains("Hidden Town"))
            let csv = try await viewer.send(client, .get, "/sittings/1/record.csv")
            #expect(!csv.text.contains("Secret rant") && !csv.text.contains("Zed Private") && !csv.text.contains("Hidden Town"))
            #expect(csv.text.contains("\"merged_from\""))
            #expect(csv.text.contains("\"\(duplicate) \(shown)\""), "the survivor's row lists the merged ids")
            #expect(csv.text.contains("Are weekend fares coming back?"), "a duplicate the public had seen stays")
        }
    }
}
