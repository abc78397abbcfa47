import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A store with two sittings and staff for the hearing tests:
/// - sitting 1 (the demo) and sitting 2, both scheduled;
/// - `mod1@…` moderates sitting 1, `mod1b@…` too, `mod2@…` moderates sitting 2, `chair1@…` chairs sitting 1,
///   `clerk@…` is a clerk, `admin@…` an admin, `pmod@…` a petitions moderator. Every password is `correct horse battery`.
enum HearingFixture {
    static let password = "correct horse battery"

    static func store() async throws -> InMemoryStore {
        let store = InMemoryStore()
        // The demo opens now: the scheduler inside the app would close a petition whose deadline has passed.
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        _ = try await store.seedDemoIfEmpty(.standard(now: now))
        await store.put(Sitting(
            id: .init(2), title: "Second sitting", committee: "Health", state: .scheduled,
            scheduledStart: Timestamp(millisecondsSince1970: 1_700_000_000_000), streamURL: nil, agenda: ["Waiting lists"], witnesses: ["Minister"]
        ))
        var demo = try #require(try await store.sitting(.init(1)))
        demo.agenda = ["Fares", "Tickets"]
        demo.witnesses = ["Rail Minister"]
        await store.put(demo)
        for (email, role, sittings) in [
            ("mod1@example.org", "moderator", [Int64(1)]), ("mod1b@example.org", "moderator", [1]), ("mod2@example.org", "moderator", [2]),
            ("chair1@example.org", "chair", [1]), ("clerk@example.org", "clerk", []), ("admin@example.org", "admin", []),
            ("pmod@example.org", "petitions-moderator", []),
        ] {
            _ = try await StaffAccounts.add(
                store: store, email: email, name: String(email.prefix { $0 != "@" }), role: role, sittings: sittings, password: password, bcryptCost: 4
            )
        }
        return store
    }

    static func make(_ adjust: (inout AppConfiguration) -> Void = { _ in }) async throws -> (HemicycleApplication, InMemoryStore) {
        try await TestApp.make(store: try await store(), adjust)
    }

    /// The same fixture on a store of `backend`, written through the store protocol only.
    static func store(_ backend: TestApp.Backend) async throws -> any HemicycleStore {
        // The memory store numbers new sittings from 1001; `store()` puts sitting 2 directly.
        if backend == .memory { return try await store() }
        let store = try await TestApp.emptyStore(backend)
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        _ = try await store.seedDemoIfEmpty(.standard(now: now))
        let second = try await store.createSitting(Sitting(
            id: .init(0), title: "Second sitting", committee: "Health", state: .scheduled,
            scheduledStart: Timestamp(millisecondsSince1970: 1_700_000_000_000), streamURL: nil, agenda: ["Waiting lists"], witnesses: ["Minister"]
        ), audit: nil)
        #expect(second.id == .init(2))
        var demo = try #require(try await store.sitting(.init(1)))
        demo.agenda = ["Fares", "Tickets"]
        demo.witnesses = ["Rail Minister"]
        try await store.updateSitting(demo, audit: nil)
        for (email, role, sittings) in [
            ("mod1@example.org", "moderator", [Int64(1)]), ("mod1b@example.org", "moderator", [1]), ("mod2@example.org", "moderator", [2]),
            ("chair1@example.org", "chair", [1]), ("clerk@example.org", "clerk", []), ("admin@example.org", "admin", []),
            ("pmod@example.org", "petitions-moderator", []),
        ] {
            _ = try await StaffAccounts.add(
                store: store, email: email, name: String(email.prefix { $0 != "@" }), role: role, sittings: sittings, password: password, bcryptCost: 4
            )
        }
        return store
    }

    static func make(_ backend: TestApp.Backend, _ adjust: (inout AppConfiguration) -> Void = { _ in }) async throws
        -> (HemicycleApplication, any HemicycleStore)
    {
        try await TestApp.make(backend, store: try await store(backend), adjust)
    }
}

/// A test browser: keeps cookies between requests and speaks JSON.
final class Browser: Sendable {
    private let jar = Mutex<[String: String]>([:])

    var cookieHeader: String? {
        jar.withLock { cookies in cookies.isEmpty ? nil : cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
    }

    func cookie(_ name: String) -> String? { jar.withLock { $0[name] } }

    func setCookie(_ name: String, _ value: String) { jar.withLock { $0[name] = value } }

    /// Sends a request with this browser's cookies; keeps the cookies the answer sets.
    func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, form: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let cookieHeader { headers[.cookie] = cookieHeader }
        var body: ByteBuffer?
        if let json {
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            body = ByteBuffer(string: json)
        } else if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form)
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body) { $0 }
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";").first?.split(separator: "=", maxSplits: 1) ?? []
            guard pair.count >= 1 else { continue }
            let name = String(pair[0]), content = pair.count == 2 ? String(pair[1]) : ""
            jar.withLock { $0[name] = content.isEmpty ? nil : content }
        }
        return response
    }

    /// Opens a sitting's page, as a person does before asking or voting: the page sets the participant cookie.
    @discardableResult
    func visit(_ client: some TestClientProtocol, sitting: Int = 1) async throws -> TestResponse {
        try await send(client, .get, "/sittings/\(sitting)")
    }

    /// A new browser that opened sitting `sitting`'s page (a participant).
    static func participant(_ client: some TestClientProtocol, sitting: Int = 1) async throws -> Browser {
        let browser = Browser()
        try await browser.visit(client, sitting: sitting)
        return browser
    }

    /// Logs in as staff through the JSON API.
    @discardableResult
    func logIn(_ client: some TestClientProtocol, _ email: String, password: String = HearingFixture.password) async throws -> TestResponse {
        try await send(client, .post, "/api/v1/session", json: #"{"email":"\#(email)","password":"\#(password)"}"#)
    }
}

extension TestResponse {
    var json: JSONValue? { try? JSONValue.parse(Array(String(buffer: body).utf8)) }
    var errorCode: String? { json?["error"]?["code"]?.stringValue }
    var text: String { String(buffer: body) }
}
