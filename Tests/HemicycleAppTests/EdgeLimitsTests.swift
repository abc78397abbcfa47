import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// Limits at the HTTP edge over real sockets: request head and body deadlines (slowloris), connections per address,
/// and `/metrics` for allowed addresses only. The bounds on time are generous: these tests check that a slow client
/// is closed at all, not how fast.
@Suite struct EdgeLimitsTests {
    static func app(_ adjust: @escaping (inout AppConfiguration) -> Void = { _ in }) async throws -> (HemicycleApplication, InMemoryStore) {
        try await TestApp.make { configuration in
            // Short, but not so short that a test process starved by the parallel suites misses them on good requests.
            configuration.edge.requestHeadTimeout = .seconds(3)
            configuration.edge.requestBodyTimeout = .seconds(3)
            adjust(&configuration)
        }
    }

    /// Sends `text` a few bytes at a time, every 200 ms, until it is all sent or the server closes.
    static func trickle(_ text: String, on connection: RawConnection) async throws {
        var rest = Substring(text)
        while !rest.isEmpty, !connection.isClosed {
            let chunk = rest.prefix(3)
            rest = rest.dropFirst(3)
            do { try await connection.send(String(chunk)) } catch { return }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    @Test func aHeadTrickledSlowlyIsClosed() async throws {
        let (app, _) = try await Self.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // The first request of a connection, and the next one after a response on a kept-alive connection.
            let first = try await RawConnection.connect(port: port)
            let head = "GET /petitions/1 HTTP/1.1\r\nHost: localhost\r\n" + (0..<40).map { "X-Padding-\($0): slow\r\n" }.joined() + "\r\n"
            async let sending: Void = Self.trickle(head, on: first)
            #expect(try await first.waitForClose(timeout: .seconds(30)), "the first head's deadline closes it")
            try await sending
            #expect(try await !first.received().contains("200 OK"))

            let second = try await RawConnection.connect(port: port)
            try await second.request("GET", "/health")
            #expect(try await second.response().status == 200)
            async let more: Void = Self.trickle(head, on: second)
            #expect(try await second.waitForClose(timeout: .seconds(30)), "the next head has the same deadline, from its first byte")
            try await more
        }
    }

    @Test func aBodyTrickledSlowlyIsClosedAndStoresNothing() async throws {
        let (app, store) = try await Self.app()
        try await app.test(.live) { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            let body = #"{"name":"Slow Loris","email":"slow@example.org","postcode":"SW1A 1AA","country":"GB"}"#
            try await connection.send("POST /api/v1/petitions/1/signatures HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                      + "Content-Length: \(body.utf8.count)\r\n\r\n")
            async let sending: Void = Self.trickle(body, on: connection)
            #expect(try await connection.waitForClose(timeout: .seconds(30)))
            try await sending
        }
        #expect(try await store.storedSignatureCount(.init(1)) == 0)
    }

    @Test func promptRequestsAndLiveSocketsAreNotTouched() async throws {
        let (app, _) = try await Self.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let live = try await TestLiveClient.connect(port: port)
            _ = try await live.next()
            // Well past both deadlines: /live is decided by its heartbeat, not by the HTTP deadlines.
            try await Task.sleep(for: .milliseconds(4000))
            try await live.send(.subscribe(ref: "s1", topics: [.petition(.init(1))], resume: [:]))
            guard case .subscribed = try await live.next(where: { if case .subscribed = $0 { true } else { false } }) else {
                Issue.record("the live socket must outlive the HTTP deadlines")
                return
            }
            await live.close()
            // A request that keeps to the deadlines is answered, twice on the same connection, and a kept-alive
            // connection may wait longer than the head deadline before its next request (its head is timed from its
            // first byte).
            let connection = try await RawConnection.connect(port: port)
            for pause in [0, 4000] {
                try await Task.sleep(for: .milliseconds(pause))
                try await connection.request("POST", "/api/v1/petitions/1/signatures", headers: [("Content-Type", "application/json")],
                                             body: #"{"name":"Quick","email":"quick\#(UUID().uuidString.prefix(6))@example.org"}"#)
                #expect(try await connection.response().status == 201)
            }
            await connection.close()
        }
    }

    @Test func connectionsPerAddressAreLimitedWhenSet() async throws {
        let (app, _) = try await Self.app {
            $0.edge.maxConnectionsPerAddress = 2
            $0.edge.requestHeadTimeout = .seconds(30)
        }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // From 127.0.0.2: the test framework's own client holds a connection from 127.0.0.1.
            let first = try await RawConnection.connect(port: port, source: "127.0.0.2")
            let second = try await RawConnection.connect(port: port, source: "127.0.0.2")
            try await Task.sleep(for: .milliseconds(100))
            let third = try await RawConnection.connect(port: port, source: "127.0.0.2")
            #expect(try await third.waitForClose(timeout: .seconds(5)), "the third connection is closed at once")
            let refusal = try await third.received()
            #expect(refusal.hasPrefix("HTTP/1.1 429"), "\(refusal)")
            #expect(refusal.contains("too_many_connections"))
            #expect(!first.isClosed && !second.isClosed)
            for connection in [first, second] {
                try await connection.request("GET", "/health")
                #expect(try await connection.response().status == 200, "the first two are served")
            }
            // Another address has its own count.
            let elsewhere = try await RawConnection.connect(port: port, source: "127.0.0.3")
            try await elsewhere.request("GET", "/health")
            #expect(try await elsewhere.response().status == 200)
            await elsewhere.close()
            await first.close()
            // Its place is free once it has closed.
            var served = false
            for _ in 0..<50 where !served {
                try await Task.sleep(for: .milliseconds(50))
                let next = try await RawConnection.connect(port: port, source: "127.0.0.2")
                try? await next.request("GET", "/health")
                served = (try? await next.response(timeout: .seconds(2)).status) == 200
                await next.close()
            }
            #expect(served)
            await second.close()
        }
    }

    @Test func connectionsAreNotLimitedByDefault() async throws {
        let (app, _) = try await Self.app { $0.edge.requestHeadTimeout = .seconds(30) }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var connections: [RawConnection] = []
            for _ in 0..<20 { connections.append(try await RawConnection.connect(port: port, source: "127.0.0.2")) }
            for connection in connections {
                try await connection.request("GET", "/health")
                #expect(try await connection.response().status == 200)
                await connection.close()
            }
        }
    }

    @Test func metricsAnswerOnlyTheAllowedAddresses() async throws {
        let (app, _) = try await TestApp.make { $0.trustedProxies = [IPAddressRange("127.0.0.1")!] }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            func metrics(forwardedFor: String?) async throws -> RawConnection.Response {
                let connection = try await RawConnection.connect(port: port)
                try await connection.request("GET", "/metrics", headers: forwardedFor.map { [("X-Forwarded-For", $0)] } ?? [])
                let response = try await connection.response()
                await connection.close()
                return response
            }
            let local = try await metrics(forwardedFor: nil)
            #expect(local.status == 200 && local.body.contains("hemicycle_"), "loopback reads the metrics")
            let remote = try await metrics(forwardedFor: "203.0.113.9")
            #expect(remote.status == 403 && !remote.body.contains("hemicycle_signatures"), "a client behind the proxy does not")
            #expect(try await metrics(forwardedFor: "::1").status == 200)
        }
        let (allowing, _) = try await TestApp.make {
            $0.trustedProxies = [IPAddressRange("127.0.0.1")!]
            $0.edge.metricsAllow = [IPAddressRange("203.0.113.0/24")!]
        }
        try await allowing.test(.live) { client in
            let port = try #require(client.port)
            for (address, status) in [("203.0.113.9", 200), ("198.51.100.1", 403)] {
                let connection = try await RawConnection.connect(port: port)
                try await connection.request("GET", "/metrics", headers: [("X-Forwarded-For", address), ("Accept", "application/json")])
                let response = try await connection.response()
                #expect(response.status == status, "\(address)")
                if status == 403 { #expect(response.errorCode == "metrics_not_allowed") }
                await connection.close()
            }
        }
    }
}
