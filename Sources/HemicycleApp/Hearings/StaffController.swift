import Foundation
import HTTPTypes
import HemicycleCore
import HemicycleStorage
import Hummingbird

/// Staff sessions: the JSON API (`/api/v1/session`) and the HTML pages (`/staff/login`, `/staff`, `/staff/password`,
/// `/staff/logout`). HTML forms carry a CSRF token bound to a cookie (`hc_csrf` before login, the session after), and
/// after login `next` is followed only when it is a path on this site (`LoginRedirect`).
struct StaffController: Sendable {
    typealias Context = HemicycleRequestContext
    let http: HearingHTTP

    func addRoutes(to router: Router<Context>) {
        router.get("/api/v1/session", use: current)
        router.post("/api/v1/session", use: login)
        router.delete("/api/v1/session", use: logout)
        router.post("/api/v1/session/password", use: changePassword)
        router.get("/api/v1/audit-log", use: auditLog)
        router.get("/staff/login", use: loginPage)
        router.post("/staff/login", use: loginForm)
        router.post("/staff/logout", use: logoutForm)
        router.get("/staff", use: home)
        router.get("/staff/password", use: passwordPage)
        router.post("/staff/password", use: passwordForm)
    }

    private func sessionJSON(_ member: StaffMember) -> JSONValue {
        .object([("staff", HearingJSON.staff(member)), ("password_change_required", .bool(member.passwordChangeRequired))])
    }

    @Sendable func current(_ request: Request, context: Context) async throws -> Response {
        let member = try await http.requireStaff(request, allowPasswordChange: true)
        return http.json(sessionJSON(member))
    }

    @Sendable func login(_ request: Request, context: Context) async throws -> Response {
        let body = try await http.body.jsonObject(request)
        let email = try body.requiredString("email"), password = try body.requiredString("password")
        let (member, token) = try await http.auth.login(email: email, password: password, address: context.clientAddress, now: http.clock())
        return http.json(sessionJSON(member), setCookie: http.auth.sessionCookie(token))
    }

    @Sendable func logout(_ request: Request, context: Context) async throws -> Response {
        try http.body.checkStateChange(request)
        let token = Cookies.parse(request.headers)[StaffAuth.sessionCookie]
        try await http.auth.logout(sessionToken: token, member: await http.staff(request), now: http.clock())
        return http.json(.object([]), setCookie: http.auth.clearedSessionCookie())
    }

    @Sendable func changePassword(_ request: Request, context: Context) async throws -> Response {
        let member = try await http.requireStaff(request, allowPasswordChange: true)
        let body = try await http.body.jsonObject(request)
        try await http.auth.changePassword(
            of: member, current: try body.requiredString("current"), new: try body.requiredString("new"),
            keeping: Cookies.parse(request.headers)[StaffAuth.sessionCookie], address: context.clientAddress, now: http.clock())
        return http.json(.object([]))
    }

    /// The newest audit entries (admins only): `?limit=` (default 200, at most 5000).
    @Sendable func auditLog(_ request: Request, context: Context) async throws -> Response {
        let member = try await http.requireStaff(request)
        guard member.role == .admin else { throw APIError.forbidden("Only admins read the audit log.") }
        let limit = min(5000, max(1, Int(request.uri.queryParameters.get("limit") ?? "") ?? 200))
        let entries = try await http.auth.store.auditLog(limit: limit)
        return http.json(.object([("entries", .array(entries.map { e in
            .object([
                ("at", HearingJSON.time(e.at)), ("staff_id", e.staffID.map { .int($0.rawValue) } ?? .null), ("action", .string(e.action)),
                ("subject", .string(e.subject)), ("details", (try? JSONValue.parse(Array(e.details.utf8))) ?? .string(e.details)),
            ])
        }))]))
    }

    // MARK: - Pages

    private func page(_ request: Request, _ template: String, titleKey: String, _ extra: [String: Any], status: HTTPResponse.Status = .ok, setCookie: String? = nil) -> Response {
        var response = http.page(
            request, template, title: http.localization.text(titleKey, http.localization.language(for: request)), extra, status: status, setCookie: setCookie
        )
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func loginPage(_ request: Request, context: Context) async throws -> Response {
        let csrf = http.csrfCookie.binding(request)
        return page(request, "login", titleKey: "login_title", [
            "csrf_token": http.csrfCookie.token(for: csrf.value), "next": LoginRedirect.target(request.uri.queryParameters.get("next").map { String($0) }),
            "form": ["values": ["email": ""], "errors": [:] as [String: String], "has_errors": false] as [String: Any],
        ], setCookie: csrf.setCookie)
    }

    @Sendable func loginForm(_ request: Request, context: Context) async throws -> Response {
        let fields = try await http.body.form(request)
        guard http.csrfCookie.check(fields["csrf_token"], request) else {
            throw APIError.csrfFailed
        }
        let email = fields["email"] ?? ""
        do {
            let (_, token) = try await http.auth.login(email: email, password: fields["password"] ?? "", address: context.clientAddress, now: http.clock())
            // `next` is a path on this site or /staff, never another site (`LoginRedirect`).
            var response = Response(status: .seeOther, headers: [.location: LoginRedirect.target(fields["next"])])
            response.headers[.setCookie] = http.auth.sessionCookie(token)
            return response
        } catch let error as APIError {
            let csrf = http.csrfCookie.binding(request)
            var response = page(request, "login", titleKey: "login_title", [
                "csrf_token": http.csrfCookie.token(for: csrf.value), "next": LoginRedirect.target(fields["next"]),
                "form": ["values": ["email": email], "errors": ["form": error.message], "has_errors": true] as [String: Any],
            ], status: error.status, setCookie: csrf.setCookie)
            if let retryAfter = error.retryAfter { response.headers[.retryAfter] = "\(retryAfter)" }
            return response
        }
    }

    @Sendable func logoutForm(_ request: Request, context: Context) async throws -> Response {
        let fields = try await http.body.form(request)
        let token = Cookies.parse(request.headers)[StaffAuth.sessionCookie]
        guard let token, http.key.checkCSRF(fields["csrf_token"], for: token) else {
            throw APIError.csrfFailed
        }
        try await http.auth.logout(sessionToken: token, member: await http.staff(request), now: http.clock())
        var response = Response(status: .seeOther, headers: [.location: "/staff/login"])
        response.headers[.setCookie] = http.auth.clearedSessionCookie()
        return response
    }

    /// Context keys of staff pages: `staff`, and `csrf_token` for the logout form (`HearingHTTP.staffContext`).
    func staffContext(_ request: Request, _ member: StaffMember) -> [String: Any] {
        http.staffContext(request, member)
    }

    @Sendable func home(_ request: Request, context: Context) async throws -> Response {
        guard let member = await http.staff(request) else { return Response(status: .seeOther, headers: [.location: "/staff/login?next=/staff"]) }
        let language = http.localization.language(for: request)
        let rooms = await http.hearings.allRooms().filter { member.canSetUpSittings || member.canReadModeration(of: $0.sitting.id) }
        var extra = staffContext(request, member)
        extra["sittings"] = rooms.map { room -> [String: Any] in
            var s = SittingPageContext.sitting(room.sitting, language: language, localization: http.localization)
            s["can_moderate"] = member.canModerate(room.sitting.id)
            s["can_chair"] = member.canChair(room.sitting.id)
            return s
        }
        extra["can_create"] = member.canSetUpSittings
        extra["can_manage_staff"] = member.role == .admin
        extra["can_moderate_petitions"] = member.role == .admin || member.role == .petitionsModerator
        extra["password_change_required"] = member.passwordChangeRequired
        return page(request, "staff-home", titleKey: "staff_home_title", extra)
    }

    @Sendable func passwordPage(_ request: Request, context: Context) async throws -> Response {
        guard let member = await http.staff(request) else { return Response(status: .seeOther, headers: [.location: "/staff/login?next=/staff/password"]) }
        var extra = staffContext(request, member)
        extra["form"] = ["errors": [:] as [String: String], "has_errors": false] as [String: Any]
        return page(request, "password", titleKey: "password_title", extra)
    }

    @Sendable func passwordForm(_ request: Request, context: Context) async throws -> Response {
        guard let member = await http.staff(request) else { return Response(status: .seeOther, headers: [.location: "/staff/login?next=/staff/password"]) }
        let fields = try await http.body.form(request)
        let token = Cookies.parse(request.headers)[StaffAuth.sessionCookie]
        guard http.key.checkCSRF(fields["csrf_token"], for: token) else {
            throw APIError.csrfFailed
        }
        var extra = staffContext(request, member)
        do {
            if fields["new"] != fields["confirm"] { throw APIError.invalid("new", "The two new passwords differ.") }
            try await http.auth.changePassword(
                of: member, current: fields["current"] ?? "", new: fields["new"] ?? "", keeping: token, address: context.clientAddress, now: http.clock())
            extra["form"] = ["errors": [:] as [String: String], "has_errors": false] as [String: Any]
            extra["flash"] = http.localization.text("password_changed", http.localization.language(for: request))
            return page(request, "password", titleKey: "password_title", extra)
        } catch let error as APIError {
            var errors: [String: String] = [:]
            for entry in error.fields?.entries ?? [] { errors[entry.field] = entry.message }
            if errors.isEmpty { errors["form"] = error.message }
            extra["form"] = ["errors": errors, "has_errors": true] as [String: Any]
            return page(request, "password", titleKey: "password_title", extra, status: error.status)
        }
    }
}
