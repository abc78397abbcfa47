import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleHub
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOWebSocket
import Testing

/// The `/live` endpoint over real sockets.
@Suite struct LiveEndpointTests {
    func sign(_ client: some TestClientProtocol, _ email: String, petition: Int = 1) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/api/v1/petitions/\(petition)/signatures", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: "{\"name\":\"Viewer\",\"email\":\"\(email)\"}")) { $0.status }
    }

    func count(_ message: ServerMessage) -> Int64? {
        if case .event(_, _, _, "count", let data) = message { return data["signature_count"]?.intValue }
        return nil
    }

    /// Connects and subscribes to `topics`, returning the client and the `subscribed` reply's positions.
    func subscribed(port: Int, _ topics: [Topic], resume: [Topic: ResumePosition] = [:]) async throws
        -> (TestLiveClient, [ServerMessage.SubscribedTopic], [ServerMessage])
    {
        let live = try await TestLiveClient.connect(port: port)
        guard case .welcome(_, let heartbeat, let maxBytes, _) = try await live.next() else { throw TestLiveClient.Failure.notUpgraded("no welcome") }
        #expect(heartbeat > 0 && maxBytes >= 256)
        try await live.send(.subscribe(ref: "s1", topics: topics, resume: resume))
        var before: [ServerMessage] = []
        while true {
            let message = try await live.next()
            if case .subscribed(let ref, let positions) = message {
                #expect(ref == "s1")
                return (live, positions, before)
            }
            before.append(message)
        }
    }

    @Test func aSubscriberSeesEachAcknowledgedSignatureInTheCount() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let (live, _, before) = try await subscribed(port: port, [.petition(.init(1))])
            guard case .snapshot(.petition, _, _, let data) = before.first else {
                Issue.record("expected a petition snapshot, got \(before)")
                return
            }
            #expect(data["signature_count"]?.intValue == 0)
            for n in 1...3 {
                #expect(try await sign(client, "viewer\(n)@example.org") == .created)
                let message = try await live.next { count($0) != nil }
                #expect(count(message) == Int64(n))
                if ProcessInfo.processInfo.environment["LIVE_DEBUG"] != nil { print("LIVE_DEBUG stage", n) }
                // Spaced more than a tick apart, so each change goes out at once (leading edge).
                try await Task.sleep(for: .milliseconds(80))
            }
            await live.close()
            if ProcessInfo.processInfo.environment["LIVE_DEBUG"] != nil { print("LIVE_DEBUG closed") }
        }
    }

    @Test func badInputGetsAnErrorFrameAndChangesNothing() async throws {
        let store = try await TestApp.storeWithClosedPetition()
        let (app, _) = try await TestApp.make(store: store) {
            $0.live.maxTopics = 2
            $0.live.maxMessageBytes = 1024
            $0.live.abuseErrors = 100
        }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let (live, _, _) = try await subscribed(port: port, [.petition(.init(1))])
            let cases: [(String, ProtocolErrorCode)] = [
                ("{oops", .malformedJSON),
                (#"{"type":"shout","ref":"a"}"#, .unknownType),
                (#"{"type":"subscribe","topics":"petition:1"}"#, .invalidMessage),
                (#"{"type":"subscribe","topics":["petition:999"]}"#, .unknownTopic),
                (#"{"type":"subscribe","topics":["elections:1"]}"#, .unknownTopic),
                (#"{"type":"subscribe","topics":["sitting:1:moderation"]}"#, .forbiddenTopic),
                (#"{"type":"subscribe","topics":["sitting:1","petition:2"]}"#, .tooManyTopics),
            ]
            for (text, expected) in cases {
                try await live.sendText(text)
                guard case .error(let error) = try await live.next() else {
                    Issue.record("expected an error for \(text.prefix(60))")
                    continue
                }
                #expect(error.code == expected, "\(text.prefix(60))")
            }
            // A message over the limit in frames that are each within it: the error, and the connection stays.
            let oversized = Array("{\"type\":\"ping\",\"pad\":\"\(String(repeating: "x", count: 2000))\"}".utf8)
            try await live.send(opcode: .text, Array(oversized[..<1000]), fin: false)
            try await live.send(opcode: .continuation, Array(oversized[1000...]), fin: true)
            guard case .error(let tooLarge) = try await live.next() else {
                Issue.record("expected an error for a fragmented message over the limit")
                return
            }
            #expect(tooLarge.code == .messageTooLarge)
            try await live.send(opcode: .binary, [1, 2, 3])
            guard case .error(let binary) = try await live.next() else {
                Issue.record("expected an error for a binary frame")
                return
            }
            #expect(binary.code == .binaryNotSupported)

            // Nothing changed: still subscribed to exactly petition:1, so one more topic fits and a third does not.
            try await live.send(.subscribe(ref: "ok", topics: [.sitting(.init(1))], resume: [:]))
            let reply = try await live.next { if case .subscribed = $0 { true } else { false } }
            #expect(reply == .subscribed(ref: "ok", topics: [try #require(try await positions(live: reply))]))
            #expect(try await sign(client, "after-errors@example.org") == .created)
            #expect(count(try await live.next { count($0) != nil }) == 1)
            try await live.send(.ping(ref: "p"))
            #expect(try await live.next { if case .pong = $0 { true } else { false } } == .pong(ref: "p"))
            await live.close()
        }
    }

    /// The single topic position of a `subscribed` reply.
    func positions(live: ServerMessage) async throws -> ServerMessage.SubscribedTopic? {
        if case .subscribed(_, let topics) = live { return topics.first }
        return nil
    }

    @Test func persistentAbuseClosesWith4001() async throws {
        let (app, _) = try await TestApp.make { $0.live.abuseErrors = 3 }
        try await app.test(.live) { client in
            let live = try await TestLiveClient.connect(port: try #require(client.port))
            _ = try await live.next()
            for _ in 0..<3 { try await live.sendText("nonsense") }
            #expect(try await live.closeCode() == CloseCode.abuse.rawValue)
        }
    }

    @Test func resumingAfterADisconnectReplaysWhatWasMissed() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let (first, positions, _) = try await subscribed(port: port, [.petition(.init(1))])
            let position = try #require(positions.first)
            await first.close()
            for n in 1...3 {
                #expect(try await sign(client, "missed\(n)@example.org") == .created)
                try await Task.sleep(for: .milliseconds(70))
            }
            let resume = [Topic.petition(.init(1)): ResumePosition(epoch: position.epoch, offset: position.offset)]
            let (second, resumed, replayed) = try await subscribed(port: port, [.petition(.init(1))], resume: resume)
            #expect(resumed.first?.recovered == true)
            let counts = replayed.compactMap(count)
            #expect(counts == [1, 2, 3], "every missed count, in order, and no snapshot")
            let offsets = replayed.compactMap { message -> UInt64? in
                if case .event(_, _, let offset, _, _) = message { return offset }
                return nil
            }
            #expect(offsets == [position.offset + 1, position.offset + 2, position.offset + 3])
            await second.close()

            // A position from another epoch (a restarted server) gets a fresh snapshot instead.
            let stale = [Topic.petition(.init(1)): ResumePosition(epoch: "gone", offset: 1)]
            let (third, fresh, sent) = try await subscribed(port: port, [.petition(.init(1))], resume: stale)
            #expect(fresh.first?.recovered == false)
            guard case .snapshot(_, _, _, let data) = sent.first else {
                Issue.record("expected a snapshot")
                return
            }
            #expect(data["signature_count"]?.intValue == 3)
            await third.close()
        }
    }

    @Test func aForeignOriginIsRefusedWith403AndTheOwnOriginIsAccepted() async throws {
        let (app, _) = try await TestApp.make { $0.live.allowedOrigins = ["https://parliament.example"] }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let upgrade: HTTPFields = [
                .upgrade: "websocket", .connection: "Upgrade", .secWebSocketVersion: "13",
                .secWebSocketKey: "dGhlIHNhbXBsZSBub25jZQ==", .origin: "https://evil.example",
            ]
            try await client.execute(uri: "/live", method: .get, headers: upgrade) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("origin_not_allowed"))
            }
            await #expect(throws: TestLiveClient.Failure.self) {
                _ = try await TestLiveClient.connect(port: port, origin: "http://attacker.example:\(port)")
            }
            for origin in ["http://127.0.0.1:\(port)", "https://parliament.example"] {
                let live = try await TestLiveClient.connect(port: port, origin: origin)
                guard case .welcome = try await live.next() else {
                    Issue.record("\(origin) should be accepted")
                    continue
                }
                await live.close()
            }
        }
    }

    @Test func heartbeatsPingAndASilentConnectionIsClosedWith4003() async throws {
        // Idle timeout = 2 x heartbeat + 5 s; this client never answers pings.
        let (app, _) = try await TestApp.make { $0.hub.heartbeat = .milliseconds(200) }
        try await app.test(.live) { client in
            // Timed from before the connection: the server's idle time starts at its accept, so this bound holds
            // however late a loaded test process reads the welcome.
            let started = ContinuousClock.now
            let live = try await TestLiveClient.connect(port: try #require(client.port))
            _ = try await live.next()
            #expect(try await live.closeCode(timeout: .seconds(10)) == CloseCode.idleTimeout.rawValue)
            #expect(ContinuousClock.now - started >= .seconds(5), "not before the idle timeout")
            #expect(live.pingsReceived >= 2)
        }
    }

    @Test func fragmentedMessagesAreAssembledAndFramingErrorsClose() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let live = try await TestLiveClient.connect(port: port)
            _ = try await live.next()
            // A ping message split over three frames is one message.
            try await live.send(opcode: .text, Array(#"{"type":"pi"#.utf8), fin: false)
            try await live.send(opcode: .continuation, Array(#"ng","re"#.utf8), fin: false)
            try await live.send(opcode: .continuation, Array(#"f":"frag"}"#.utf8), fin: true)
            #expect(try await live.next() == .pong(ref: "frag"))
            // A continuation with no message to continue is a framing error: 1002.
            try await live.send(opcode: .continuation, Array("x".utf8), fin: true)
            #expect(try await live.closeCode() == CloseCode.protocolError.rawValue)

            // A single frame over the frame limit (the message limit): 1009.
            let big = try await TestLiveClient.connect(port: port)
            _ = try await big.next()
            try await big.send(opcode: .text, Array(repeating: UInt8(ascii: " "), count: 1_100_000))
            #expect(try await big.closeCode() == CloseCode.messageTooBig.rawValue)
        }
    }

    @Test func subscribeThenUnsubscribeInOneBurstLeavesNothingBehind() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let live = try await TestLiveClient.connect(port: port)
            _ = try await live.next()
            let petition = Topic.petition(.init(1))
            try await live.send(.subscribe(ref: "a", topics: [petition], resume: [:]))
            try await live.send(.unsubscribe(ref: "b", topics: [petition]))
            // Replies come in request order: the subscription completes, then the unsubscribe.
            _ = try await live.next { if case .subscribed = $0 { true } else { false } }
            #expect(try await live.next { if case .unsubscribed = $0 { true } else { false } } == .unsubscribed(ref: "b", topics: [petition]))
            #expect(try await sign(client, "after-unsubscribe@example.org") == .created)
            try await live.send(.ping(ref: "end"))
            // Nothing between the unsubscribe and the pong: no count event leaked through.
            #expect(try await live.next() == .pong(ref: "end"))

            // The same for a sitting: its viewer count goes back to zero, so a new viewer's snapshot says 1.
            let sitting = Topic.sitting(.init(1))
            try await live.send(.subscribe(ref: "c", topics: [sitting], resume: [:]))
            try await live.send(.unsubscribe(ref: "d", topics: [sitting]))
            _ = try await live.next { if case .unsubscribed = $0 { true } else { false } }
            let (other, _, before) = try await subscribed(port: port, [sitting])
            guard case .snapshot(_, _, _, let data) = before.first else {
                Issue.record("expected a snapshot")
                return
            }
            #expect(data["viewers"]?.intValue == 1)
            await other.close()
            await live.close()
        }
    }

    @Test func thresholdsAreAnnouncedAndKeptInTheSnapshot() async throws {
        let (app, _) = try await TestApp.make { $0.responseThreshold = 2 }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let (live, _, _) = try await subscribed(port: port, [.petition(.init(1))])
            #expect(try await sign(client, "t1@example.org") == .created)
            #expect(try await sign(client, "t2@example.org") == .created)
            let event = try await live.next { if case .event(_, _, _, "threshold", _) = $0 { true } else { false } }
            guard case .event(_, _, _, _, let data) = event else { return }
            #expect(data["name"]?.stringValue == "response")
            #expect(data["signature_count"]?.intValue == 2)
            let (late, _, before) = try await subscribed(port: port, [.petition(.init(1))])
            guard case .snapshot(_, _, _, let snapshot) = before.first else {
                Issue.record("expected a snapshot")
                return
            }
            let response = snapshot["thresholds"]?.arrayValue?.first { $0["name"]?.stringValue == "response" }
            #expect(response?["reached_at"]?.stringValue?.hasSuffix("Z") == true)
            await late.close()
            await live.close()
        }
    }

    @Test func aClientCloseIsAnsweredWith1000() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.live) { client in
            let live = try await TestLiveClient.connect(port: try #require(client.port))
            _ = try await live.next()
            try await live.send(opcode: .connectionClose, [0x0F, 0xA2] + Array("bye".utf8))  // 4002 from the client
            #expect(try await live.closeCode() == CloseCode.normal.rawValue)
        }
    }
}
