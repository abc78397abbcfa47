import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOWebSocket
import Testing

/// Issue 11 on `/live`, over real sockets: hidden and rejected petitions leave, staff topics close with the session
/// that opened them, and a frame over the message limit is refused at its header.
@Suite struct LiveAbuseTests {
    /// Connects with `cookie`, reads the welcome, subscribes to `topics`; returns the client and the first answer
    /// (`subscribed` or `error`), skipping the snapshots.
    func connect(port: Int, cookie: String? = nil, _ topics: [String]) async throws -> (TestLiveClient, ServerMessage) {
        let live = try await TestLiveClient.connect(port: port, cookie: cookie)
        guard case .welcome = try await live.next() else { throw TestLiveClient.Failure.notUpgraded("no welcome") }
        let answer = try await subscribe(live, topics)
        return (live, answer)
    }

    func subscribe(_ live: TestLiveClient, _ topics: [String], ref: String = "s") async throws -> ServerMessage {
        let list = topics.map { "\"\($0)\"" }.joined(separator: ",")
        try await live.sendText(#"{"type":"subscribe","ref":"\#(ref)","topics":[\#(list)]}"#)
        return try await live.next { message in
            switch message {
            case .subscribed, .error: true
            default: false
            }
        }
    }

    func errorCode(_ message: ServerMessage) -> ProtocolErrorCode? {
        if case .error(let error) = message { return error.code }
        return nil
    }

    func isSubscribed(_ message: ServerMessage) -> Bool {
        if case .subscribed = message { return true }
        return false
    }

    /// An open petition 3 besides the demo's petition 1.
    static func storeWithTwoOpenPetitions() async throws -> InMemoryStore {
        let store = try await HearingFixture.store()
        var other = TestApp.closedPetition()
        other = Petition(
            id: .init(3), action: "Plant a tree for every pupil", background: "Trees.", additionalDetails: "", state: .open, signatureCount: 0,
            creatorName: "Ana", createdAt: other.createdAt, updatedAt: other.updatedAt, openedAt: other.openedAt, closedAt: nil,
            closingAt: Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000) + 86_400_000), thresholds: other.thresholds
        )
        await store.put(other)
        return store
    }

    @Test(arguments: [(1, #"{"action":"hide"}"#, "hidden"), (3, #"{"action":"reject","code":"offensive"}"#, "rejected")])
    func aHiddenOrRejectedPetitionLeavesLive(_ id: Int, _ action: String, _ state: String) async throws {
        let (app, _) = try await TestApp.make(store: try await Self.storeWithTwoOpenPetitions())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let (viewer, answer) = try await connect(port: port, ["petition:\(id)", "petition:\(id):areas"])
            #expect(isSubscribed(answer))
            let moderator = Browser()
            try await moderator.logIn(client, "pmod@example.org")
            #expect(try await moderator.send(client, .post, "/api/v1/petitions/\(id)/moderation", json: action).status == .ok)
            // Both topics end with a `state` event, without the petition's text.
            var ended: Set<String> = []
            while ended.count < 2 {
                let message = try await viewer.next { if case .event(_, _, _, "state", _) = $0 { true } else { false } }
                guard case .event(let topic, _, _, _, let data) = message else { continue }
                #expect(data["state"]?.stringValue == state)
                #expect(data["action"] == nil, "no text in the last event")
                ended.insert(topic.description)
            }
            #expect(ended == ["petition:\(id)", "petition:\(id):areas"])
            // The topics serve nothing more: a new subscription, on this socket or another, is unknown_topic.
            #expect(errorCode(try await subscribe(viewer, ["petition:\(id)"], ref: "again")) == .unknownTopic)
            let (late, lateAnswer) = try await connect(port: port, ["petition:\(id)"])
            #expect(errorCode(lateAnswer) == .unknownTopic)
            #expect(errorCode(try await subscribe(late, ["petition:\(id):areas"])) == .unknownTopic)
            // Nor does the dashboard list it (it lists open and closed petitions).
            let dashboard = try await Browser().send(client, .get, "/api/v1/dashboard")
            let listed = dashboard.json?["petitions"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? []
            #expect(!listed.isEmpty && !listed.contains(Int64(id)), "\(listed)")
            // The ended topics no longer count toward the connection's topics: the socket still works.
            #expect(isSubscribed(try await subscribe(viewer, ["dashboard"], ref: "other")))
            await viewer.close()
            await late.close()
        }
    }

    @Test func aServerStartedWithARejectedPetitionDoesNotServeIt() async throws {
        let store = try await Self.storeWithTwoOpenPetitions()
        var rejected = try #require(try await store.petition(.init(3)))
        try rejected.apply(.reject(PetitionRejection(code: "offensive", details: nil)), at: rejected.updatedAt)
        await store.put(rejected)
        let (app, _) = try await TestApp.make(store: store)
        try await app.test(.live) { client in
            let (live, answer) = try await connect(port: try #require(client.port), ["petition:3"])
            #expect(errorCode(answer) == .unknownTopic)
            #expect(isSubscribed(try await subscribe(live, ["petition:1"], ref: "open")))
            await live.close()
        }
    }

    @Test func logoutClosesTheStaffTopicsOfOpenSockets() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let moderator = Browser(), colleague = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            try await colleague.logIn(client, "mod1b@example.org")
            let (staff, answer) = try await connect(port: port, cookie: moderator.cookieHeader, ["sitting:1:moderation", "sitting:1"])
            #expect(isSubscribed(answer))
            let (other, otherAnswer) = try await connect(port: port, cookie: colleague.cookieHeader, ["sitting:1:moderation"])
            #expect(isSubscribed(otherAnswer))

            #expect(try await moderator.send(client, .delete, "/api/v1/session").status == .ok)
            let revoked = try await staff.next { if case .error = $0 { true } else { false } }
            guard case .error(let error) = revoked else { return }
            #expect(error.code == .accessRevoked && error.ref == nil)
            #expect(error.message.contains("sitting:1:moderation"))
            #expect(errorCode(try await subscribe(staff, ["sitting:1:moderation"], ref: "back")) == .forbiddenTopic, "the topic is gone for this socket")

            // The public topic stays, the colleague's session is untouched, and the logged-out socket gets no staff event.
            let asked = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"After the logout?"}"#)
            let id = try #require(asked.json?["id"]?.intValue)
            let seen = try await other.next { if case .event(_, _, _, "question", _) = $0 { true } else { false } }
            guard case .event(let topic, _, _, _, let data) = seen else { return }
            #expect(topic == .sittingModeration(.init(1)) && data["id"]?.intValue == id)
            #expect(try await colleague.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#).status == .ok)
            let published = try await staff.next { if case .event(_, _, _, "question", _) = $0 { true } else { false } }
            guard case .event(let publicTopic, _, _, _, _) = published else { return }
            #expect(publicTopic == .sitting(.init(1)), "only public events reach the logged-out socket")
            await staff.close()
            await other.close()
        }
    }

    @Test func theLogoutFormClosesThemToo() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let chair = Browser()
            try await chair.logIn(client, "chair1@example.org")
            let (staff, answer) = try await connect(port: port, cookie: chair.cookieHeader, ["sitting:1:moderation"])
            #expect(isSubscribed(answer))
            let page = try await chair.send(client, .get, "/staff")
            let token = try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            #expect(try await chair.send(client, .post, "/staff/logout", form: "csrf_token=\(token)").status == .seeOther)
            #expect(errorCode(try await staff.next { if case .error = $0 { true } else { false } }) == .accessRevoked)
            await staff.close()
        }
    }

    @Test func aRoleRemovedElsewhereClosesTheTopicAtTheNextCheck() async throws {
        let (app, store) = try await HearingFixture.make { $0.staffRecheckInterval = .milliseconds(100) }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let moderator = Browser(), admin = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            try await admin.logIn(client, "admin@example.org")
            let (staff, answer) = try await connect(port: port, cookie: moderator.cookieHeader, ["sitting:1:moderation", "sitting:1"])
            #expect(isSubscribed(answer))
            let (adminLive, adminAnswer) = try await connect(port: port, cookie: admin.cookieHeader, ["sitting:1:moderation", "sitting:2:moderation"])
            #expect(isSubscribed(adminAnswer))

            // As `hemicycle staff update` does from another process: the moderator now works on sitting 2 only, the admin
            // becomes the chair of sitting 2.
            let mod = try #require(try await store.staff(email: "mod1@example.org")?.member)
            try await store.updateStaffRole(of: mod.id, role: .moderator, sittings: [.init(2)], audit: nil)
            let root = try #require(try await store.staff(email: "admin@example.org")?.member)
            try await store.updateStaffRole(of: root.id, role: .chair, sittings: [.init(2)], audit: nil)

            let revoked = try await staff.next(timeout: .seconds(5)) { if case .error = $0 { true } else { false } }
            #expect(errorCode(revoked) == .accessRevoked)
            #expect(errorCode(try await subscribe(staff, ["sitting:2:moderation"], ref: "new")) == .forbiddenTopic, "a new assignment needs a new connection")
            let adminRevoked = try await adminLive.next(timeout: .seconds(5)) { if case .error = $0 { true } else { false } }
            guard case .error(let error) = adminRevoked else { return }
            #expect(error.code == .accessRevoked && error.message.contains("sitting:1:moderation") && !error.message.contains("sitting:2"))
            #expect(isSubscribed(try await subscribe(adminLive, ["sitting:2:moderation"], ref: "kept")), "what the new role grants stays")
            await staff.close()
            await adminLive.close()
        }
    }

    @Test func aFrameOverTheMessageLimitIsRefusedAtItsHeader() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // A frame of exactly the limit is read (an unknown field is ignored): a pong.
            let fits = try await TestLiveClient.connect(port: port)
            _ = try await fits.next()
            let prefix = #"{"type":"ping","ref":"full","pad":""#
            let padding = String(repeating: "x", count: 16_384 - prefix.utf8.count - 2)
            try await fits.sendText(prefix + padding + #""}"#)
            #expect(try await fits.next() == .pong(ref: "full"))
            await fits.close()

            // One byte more: the header alone closes the connection with 1009. The client sends only the header and
            // a few bytes of the payload, so a close now shows the server neither waits for nor buffers the rest.
            let big = try await TestLiveClient.connect(port: port)
            _ = try await big.next()
            try await big.sendFrameHeader(opcode: .text, length: 16_385, payloadPrefix: Array("{\"type\":".utf8))
            #expect(try await big.closeCode(timeout: .seconds(20)) == CloseCode.messageTooBig.rawValue)
            await big.close()

            // A header announcing 1 GiB is refused the same way.
            let huge = try await TestLiveClient.connect(port: port)
            _ = try await huge.next()
            try await huge.sendFrameHeader(opcode: .text, length: 1 << 30, payloadPrefix: [])
            #expect(try await huge.closeCode(timeout: .seconds(20)) == CloseCode.messageTooBig.rawValue)
            await huge.close()
        }
    }
}
