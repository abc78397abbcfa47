import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// The hearing topics over real sockets: who may read what (decided from cookies at the upgrade), and what each side
/// sees as a question moves.
@Suite struct HearingLiveTests {
    /// Connects with `cookie`, reads the welcome, subscribes to `topics`; returns the client and the first answer.
    func connect(port: Int, cookie: String?, _ topics: [String]) async throws -> (TestLiveClient, ServerMessage) {
        let live = try await TestLiveClient.connect(port: port, cookie: cookie)
        guard case .welcome = try await live.next() else { throw TestLiveClient.Failure.notUpgraded("no welcome") }
        let list = topics.map { "\"\($0)\"" }.joined(separator: ",")
        try await live.sendText(#"{"type":"subscribe","ref":"s","topics":[\#(list)]}"#)
        let answer = try await live.next { message in
            switch message {
            case .subscribed, .error: true
            default: false
            }
        }
        return (live, answer)
    }

    func isForbidden(_ message: ServerMessage) -> Bool {
        if case .error(let error) = message { return error.code == .forbiddenTopic }
        return false
    }

    @Test(arguments: TestApp.Backend.allCases)
    func moderationTopicsOpenOnlyToStaffAssignedToTheSitting(_ backend: TestApp.Backend) async throws {
        let (app, _) = try await HearingFixture.make(backend)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var (live, answer) = try await connect(port: port, cookie: nil, ["sitting:1:moderation"])
            #expect(isForbidden(answer), "a viewer is refused")
            await live.close()

            let other = Browser(), own = Browser(), admin = Browser()
            try await other.logIn(client, "mod2@example.org")
            try await own.logIn(client, "mod1@example.org")
            try await admin.logIn(client, "admin@example.org")
            (live, answer) = try await connect(port: port, cookie: other.cookieHeader, ["sitting:1:moderation"])
            #expect(isForbidden(answer), "a moderator of sitting 2 is refused sitting 1's queue")
            await live.close()
            (live, answer) = try await connect(port: port, cookie: "hc_session=forged", ["sitting:1:moderation"])
            #expect(isForbidden(answer), "a forged session is nobody")
            await live.close()

            // The socket never takes identity from messages: a token in a message changes nothing.
            let token = try #require(own.cookie("hc_session"))
            let sneaky = try await TestLiveClient.connect(port: port)
            _ = try await sneaky.next()
            try await sneaky.sendText(#"{"type":"subscribe","topics":["sitting:1:moderation"],"session":"\#(token)","role":"chair"}"#)
            let refusal = try await sneaky.next { if case .error = $0 { true } else if case .subscribed = $0 { true } else { false } }
            if case .subscribed = refusal { Issue.record("a session in a message must not open the staff topic") }
            await sneaky.close()

            (live, answer) = try await connect(port: port, cookie: own.cookieHeader, ["sitting:1:moderation", "sitting:1"])
            guard case .subscribed = answer else { Issue.record("the assigned moderator is refused: \(answer)"); return }
            await live.close()
            (live, answer) = try await connect(port: port, cookie: admin.cookieHeader, ["sitting:2:moderation"])
            guard case .subscribed = answer else { Issue.record("an admin is refused: \(answer)"); return }
            await live.close()
        }
    }

    @Test(arguments: TestApp.Backend.allCases)
    func moderatorsSeeSubmissionsAndViewersSeeOnlyWhatIsPublished(_ backend: TestApp.Backend) async throws {
        let (app, _) = try await HearingFixture.make(backend)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let moderator = Browser(), chair = Browser(), asker = try await Browser.participant(client)
            try await moderator.logIn(client, "mod1@example.org")
            try await chair.logIn(client, "chair1@example.org")
            let (staffLive, staffAnswer) = try await connect(port: port, cookie: moderator.cookieHeader, ["sitting:1:moderation"])
            guard case .subscribed = staffAnswer else { Issue.record("moderator refused"); return }
            let (viewerLive, viewerAnswer) = try await connect(port: port, cookie: nil, ["sitting:1"])
            guard case .subscribed = viewerAnswer else { Issue.record("viewer refused"); return }

            let response = try await asker.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Secret until approved?","name":"Ana"}"#)
            let id = try #require(response.json?["id"]?.intValue)
            let submitted = try await staffLive.next { if case .event(_, _, _, "question", _) = $0 { true } else { false } }
            guard case .event(_, _, _, _, let data) = submitted else { return }
            #expect(data["id"]?.intValue == id && data["state"]?.stringValue == "submitted")
            #expect(data["participant"]?.stringValue != nil)

            #expect(try await moderator.send(client, .post, "/api/v1/questions/\(id)/claim", json: "{}").status == .ok)
            let claim = try await staffLive.next { if case .event(_, _, _, "claim", _) = $0 { true } else { false } }
            guard case .event(_, _, _, _, let claimData) = claim else { return }
            #expect(claimData["claimed_by"]?["name"]?.stringValue == "mod1")

            #expect(try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#).status == .ok)
            // The viewer's first question event is the approved question: the submission was never sent to them.
            let published = try await viewerLive.next { if case .event(_, _, _, "question", _) = $0 { true } else { false } }
            guard case .event(_, _, _, _, let question) = published else { return }
            #expect(question["state"]?.stringValue == "approved" && question["text"]?.stringValue == "Secret until approved?")
            #expect(question["participant"] == nil, "no pseudonym on the public topic")
            let decision = try await viewerLive.next { if case .event(_, _, _, "moderated", _) = $0 { true } else { false } }
            guard case .event(_, _, _, _, let entry) = decision else { return }
            #expect(entry["action"]?.stringValue == "approve" && entry["question_id"]?.intValue == id)

            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/on-screen", json: #"{"question":\#(id)}"#).errorCode == "sitting_not_live",
                    "nothing goes on screen before the sitting starts")
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"live"}"#).status == .ok)
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/on-screen", json: #"{"question":\#(id)}"#).status == .ok)
            let shown = try await viewerLive.next { if case .event(_, _, _, "on_screen", _) = $0 { true } else { false } }
            guard case .event(_, _, _, _, let screen) = shown else { return }
            #expect(screen["question"]?["id"]?.intValue == id)

            #expect(try await moderator.send(client, .post, "/api/v1/sittings/1/notes", json: #"{"text":"The minister must leave at 4","question":\#(id)}"#).status == .created)
            let note = try await staffLive.next { if case .event(_, _, _, "note", _) = $0 { true } else { false } }
            guard case .event(_, _, _, _, let noteData) = note else { return }
            #expect(noteData["text"]?.stringValue == "The minister must leave at 4" && noteData["read_at"] == .null)
            await staffLive.close()
            await viewerLive.close()

            // A late viewer gets it all in the snapshot.
            let late = try await TestLiveClient.connect(port: port)
            _ = try await late.next()
            try await late.sendText(#"{"type":"subscribe","topics":["sitting:1"]}"#)
            let snapshot = try await late.next { if case .snapshot = $0 { true } else { false } }
            guard case .snapshot(_, _, _, let state) = snapshot else { return }
            #expect(state["on_screen"]?["id"]?.intValue == id)
            #expect(state["questions"]?.arrayValue?.count == 1)
            #expect(state["counts"]?["on_screen"]?.intValue == 1)
            await late.close()
        }
    }

    @Test func theDashboardTopicIsPublic() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let live = try await TestLiveClient.connect(port: port)
            _ = try await live.next()
            try await live.sendText(#"{"type":"subscribe","topics":["dashboard"]}"#)
            let snapshot = try await live.next { if case .snapshot = $0 { true } else { false } }
            guard case .snapshot(_, _, _, let data) = snapshot else { return }
            #expect(data["sittings"]?.arrayValue?.count == 2)
            #expect(data["petitions"]?.arrayValue?.first?["per_minute"]?.intValue == 0)
            await live.close()
        }
    }
}
