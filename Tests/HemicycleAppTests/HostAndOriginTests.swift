import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

extension EdgeSuites {
    /// The site knows its own address: `Host` values that are not the site's are refused before anything runs, links
    /// (mail included) come from the listening address or `--public-url`, and `Origin` is compared with the site's own
    /// origins, never with `Host`. Over real sockets, since the attack is in the request's bytes.
    @Suite struct HostAndOriginTests {
        static let create = #"{"action":"Plant a tree for every newborn","background":"Cities need shade.","name":"Ada Lovelace","email":"ada@example.org"}"#

        /// The mailer waits an hour: the test reads the outbox before anything is sent.
        static func app(_ adjust: @escaping (inout AppConfiguration) -> Void = { _ in }) async throws -> (HemicycleApplication, InMemoryStore) {
            try await TestApp.make { configuration in
                configuration.mailInterval = .seconds(3600)
                adjust(&configuration)
            }
        }

        @Test func aForeignHostIs421AndStartsNothing() async throws {
            let (app, store) = try await Self.app()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                for host in ["evil.example", "evil.example:\(port)", "127.0.0.1.evil.example"] {
                    let connection = try await RawConnection.connect(port: port)
                    try await connection.request("POST", "/api/v1/petitions", host: host, headers: [("Content-Type", "application/json")], body: Self.create)
                    let response = try await connection.response()
                    #expect(response.status == 421, "\(host)")
                    #expect(response.errorCode == "host_not_allowed")
                    await connection.close()
                }
                // Pages, feeds and the sign form too: the check runs before any route.
                for path in ["/petitions/1", "/feeds/petitions.atom", "/petitions.json", "/static/js/live-socket.js"] {
                    let connection = try await RawConnection.connect(port: port)
                    try await connection.request("GET", path, host: "evil.example")
                    #expect(try await connection.response().status == 421, "\(path)")
                    await connection.close()
                }
            }
            #expect(await store.outboxMail().isEmpty, "no mail for a misdirected request")
            #expect(try await store.countPetitions(PetitionQuery(states: Set(PetitionState.allCases))) == 1, "only the demo petition")
        }

        @Test func aMissingRepeatedOrMalformedHostIs400() async throws {
            let (app, _) = try await Self.app()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                for head in ["GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
                             "GET / HTTP/1.1\r\nHost: evil example\r\n\r\n", "GET / HTTP/1.1\r\nHost: localhost:99999\r\n\r\n",
                             "GET / HTTP/1.1\r\nHost: user@localhost\r\n\r\n"] {
                    let connection = try await RawConnection.connect(port: port)
                    try await connection.send(head)
                    let response = try await connection.response()
                    #expect(response.status == 400, "\(head.debugDescription)")
                    #expect(response.errorCode == "invalid_host")
                    await connection.close()
                }
            }
        }

        @Test func theSitesOwnHostsAndTheProbesAnswer() async throws {
            let (app, _) = try await Self.app()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                for host in ["127.0.0.1:\(port)", "localhost", "LOCALHOST:\(port)", "[::1]:\(port)"] {
                    let connection = try await RawConnection.connect(port: port)
                    try await connection.request("GET", "/petitions/1", host: host)
                    #expect(try await connection.response().status == 200, "\(host)")
                    await connection.close()
                }
                // Orchestrators probe by the pod's address: the probes answer any Host. /metrics does not (a DNS-rebound
                // page on the server's machine would read it as loopback).
                for (path, status) in [("/health", 200), ("/ready", 200), ("/metrics", 421)] {
                    let connection = try await RawConnection.connect(port: port)
                    try await connection.request("GET", path, host: "10.1.2.3:\(port)")
                    #expect(try await connection.response().status == status, "\(path)")
                    await connection.close()
                }
            }
        }

        @Test func theLiveUpgradeChecksHostToo() async throws {
            let (app, _) = try await Self.app()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let upgrade = [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13")]
                for (host, status, code) in [("evil.example", 421, "host_not_allowed"), ("evil example", 400, "invalid_host")] {
                    let connection = try await RawConnection.connect(port: port)
                    try await connection.request("GET", "/live", host: host, headers: upgrade + [("Origin", "http://\(host)")])
                    let response = try await connection.response()
                    #expect(response.status == status && response.errorCode == code, "\(host): \(response.status) \(response.body)")
                    await connection.close()
                }
                // `Origin: http://evil.example:PORT` with `Host: evil.example:PORT` used to pass (origin == host): not any more.
                let connection = try await RawConnection.connect(port: port)
                try await connection.request("GET", "/live", host: "localhost:\(port)", headers: upgrade + [("Origin", "http://evil.example:\(port)")])
                let response = try await connection.response()
                #expect(response.status == 403 && response.errorCode == "origin_not_allowed")
                await connection.close()
                let live = try await TestLiveClient.connect(port: port, origin: "http://127.0.0.1:\(port)")
                guard case .welcome = try await live.next() else {
                    Issue.record("the site's own origin opens /live")
                    return
                }
                await live.close()
            }
        }

        @Test func mailedLinksUseTheSitesOwnAddressNeverTheHost() async throws {
            let (app, store) = try await Self.app()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                // `localhost` is an allowed name, but links still say what the server listens on.
                let connection = try await RawConnection.connect(port: port)
                try await connection.request("POST", "/api/v1/petitions", host: "localhost:1", headers: [("Content-Type", "application/json")], body: Self.create)
                #expect(try await connection.response().status == 201)
                await connection.close()
                let mail = try #require(await store.outboxMail().last)
                #expect(mail.body.contains("http://127.0.0.1:\(port)/confirm/"), "\(mail.body)")
                #expect(!mail.body.contains("localhost"))
            }
            let (proxied, proxiedStore) = try await Self.app { $0.publicURL = "https://petitions.parliament.example" }
            try await proxied.test(.live) { client in
                let connection = try await RawConnection.connect(port: try #require(client.port))
                try await connection.request("POST", "/api/v1/petitions", host: "127.0.0.1", headers: [("Content-Type", "application/json")], body: Self.create)
                #expect(try await connection.response().status == 201)
                await connection.close()
                #expect(try #require(await proxiedStore.outboxMail().last).body.contains("https://petitions.parliament.example/confirm/"))
                // Feeds and open data too.
                let feed = try await client.execute(uri: "/feeds/petitions.atom", method: .get) { String(buffer: $0.body) }
                #expect(feed.contains("https://petitions.parliament.example/petitions/1") && !feed.contains("localhost"))
            }
        }

        @Test func originIsComparedWithTheSitesOwnOriginsNotWithHost() async throws {
            let (app, store) = try await Self.app()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                func sign(origin: String, host: String = "localhost", email: String) async throws -> RawConnection.Response {
                    let connection = try await RawConnection.connect(port: port)
                    defer { Task { await connection.close() } }
                    try await connection.request("POST", "/api/v1/petitions/1/signatures", host: host,
                                                 headers: [("Content-Type", "application/json"), ("Origin", origin)],
                                                 body: #"{"name":"Ada","email":"\#(email)"}"#)
                    return try await connection.response()
                }
                for origin in ["https://evil.example", "null", "http://127.0.0.1:1", "http://localhost"] {
                    let response = try await sign(origin: origin, email: "x@example.org")
                    #expect(response.status == 403 && response.errorCode == "origin_not_allowed", "\(origin)")
                }
                // The attacker's page is served from evil.example: sending Host: evil.example too no longer makes it "own".
                #expect(try await sign(origin: "http://evil.example:\(port)", host: "evil.example:\(port)", email: "x@example.org").status == 421)
                #expect(try await store.storedSignatureCount(.init(1)) == 0)
                #expect(try await sign(origin: "http://127.0.0.1:\(port)", email: "a@example.org").status == 201)
                #expect(try await sign(origin: "http://localhost:\(port)", email: "b@example.org").status == 201)
            }
            #expect(try await store.storedSignatureCount(.init(1)) == 2)
        }
    }
}
