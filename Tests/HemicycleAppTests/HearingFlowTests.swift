import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// The whole hearing over the JSON API: ask, moderate, vote, screen, answer, export; on every store.
@Suite struct HearingFlowTests {
    typealias Backend = TestApp.Backend

    @Test(arguments: Backend.allCases)
    func aQuestionGoesFromViewerToScreenToTheRecord(_ backend: Backend) async throws {
        let (app, store) = try await HearingFixture.make(backend)
        try await app.test(.router) { client in
            let viewer = Browser(), voter = try await Browser.participant(client), moderator = Browser(), chair = Browser()
            var response = try await viewer.send(client, .get, "/sittings/1")
            #expect(response.status == .ok)
            #expect(viewer.cookie("hc_participant") != nil, "the sitting page issues a participant token")

            response = try await viewer.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"  Will fares fall?  ","name":"Ana","region":"Wales"}"#)
            #expect(response.status == .created)
            #expect(response.json?["state"]?.stringValue == "submitted")
            let id = try #require(response.json?["id"]?.intValue)
            #expect(response.json?["question"]?["text"]?.stringValue == "Will fares fall?", "trimmed")

            response = try await voter.send(client, .get, "/api/v1/sittings/1/questions")
            #expect(response.json?["questions"]?.arrayValue?.isEmpty == true, "pre-moderation: the public does not see it yet")
            response = try await voter.send(client, .post, "/api/v1/questions/\(id)/vote", json: "{}")
            #expect(response.status == .notFound, "an unpublished question cannot be voted for")

            try await moderator.logIn(client, "mod1@example.org")
            response = try await moderator.send(client, .get, "/api/v1/sittings/1/questions?state=submitted")
            #expect(response.json?["questions"]?.arrayValue?.first?["participant"]?.stringValue?.count == 8, "staff see a pseudonym")
            response = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"tag","tag":"Fares"}"#)
            #expect(response.status == .ok)
            response = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#)
            #expect(response.status == .ok)
            #expect(response.json?["question"]?["state"]?.stringValue == "approved")

            response = try await voter.send(client, .post, "/api/v1/questions/\(id)/vote", json: "{}")
            #expect(response.status == .ok)
            #expect(response.json?["votes"]?.intValue == 1)
            response = try await voter.send(client, .get, "/api/v1/sittings/1/questions?state=approved")
            #expect(response.json?["questions"]?.arrayValue?.first?["voted"] == .bool(true))
            #expect(response.json?["questions"]?.arrayValue?.first?["mine"] == .bool(false))

            try await chair.logIn(client, "chair1@example.org")
            response = try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"live"}"#)
            #expect(response.status == .ok)
            #expect(response.json?["stream_started_at"]?.stringValue != nil)
            response = try await chair.send(client, .post, "/api/v1/sittings/1/on-screen", json: #"{"question":\#(id)}"#)
            #expect(response.json?["on_screen"]?["state"]?.stringValue == "on_screen")
            response = try await chair.send(client, .post, "/api/v1/questions/\(id)/answered", json: "{}")
            #expect(response.json?["question"]?["state"]?.stringValue == "answered")
            #expect(response.json?["question"]?["answered_offset_seconds"]?.intValue != nil)

            response = try await viewer.send(client, .get, "/api/v1/sittings/1/questions?mine=1")
            #expect(response.json?["questions"]?.arrayValue?.first?["mine"] == .bool(true))

            response = try await voter.send(client, .get, "/sittings/1/record.json")
            let recorded = try #require(response.json?["questions"]?.arrayValue?.first)
            #expect(recorded["id"]?.intValue == id && recorded["state"]?.stringValue == "answered")
            #expect(recorded["directed_to"]?.stringValue == "Fares")
            #expect(recorded["answered_offset_seconds"]?.intValue != nil)
            #expect(recorded["participant"] == nil, "no token or pseudonym in public exports")
            response = try await voter.send(client, .get, "/sittings/1/record.csv")
            #expect(response.text.hasPrefix("\"id\",\"text\",\"state\""))
            #expect(response.text.contains("\"Will fares fall?\",\"answered\",\"1\",\"Ana\",\"Wales\",\"Fares\""))
            response = try await voter.send(client, .get, "/sittings/1/chapters.txt")
            #expect(response.text.contains("Will fares fall?"))

            response = try await voter.send(client, .get, "/sittings/1/moderation-log.json")
            let actions = response.json?["entries"]?.arrayValue?.compactMap { $0["action"]?.stringValue }
            #expect(actions == ["tag", "approve", "on_screen", "answered"] || actions == ["approve", "on_screen", "answered"])
            #expect(!response.text.contains("Will fares fall?") && !response.text.contains("Ana"), "the log has no text and no personal data")
            response = try await voter.send(client, .get, "/sittings/1/moderation-log.csv")
            #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
        }
        #expect(try await store.questions(in: .init(1)).first?.votes == 1)
        #expect(try await store.auditLog(limit: 100).contains { $0.action == "question_approve" })
    }

    @Test(arguments: Backend.allCases)
    func mergingSumsVotesCountingEachVoterOnce(_ backend: Backend) async throws {
        let (app, store) = try await HearingFixture.make(backend)
        try await app.test(.router) { client in
            let asker = try await Browser.participant(client), moderator = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            var ids: [Int64] = []
            for text in ["When is the bill published?", "When will the bill be published?"] {
                let response = try await asker.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"\#(text)"}"#)
                ids.append(try #require(response.json?["id"]?.intValue))
                _ = try await moderator.send(client, .post, "/api/v1/questions/\(ids.last!)/moderation", json: #"{"action":"approve"}"#)
            }
            let v1 = try await Browser.participant(client), v2 = try await Browser.participant(client), v3 = try await Browser.participant(client)
            for (voter, questions) in [(v1, [ids[0]]), (v2, [ids[0], ids[1]]), (v3, [ids[1]])] {
                for q in questions { #expect(try await voter.send(client, .post, "/api/v1/questions/\(q)/vote", json: "{}").status == .ok) }
            }
            let response = try await moderator.send(client, .post, "/api/v1/questions/\(ids[1])/moderation", json: #"{"action":"merge","into":\#(ids[0])}"#)
            #expect(response.status == .ok)
            #expect(response.json?["question"]?["state"]?.stringValue == "merged")
            #expect(response.json?["question"]?["merged_into"]?.intValue == ids[0])
            let list = try await v1.send(client, .get, "/api/v1/sittings/1/questions")
            let survivor = try #require(list.json?["questions"]?.arrayValue?.first)
            #expect(survivor["votes"]?.intValue == 3, "2 + 2 votes, v2 counted once")
            #expect(survivor["merged_from"]?.arrayValue?.compactMap(\.intValue) == [ids[1]])
            #expect(try await v2.send(client, .post, "/api/v1/questions/\(ids[0])/vote", json: "{}").errorCode == "already_voted")
            #expect(try await v3.send(client, .post, "/api/v1/questions/\(ids[1])/vote", json: "{}").status == .notFound, "merged questions take no votes")
        }
        let stored = try await store.questions(in: .init(1))
        #expect(stored.map(\.votes) == [3, 0])
    }

    @Test(arguments: Backend.allCases)
    func postModerationPublishesAtOnceAndTheAuthorCanWithdraw(_ backend: Backend) async throws {
        let (app, _) = try await HearingFixture.make(backend)
        try await app.test(.router) { client in
            let clerk = Browser(), asker = try await Browser.participant(client, sitting: 2), other = try await Browser.participant(client, sitting: 2)
            try await clerk.logIn(client, "clerk@example.org")
            var response = try await clerk.send(client, .patch, "/api/v1/sittings/2", json: #"{"settings":{"moderation":"post"}}"#)
            #expect(response.json?["settings"]?["moderation"]?.stringValue == "post")
            response = try await asker.send(client, .post, "/api/v1/sittings/2/questions", json: #"{"text":"Are waiting lists shrinking?"}"#)
            #expect(response.json?["state"]?.stringValue == "approved")
            let id = try #require(response.json?["id"]?.intValue)
            #expect(try await other.send(client, .delete, "/api/v1/questions/\(id)").status == .forbidden)
            response = try await asker.send(client, .delete, "/api/v1/questions/\(id)")
            #expect(response.json?["state"]?.stringValue == "withdrawn")
            response = try await other.send(client, .get, "/sittings/2/moderation-log.json")
            #expect(response.json?["entries"]?.arrayValue?.compactMap { $0["action"]?.stringValue } == ["published", "withdraw"])
        }
    }

    @Test(arguments: Backend.allCases)
    func clerksCreateSittingsWithValidatedFields(_ backend: Backend) async throws {
        let (app, _) = try await HearingFixture.make(backend)
        try await app.test(.router) { client in
            let clerk = Browser(), moderator = Browser()
            try await clerk.logIn(client, "clerk@example.org")
            try await moderator.logIn(client, "mod1@example.org")
            let good = #"{"title":"Budget","committee":"Finance","scheduled_start":"2026-12-01T14:00","stream_url":"https://video.example/embed/1","agenda":["Tax"],"witnesses":["Treasurer"]}"#
            #expect(try await moderator.send(client, .post, "/api/v1/sittings", json: good).status == .forbidden)
            var response = try await clerk.send(client, .post, "/api/v1/sittings", json: good)
            #expect(response.status == .created)
            #expect(response.json?["scheduled_start"]?.stringValue == "2026-12-01T14:00:00.000Z")
            response = try await clerk.send(client, .post, "/api/v1/sittings", json: #"{"title":"","committee":"<b>","scheduled_start":"tomorrow","stream_url":"http://x"}"#)
            #expect(response.status == .unprocessableContent)
            for field in ["title", "committee", "scheduled_start", "stream_url"] {
                #expect(response.json?["error"]?["fields"]?[field] != nil, "\(field) is reported")
            }
            response = try await clerk.send(client, .get, "/api/v1/sittings")
            #expect(response.json?["sittings"]?.arrayValue?.count == 3)
        }
    }
}
