import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// Admins manage staff accounts in the pages and the API (`/staff/accounts`, `/api/v1/staff`): one-time passwords
/// shown once, role and sittings, disable, enable, remove; every refusal changes nothing.
@Suite struct StaffAccountsHTTPTests {
    static func csrf(_ page: TestResponse) throws -> String {
        String(try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1))
    }

    @Test func anAdminCreatesAnAccountWhoseOneTimePasswordWorksOnce() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let admin = Browser()
            try await admin.logIn(client, "admin@example.org")
            let created = try await admin.send(
                client, .post, "/api/v1/staff", json: #"{"email":"New.Clerk@Example.org","name":"New clerk","role":"moderator","sittings":[1]}"#)
            #expect(created.status == .created)
            #expect(created.headers[.cacheControl] == "no-store")
            let password = try #require(created.json?["one_time_password"]?.stringValue)
            #expect(password.count >= 16)
            #expect(created.json?["staff"]?["email"]?.stringValue == "new.clerk@example.org")
            #expect(created.json?["staff"]?["password_change_required"] == .bool(true))
            #expect(created.json?["staff"]?["status"]?.stringValue == "active")
            let stored = try #require(try await store.staff(email: "new.clerk@example.org")?.member)
            #expect(stored.role == .moderator && stored.sittings == [.init(1)] && stored.passwordChangeRequired)
            #expect(try await store.auditLog(limit: 5).contains { $0.action == "staff_added" && $0.details.contains("\"via\":\"admin\"") })

            // The password is never shown again: the account's JSON and page do not carry it.
            let shown = try await admin.send(client, .get, "/api/v1/staff/\(stored.id)")
            #expect(shown.json?["one_time_password"] == nil && !shown.text.contains(password))
            let page = try await admin.send(client, .get, "/staff/accounts/\(stored.id)")
            #expect(page.status == .ok && !page.text.contains(password) && page.headers[.cacheControl] == "no-store")

            let newcomer = Browser()
            #expect(try await newcomer.logIn(client, "new.clerk@example.org", password: password).status == .ok)
        }
    }

    @Test func badInputAndOtherRolesAndOriginsCreateNothing() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let before = try await store.allStaff().count
            let admin = Browser(), clerk = Browser()
            try await admin.logIn(client, "admin@example.org")
            try await clerk.logIn(client, "clerk@example.org")
            for (body, code, field) in [
                (#"{"email":"x@example.org","name":"X","role":"wizard"}"#, "invalid_input", "role"),
                (#"{"email":"not-an-email","name":"X","role":"clerk"}"#, "invalid_input", "email"),
                (#"{"email":"x@example.org","name":"","role":"clerk"}"#, "invalid_input", "name"),
                (#"{"email":"x@example.org","name":"X\nBcc: y","role":"clerk"}"#, "invalid_input", "name"),
                (#"{"email":"x@example.org","name":"X","role":"chair","sittings":[99]}"#, "invalid_input", "sittings"),
                (#"{"email":"x@example.org","name":"X","role":"chair","sittings":"1"}"#, "invalid_input", "sittings"),
                (#"{"email":"MOD1@example.org","name":"X","role":"clerk"}"#, "email_taken", "email"),
            ] {
                let answer = try await admin.send(client, .post, "/api/v1/staff", json: body)
                #expect(answer.errorCode == code, "\(body)")
                #expect(answer.json?["error"]?["fields"]?[field] != nil, "\(body): \(answer.text)")
            }
            #expect(try await clerk.send(client, .post, "/api/v1/staff", json: #"{"email":"x@example.org","name":"X","role":"admin"}"#).status == .forbidden)
            #expect(try await clerk.send(client, .get, "/api/v1/staff").status == .forbidden)
            #expect(try await Browser().send(client, .post, "/api/v1/staff", json: #"{"email":"x@example.org","name":"X","role":"admin"}"#).status == .unauthorized)
            let evil = try await admin.send(
                client, .post, "/api/v1/staff", json: #"{"email":"x@example.org","name":"X","role":"admin"}"#, headers: [.origin: "https://evil.example"])
            #expect(evil.errorCode == "origin_not_allowed")
            // A cross-site form cannot speak JSON without a preflight; a form post to the API is refused.
            let form = try await admin.send(client, .post, "/api/v1/staff", form: "email=x%40example.org&name=X&role=admin")
            #expect(form.status == .unsupportedMediaType)
            #expect(try await store.allStaff().count == before)
        }
    }

    @Test func theFormsNeedTheSessionsTokenAndShowThePasswordOnce() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let admin = Browser()
            try await admin.logIn(client, "admin@example.org")
            let before = try await store.allStaff().count
            let list = try await admin.send(client, .get, "/staff/accounts")
            #expect(list.status == .ok && list.text.contains("mod1@example.org") && list.text.contains(#"id="new-account-form""#))
            let token = try Self.csrf(list)

            let fields = "name=Form+Clerk&email=form%40example.org&role=chair&sittings=1&sittings=2"
            #expect(try await admin.send(client, .post, "/staff/accounts", form: fields, headers: [.accept: "application/json"]).errorCode == "csrf_failed")
            #expect(try await admin.send(client, .post, "/staff/accounts", form: fields + "&csrf_token=forged", headers: [.accept: "application/json"]).errorCode == "csrf_failed")
            let other = Browser()
            try await other.logIn(client, "clerk@example.org")
            #expect(try await other.send(client, .post, "/staff/accounts", form: fields + "&csrf_token=\(token)").status == .forbidden,
                    "an admin's token does not make a clerk an admin")
            #expect(try await store.allStaff().count == before)

            let refused = try await admin.send(client, .post, "/staff/accounts", form: "name=&email=bad&role=chair&csrf_token=\(token)")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"id="error-summary""#) && refused.text.contains(#"aria-describedby="account-email-error""#))
            #expect(try await store.allStaff().count == before)

            let created = try await admin.send(client, .post, "/staff/accounts", form: fields + "&csrf_token=\(token)")
            #expect(created.status == .created && created.headers[.cacheControl] == "no-store")
            let password = String(try #require(created.text.firstMatch(of: /id="one-time-password"[^>]*value="([^"]+)"/)?.1))
            let member = try #require(try await store.staff(email: "form@example.org")?.member)
            #expect(member.role == .chair && member.sittings == [.init(1), .init(2)])
            #expect(try await Browser().logIn(client, "form@example.org", password: password).status == .ok)
            let again = try await admin.send(client, .get, "/staff/accounts/\(member.id)")
            #expect(!again.text.contains(password))
        }
    }

    @Test func aDisabledAccountIsLoggedOutAndCannotLogInUntilEnabled() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let admin = Browser(), moderator = Browser()
            try await admin.logIn(client, "admin@example.org")
            try await moderator.logIn(client, "mod1@example.org")
            let mod = try #require(try await store.staff(email: "mod1@example.org")?.member)
            #expect(try await moderator.send(client, .get, "/api/v1/session").status == .ok)

            let disabled = try await admin.send(client, .post, "/api/v1/staff/\(mod.id)/status", json: #"{"status":"disabled"}"#)
            #expect(disabled.json?["staff"]?["status"]?.stringValue == "disabled")
            #expect(try await moderator.send(client, .get, "/api/v1/session").status == .unauthorized, "its session ended")
            #expect(try await Browser().logIn(client, "mod1@example.org").errorCode == "invalid_credentials", "a disabled account cannot log in")
            #expect(try await store.auditLog(limit: 5).contains { $0.action == "staff_disabled" && $0.subject == "staff:\(mod.id)" })

            #expect(try await admin.send(client, .post, "/api/v1/staff/\(mod.id)/status", json: #"{"status":"asleep"}"#).errorCode == "invalid_input")
            _ = try await admin.send(client, .post, "/api/v1/staff/\(mod.id)/status", json: #"{"status":"active"}"#)
            #expect(try await Browser().logIn(client, "mod1@example.org").status == .ok)
        }
    }

    @Test func aRemovedAccountLosesItsEmailAndPasswordButKeepsItsName() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let admin = Browser()
            try await admin.logIn(client, "admin@example.org")
            let mod = try #require(try await store.staff(email: "mod1@example.org")?.member)
            let page = try await admin.send(client, .get, "/staff/accounts/\(mod.id)")
            let token = try Self.csrf(page)
            // The form asks for a confirmation: without it, nothing happens.
            let unconfirmed = try await admin.send(client, .post, "/staff/accounts/\(mod.id)/status", form: "status=removed&csrf_token=\(token)")
            #expect(unconfirmed.status == .unprocessableContent)
            #expect(try await store.staff(id: mod.id)?.status == .active)

            let removed = try await admin.send(client, .post, "/staff/accounts/\(mod.id)/status", form: "status=removed&confirm=yes&csrf_token=\(token)")
            #expect(removed.status == .seeOther && removed.headers[.location] == "/staff/accounts?done=removed")
            let gone = try #require(try await store.staff(id: mod.id))
            #expect(gone.status == .removed && gone.email == "removed-\(mod.id)" && gone.sittings.isEmpty && gone.name == "mod1")
            #expect(try await Browser().logIn(client, "mod1@example.org").errorCode == "invalid_credentials")
            #expect(try await admin.send(client, .post, "/api/v1/staff/\(mod.id)/status", json: #"{"status":"active"}"#).errorCode == "account_removed")
            // The address is free for a new account.
            #expect(try await admin.send(client, .post, "/api/v1/staff", json: #"{"email":"mod1@example.org","name":"Back","role":"moderator"}"#).status == .created)
        }
    }

    @Test func anAdminCannotChangeTheirOwnAccountHere() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let admin = Browser()
            try await admin.logIn(client, "admin@example.org")
            let me = try #require(try await store.staff(email: "admin@example.org")?.member)
            for (path, body) in [("/api/v1/staff/\(me.id)/status", #"{"status":"disabled"}"#), ("/api/v1/staff/\(me.id)/password", "{}")] {
                #expect(try await admin.send(client, .post, path, json: body).errorCode == "own_account")
            }
            #expect(try await admin.send(client, .patch, "/api/v1/staff/\(me.id)", json: #"{"role":"clerk"}"#).errorCode == "own_account")
            #expect(try await store.staff(id: me.id)?.role == .admin)
            #expect(try await admin.send(client, .get, "/api/v1/staff/999").status == .notFound)
        }
    }

    @Test func aPasswordResetEndsTheSessionsAndGivesANewOneTimePassword() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let admin = Browser(), chair = Browser()
            try await admin.logIn(client, "admin@example.org")
            try await chair.logIn(client, "chair1@example.org")
            let member = try #require(try await store.staff(email: "chair1@example.org")?.member)
            let reset = try await admin.send(client, .post, "/api/v1/staff/\(member.id)/password", json: "{}")
            let password = try #require(reset.json?["one_time_password"]?.stringValue)
            #expect(try await chair.send(client, .get, "/api/v1/session").status == .unauthorized)
            #expect(try await Browser().logIn(client, "chair1@example.org").errorCode == "invalid_credentials", "the old password is gone")
            let back = Browser()
            #expect(try await back.logIn(client, "chair1@example.org", password: password).status == .ok)
            #expect(try await store.staff(id: member.id)?.passwordChangeRequired == true)
            #expect(try await store.auditLog(limit: 5).contains { $0.action == "staff_password_reset" })
        }
    }

    @Test func aRoleChangeInThePageTakesTheStaffTopicsAwayAtOnce() async throws {
        // The periodic check is far away: only the change itself can take the topic back within the test's timeout.
        let (app, store) = try await HearingFixture.make { $0.staffRecheckInterval = .seconds(600) }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let moderator = Browser(), admin = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            try await admin.logIn(client, "admin@example.org")
            let live = try await TestLiveClient.connect(port: port, cookie: moderator.cookieHeader)
            _ = try await live.next()
            try await live.sendText(#"{"type":"subscribe","ref":"s","topics":["sitting:1:moderation"]}"#)
            let subscribed = try await live.next { if case .subscribed = $0 { true } else if case .error = $0 { true } else { false } }
            guard case .subscribed = subscribed else {
                Issue.record("the moderator subscribes: \(subscribed)")
                return
            }
            let mod = try #require(try await store.staff(email: "mod1@example.org")?.member)
            let page = try await admin.send(client, .get, "/staff/accounts/\(mod.id)")
            let token = try Self.csrf(page)
            let saved = try await admin.send(client, .post, "/staff/accounts/\(mod.id)", form: "role=moderator&sittings=2&csrf_token=\(token)")
            #expect(saved.status == .seeOther)
            // Far under the 600 s periodic check set above; not tighter, as this suite runs beside hundreds of others on
            // two cores.
            let revoked = try await live.next(timeout: .seconds(15)) { if case .error = $0 { true } else { false } }
            guard case .error(let error) = revoked else {
                Issue.record("no access_revoked: \(revoked)")
                return
            }
            #expect(error.code == .accessRevoked && error.message.contains("sitting:1:moderation"))
            #expect(try await store.auditLog(limit: 5).contains { $0.action == "staff_role_changed" && $0.subject == "staff:\(mod.id)" })
            await live.close()
        }
    }
}
