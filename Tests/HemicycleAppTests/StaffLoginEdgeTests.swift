import Foundation
import HTTPTypes
import HemicycleCore
import HemicycleStorage
import HemicycleTesting
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import HemicycleApp

extension EdgeSuites {
    /// Staff login at the edge: `next` never leaves the site, a burst of attempts is cut before bcrypt runs, an attacker's
    /// address cannot lock the member out of another, and sessions end when they should.
    @Suite struct StaffLoginEdgeTests {
        static func loginToken(_ page: TestResponse) throws -> String {
            String(try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1))
        }

        /// `next` as the attacker's link and form carry it (URL-encoded): `/%09/evil.example` decodes to `/<tab>/evil.example`,
        /// which browsers follow to `//evil.example`. One app for every attack string (the suites run in parallel on two
        /// cores: an app per string would only add load).
        @Test func afterLoginNextNeverLeavesTheSite() async throws {
            let (app, _) = try await HearingFixture.make()
            try await app.test(.router) { client in
                for escaped in ["/%09/evil.example", "%2F%09%2Fevil.example", "//evil", "/%5Cevil", "/%5C/evil.example", "https://evil",
                                "https:%2F%2Fevil", "/%0D%0ALocation:%20https://evil", "/%20/evil", "/"] {
                    let staff = Browser()
                    let page = try await staff.send(client, .get, "/staff/login?next=\(escaped)")
                    #expect(page.text.contains(#"name="next" value="/staff""#), "the page keeps only a safe next (\(escaped))")
                    let token = try Self.loginToken(page)
                    let response = try await staff.send(client, .post, "/staff/login",
                                                        form: "email=mod1%40example.org&password=correct+horse+battery&csrf_token=\(token)&next=\(escaped)")
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/staff", "\(escaped) -> \(response.headers[.location] ?? "")")
                }
            }
        }

        @Test func aPathOnTheSiteIsFollowed() async throws {
            let (app, _) = try await HearingFixture.make()
            try await app.test(.router) { client in
                let staff = Browser()
                let token = try Self.loginToken(try await staff.send(client, .get, "/staff/login?next=/sittings/1/moderate"))
                let response = try await staff.send(client, .post, "/staff/login",
                                                    form: "email=mod1%40example.org&password=correct+horse+battery&csrf_token=\(token)&next=%2Fsittings%2F1%2Fmoderate")
                #expect(response.headers[.location] == "/sittings/1/moderate")
            }
        }

        /// 64 concurrent wrong passwords from one address (through a trusted proxy's X-Forwarded-For): at most the limit
        /// reach bcrypt (401), the rest are 429, and the member still logs in from another address.
        @Test func aConcurrentBurstIsCutBeforeBcryptAndDoesNotLockTheMemberOut() async throws {
            // Enough bcrypt places for the whole burst: what stops it here is the count taken before the check (the
            // places themselves are tested below), so exactly the limit is verified.
            let (app, store) = try await HearingFixture.make {
                $0.trustedProxies = [IPAddressRange("127.0.0.1")!]
                $0.edge.maxConcurrentLogins = 64
            }
            try await app.test(.live) { client in
                let port = try #require(client.port)
                func login(password: String, from address: String) async throws -> RawConnection.Response {
                    let connection = try await RawConnection.connect(port: port)
                    try await connection.request("POST", "/api/v1/session", headers: [("Content-Type", "application/json"), ("X-Forwarded-For", address)],
                                                 body: #"{"email":"mod1@example.org","password":"\#(password)"}"#)
                    let response = try await connection.response(timeout: .seconds(60))
                    await connection.close()
                    return response
                }
                let statuses = try await withThrowingTaskGroup(of: RawConnection.Response.self) { group in
                    for _ in 0..<64 { group.addTask { try await login(password: "wrong password!!", from: "203.0.113.66") } }
                    return try await group.reduce(into: [RawConnection.Response]()) { $0.append($1) }
                }
                let verified = statuses.filter { $0.status == 401 }
                let refused = statuses.filter { $0.status == 429 }
                #expect(verified.count == 5, "only the per-(email, address) limit reaches the password check")
                #expect(verified.count + refused.count == 64, "\(Dictionary(grouping: statuses, by: \.status).mapValues(\.count))")
                #expect(refused.allSatisfy { ["rate_limited", "login_busy"].contains($0.errorCode) && $0.header("Retry-After") != nil })
                #expect(try await login(password: HearingFixture.password, from: "203.0.113.66").status == 429, "the attacker's address stays limited")
                #expect(try await login(password: HearingFixture.password, from: "198.51.100.20").status == 200, "the member logs in from elsewhere")
            }
            let failures = try await store.auditLog(limit: 500).filter { $0.action == "login_failed" }
            #expect(failures.count == 5)
        }

        @Test func bcryptWorkIsBoundedAndTheExcessRefusedAtOnce() async throws {
            let gate = BcryptGate(limit: 1)
            let release = Flag(), started = Flag()
            async let held: Int = gate.run {
                started.set()
                while !release.isSet { usleep(1000) }
                return 1
            }
            while !started.isSet { try await Task.sleep(for: .milliseconds(1)) }
            #expect(gate.current == 1)
            await #expect(throws: APIError.self) { _ = try await gate.run { 2 } }
            do {
                _ = try await gate.run { 2 }
            } catch let error as APIError {
                #expect(error.code == "login_busy" && error.status == .tooManyRequests && error.retryAfter == 1)
            }
            release.set()
            #expect(try await held == 1)
            #expect(try await gate.run { 3 } == 3, "a place frees once the work is done")
            #expect(gate.current == 0)
            #expect(BcryptGate(limit: nil).limit >= 1, "the default leaves the blocking pool a thread, and allows at least one")
        }

        @Test func aPasswordChangeEndsTheMembersOtherSessions() async throws {
            let (app, store) = try await HearingFixture.make()
            try await app.test(.router) { client in
                let laptop = Browser(), phone = Browser(), other = Browser()
                for browser in [laptop, phone] { #expect(try await browser.logIn(client, "mod1@example.org").status == .ok) }
                #expect(try await other.logIn(client, "mod2@example.org").status == .ok)
                let response = try await laptop.send(client, .post, "/api/v1/session/password",
                                                     json: #"{"current":"\#(HearingFixture.password)","new":"a brand new passphrase"}"#)
                #expect(response.status == .ok)
                #expect(try await phone.send(client, .get, "/api/v1/session").errorCode == "not_logged_in", "the other session ended")
                #expect(try await laptop.send(client, .get, "/api/v1/session").status == .ok, "the session that changed it goes on")
                #expect(try await other.send(client, .get, "/api/v1/session").status == .ok, "another member's session is untouched")

                // The form does the same.
                let tablet = Browser()
                #expect(try await tablet.logIn(client, "mod1@example.org", password: "a brand new passphrase").status == .ok)
                let page = try await laptop.send(client, .get, "/staff/password")
                let token = try Self.loginToken(page)
                let form = try await laptop.send(client, .post, "/staff/password",
                                                 form: "current=a+brand+new+passphrase&new=yet+another+passphrase&confirm=yet+another+passphrase&csrf_token=\(token)")
                #expect(form.status == .ok)
                #expect(try await tablet.send(client, .get, "/api/v1/session").errorCode == "not_logged_in")
                #expect(try await laptop.send(client, .get, "/api/v1/session").status == .ok)
            }
            #expect(try await store.auditLog(limit: 50).filter { $0.action == "sessions_ended" }.count == 2)
        }

        @Test func aSessionCannotGuessThePasswordFasterThanTheLogin() async throws {
            let (app, _) = try await HearingFixture.make()
            try await app.test(.router) { client in
                let thief = Browser()
                #expect(try await thief.logIn(client, "mod1@example.org").status == .ok)
                var codes: [String?] = []
                for guess in 0..<6 {
                    codes.append(try await thief.send(client, .post, "/api/v1/session/password",
                                                      json: #"{"current":"guess number \#(guess)","new":"a brand new passphrase"}"#).errorCode)
                }
                #expect(codes.prefix(5).allSatisfy { $0 == "invalid_input" }, "\(codes)")
                #expect(codes.last == "rate_limited", "the current password's check counts as a login attempt")
            }
        }

        @Test func expiredSessionsArePurged() async throws {
            let store = try await HearingFixture.store()
            let staff = try #require(try await store.staff(email: "mod1@example.org")).member.id
            // The server's clock is a test clock: the session expires when the test moves time, not after a wait.
            let clock = ManualClock()
            let start = clock.now()
            try await store.createSession(tokenHash: "expired", staff: staff, expiresAt: Timestamp(millisecondsSince1970: 1_000))
            try await store.createSession(tokenHash: "soon", staff: staff, expiresAt: start.adding(.seconds(3_600)))
            try await store.createSession(tokenHash: "current", staff: staff, expiresAt: start.adding(.seconds(86_400)))
            let (app, _) = try await TestApp.make(store: store) { configuration in
                configuration.clock = clock
                configuration.schedulerInterval = .seconds(60)
            }
            @Sendable func waitUntilGone(_ token: String) async throws {
                let deadline = ContinuousClock.now.advanced(by: .seconds(10))
                while try await store.session(tokenHash: token) != nil, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))  // the sweeper's work, not time passing
                }
            }
            try await app.test(.live) { _ in
                try await waitUntilGone("expired")
                #expect(try await store.session(tokenHash: "soon") != nil, "not expired yet on the server's clock")
                clock.advance(by: .seconds(2 * 3_600))
                try await waitUntilGone("soon")
            }
            #expect(try await store.session(tokenHash: "expired") == nil)
            #expect(try await store.session(tokenHash: "soon") == nil, "purged once the clock passed its expiry")
            #expect(try await store.session(tokenHash: "current") != nil)
        }
    }
}

/// A flag shared with work on another thread.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
