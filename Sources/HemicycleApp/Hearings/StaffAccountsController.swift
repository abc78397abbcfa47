import Foundation
import HTTPTypes
import HemicycleCore
import Hummingbird

/// Admins manage staff accounts (`StaffDirectory`): the JSON API `/api/v1/staff` (Protocol/HEARINGS.md §3) and the
/// pages `/staff/accounts` (the list and the form to add one) and `/staff/accounts/{id}` (role and sittings, password
/// reset, disable or enable, remove), which work without JavaScript. A one-time password is shown once, in the answer
/// to the form or call that made it (`Cache-Control: no-store`), never in an address, a log or the audit log.
///
/// Every state change checks the site's `Origin` when sent (`RequestBody`); the forms also carry the session's CSRF
/// token, and the API takes JSON only (a cross-site form cannot send it without a preflight).
struct StaffAccountsController: Sendable {
    typealias Context = HemicycleRequestContext
    let http: HearingHTTP
    let staffPages: StaffController
    let directory: StaffDirectory
    private var localization: Localization { http.localization }

    func addRoutes(to router: Router<Context>) {
        router.get("/api/v1/staff", use: listJSON)
        router.post("/api/v1/staff", use: createJSON)
        router.get("/api/v1/staff/:id", use: showJSON)
        router.patch("/api/v1/staff/:id", use: updateJSON)
        router.post("/api/v1/staff/:id/status", use: statusJSON)
        router.post("/api/v1/staff/:id/password", use: passwordJSON)
        router.get("/staff/accounts", use: listPage)
        router.post("/staff/accounts", use: createForm)
        router.get("/staff/accounts/:id", use: accountPage)
        router.post("/staff/accounts/:id", use: updateForm)
        router.post("/staff/accounts/:id/status", use: statusForm)
        router.post("/staff/accounts/:id/password", use: passwordForm)
    }

    static func json(_ m: StaffMember) -> JSONValue {
        HearingJSON.staff(m)
            .setting("status", to: .string(m.status.rawValue))
            .setting("password_change_required", to: .bool(m.passwordChangeRequired))
    }

    private func staffID(_ context: Context) throws -> StaffMember.ID {
        guard let id = StaffMember.ID(parsing: Substring(context.parameters.get("id") ?? "")) else { throw APIError.notFound("This staff account") }
        return id
    }

    private func admin(_ request: Request) async throws -> StaffMember {
        let member = try await http.requireStaff(request)
        try StaffDirectory.requireAdmin(member)
        return member
    }

    // MARK: - API

    @Sendable func listJSON(_ request: Request, context: Context) async throws -> Response {
        let admin = try await admin(request)
        return http.json(.object([("staff", .array(try await directory.all(by: admin).map(Self.json)))]))
    }

    @Sendable func showJSON(_ request: Request, context: Context) async throws -> Response {
        let admin = try await admin(request)
        return http.json(.object([("staff", Self.json(try await directory.account(try staffID(context), by: admin)))]))
    }

    @Sendable func createJSON(_ request: Request, context: Context) async throws -> Response {
        let admin = try await admin(request)
        let body = try await http.body.jsonObject(request)
        let sittings = try Self.sittingIDs(body)
        let (member, password) = try await directory.create(
            email: try body.requiredString("email"), name: try body.requiredString("name"), role: try body.requiredString("role"),
            sittings: sittings ?? [], by: admin)
        return http.json(.object([("staff", Self.json(member)), ("one_time_password", .string(password))]), status: .created)
    }

    @Sendable func updateJSON(_ request: Request, context: Context) async throws -> Response {
        let admin = try await admin(request)
        let id = try staffID(context)
        let body = try await http.body.jsonObject(request)
        let current = try await directory.account(id, by: admin)
        let member = try await directory.update(
            id, role: try body.optionalString("role") ?? current.role.rawValue,
            sittings: try Self.sittingIDs(body) ?? current.sittings.map(\.rawValue), by: admin)
        return http.json(.object([("staff", Self.json(member))]))
    }

    @Sendable func statusJSON(_ request: Request, context: Context) async throws -> Response {
        let admin = try await admin(request)
        let id = try staffID(context)
        let body = try await http.body.jsonObject(request)
        guard let status = StaffStatus(rawValue: try body.requiredString("status")) else {
            throw APIError.invalid("status", "The status must be \"active\", \"disabled\" or \"removed\".")
        }
        return http.json(.object([("staff", Self.json(try await directory.setStatus(id, to: status, by: admin)))]))
    }

    @Sendable func passwordJSON(_ request: Request, context: Context) async throws -> Response {
        let admin = try await admin(request)
        let id = try staffID(context)
        _ = try await http.body.jsonObject(request)
        let (member, password) = try await directory.resetPassword(id, by: admin)
        return http.json(.object([("staff", Self.json(member)), ("one_time_password", .string(password))]))
    }

    /// `sittings`: a list of sitting ids, or nil when absent.
    static func sittingIDs(_ body: JSONValue) throws -> [Int64]? {
        switch body["sittings"] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map { item in
                guard case .int(let n) = item else { throw APIError.invalid("sittings", "Must be a list of sitting ids.") }
                return n
            }
        default: throw APIError.invalid("sittings", "Must be a list of sitting ids.")
        }
    }

    // MARK: - Pages

    /// The admin of a page request; nil without a session (the caller redirects to the login).
    private func pageAdmin(_ request: Request) async throws -> StaffMember? {
        guard let member = await http.staff(request) else { return nil }
        if member.passwordChangeRequired { throw APIError(.forbidden, "password_change_required", "Change your one-time password first: /staff/password.") }
        try StaffDirectory.requireAdmin(member)
        return member
    }

    /// A posted form of a logged-in admin, with the session's CSRF token; `lists` has every value of a repeated field.
    private func checkedForm(_ request: Request) async throws -> (StaffMember, [String: String], lists: [String: [String]]) {
        let (fields, lists) = try await http.body.formWithLists(request)
        guard let member = try await pageAdmin(request) else {
            throw APIError(.unauthorized, "not_logged_in", "Your session has ended: log in again (/staff/login).")
        }
        guard http.key.checkCSRF(fields["csrf_token"], for: Cookies.parse(request.headers)[StaffAuth.sessionCookie]) else { throw APIError.csrfFailed }
        return (member, fields, lists)
    }

    private func loginRedirect(_ next: String) -> Response {
        Response(status: .seeOther, headers: [.location: "/staff/login?next=\(next)"])
    }

    @Sendable func listPage(_ request: Request, context: Context) async throws -> Response {
        guard let admin = try await pageAdmin(request) else { return loginRedirect("/staff/accounts") }
        let language = localization.language(for: request)
        let flash: String? = switch request.uri.queryParameters.get("done") {
        case "removed": localization.text("account_removed_notice", language)
        default: nil
        }
        return try await renderList(request, admin, values: ["role": "moderator"], flash: flash)
    }

    @Sendable func createForm(_ request: Request, context: Context) async throws -> Response {
        let (admin, fields, lists) = try await checkedForm(request)
        let sittings = lists["sittings"] ?? []
        do {
            let (member, password) = try await directory.create(
                email: fields["email"] ?? "", name: fields["name"] ?? "", role: fields["role"] ?? "", sittings: sittings.compactMap { Int64($0) }, by: admin)
            return try await renderAccount(request, admin, member, issued: password, status: .created)
        } catch let error as APIError where error.status == .unprocessableContent || error.code == "email_taken" {
            var values: [String: Any] = ["email": fields["email"] ?? "", "name": fields["name"] ?? "", "role": fields["role"] ?? ""]
            values["sittings"] = sittings
            return try await renderList(request, admin, values: values, error: error)
        }
    }

    @Sendable func accountPage(_ request: Request, context: Context) async throws -> Response {
        let id = try staffID(context)
        guard let admin = try await pageAdmin(request) else { return loginRedirect("/staff/accounts/\(id)") }
        let member = try await directory.account(id, by: admin)
        let language = localization.language(for: request)
        let flash: String? = switch request.uri.queryParameters.get("done") {
        case "saved": localization.text("account_saved_notice", language)
        case "disabled": localization.text("account_disabled_notice", language)
        case "active": localization.text("account_enabled_notice", language)
        default: nil
        }
        return try await renderAccount(request, admin, member, flash: flash)
    }

    @Sendable func updateForm(_ request: Request, context: Context) async throws -> Response {
        let id = try staffID(context)
        let (admin, fields, lists) = try await checkedForm(request)
        let sittings = lists["sittings"] ?? []
        do {
            _ = try await directory.update(id, role: fields["role"] ?? "", sittings: sittings.compactMap { Int64($0) }, by: admin)
            return Response(status: .seeOther, headers: [.location: "/staff/accounts/\(id)?done=saved"])
        } catch let error as APIError where error.status == .unprocessableContent {
            return try await renderAccount(request, admin, try await directory.account(id, by: admin), error: error)
        }
    }

    @Sendable func statusForm(_ request: Request, context: Context) async throws -> Response {
        let id = try staffID(context)
        let (admin, fields, _) = try await checkedForm(request)
        guard let status = StaffStatus(rawValue: fields["status"] ?? "") else { throw APIError.invalid("status", "Choose active, disabled or removed.") }
        if status == .removed && fields["confirm"] != "yes" {
            var errors = FieldErrors()
            errors["confirm"] = localization.text("account_remove_confirm_missing", localization.language(for: request))
            return try await renderAccount(
                request, admin, try await directory.account(id, by: admin),
                error: APIError(.unprocessableContent, "invalid_input", errors["confirm"] ?? "", fields: errors))
        }
        _ = try await directory.setStatus(id, to: status, by: admin)
        return Response(status: .seeOther, headers: [.location: status == .removed ? "/staff/accounts?done=removed" : "/staff/accounts/\(id)?done=\(status.rawValue)"])
    }

    @Sendable func passwordForm(_ request: Request, context: Context) async throws -> Response {
        let id = try staffID(context)
        let (admin, _, _) = try await checkedForm(request)
        let (member, password) = try await directory.resetPassword(id, by: admin)
        return try await renderAccount(request, admin, member, issued: password)
    }

    // MARK: - Rendering

    private func roleOptions(_ selected: String, language: String) -> [[String: Any]] {
        StaffRole.allCases.map { role in
            ["value": role.rawValue, "text": localization.text("role_\(role.rawValue.replacingOccurrences(of: "-", with: "_"))", language),
             "selected": role.rawValue == selected]
        }
    }

    private func sittingOptions(_ selected: Set<String>, language: String) async -> [[String: Any]] {
        await http.hearings.allRooms().map { room in
            ["id": "\(room.sitting.id)", "title": room.sitting.title, "committee": room.sitting.committee,
             "state_text": localization.text("sitting_state_\(room.sitting.state.rawValue)", language),
             "checked": selected.contains("\(room.sitting.id)")]
        }
    }

    private func accountContext(_ m: StaffMember, language: String, titles: [String: String]) -> [String: Any] {
        [
            "id": "\(m.id)", "name": m.name, "email": m.email, "role": m.role.rawValue,
            "role_text": localization.text("role_\(m.role.rawValue.replacingOccurrences(of: "-", with: "_"))", language),
            "status": m.status.rawValue, "status_text": localization.text("account_status_\(m.status.rawValue)", language),
            "sittings_text": m.sittings.sorted().map { id in titles["\(id)"].map { title in "\(title) (\(id))" } ?? "\(id)" }.joined(separator: ", "),
            "is_active": m.status == .active, "is_disabled": m.status == .disabled, "is_removed": m.status == .removed,
            "password_change_required": m.passwordChangeRequired,
        ]
    }

    private func errorContext(_ error: APIError?, prefix: String) -> [String: Any] {
        var errors: [String: String] = [:]
        var summary: [[String: String]] = []
        for entry in error?.fields?.entries ?? [] {
            errors[entry.field] = entry.message
            summary.append(["href": "#\(prefix)-\(entry.field)", "message": entry.message])
        }
        if let error, summary.isEmpty { summary.append(["href": "#main", "message": error.message]) }
        return ["errors": errors, "has_errors": error != nil, "summary": summary]
    }

    private func renderList(_ request: Request, _ admin: StaffMember, values: [String: Any], error: APIError? = nil, flash: String? = nil) async throws -> Response {
        let language = localization.language(for: request)
        let members = try await directory.all(by: admin)
        let rooms = await http.hearings.allRooms()
        let titles = Dictionary(rooms.map { ("\($0.sitting.id)", $0.sitting.title) }, uniquingKeysWith: { a, _ in a })
        var page = staffPages.staffContext(request, admin)
        page["accounts"] = members.filter { $0.status != .removed }.map { m -> [String: Any] in
            var c = accountContext(m, language: language, titles: titles)
            c["is_you"] = m.id == admin.id
            return c
        }
        page["removed"] = members.filter { $0.status == .removed }.map { accountContext($0, language: language, titles: titles) }
        page["values"] = values
        page["roles"] = roleOptions(values["role"] as? String ?? "", language: language)
        page["sitting_options"] = await sittingOptions(Set(values["sittings"] as? [String] ?? []), language: language)
        page["form"] = errorContext(error, prefix: "account")
        if let flash { page["flash"] = flash }
        var response = http.page(request, "staff-accounts", title: localization.text("staff_accounts_title", language), page, status: error?.status ?? .ok)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func renderAccount(
        _ request: Request, _ admin: StaffMember, _ member: StaffMember, issued: String? = nil, error: APIError? = nil, flash: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = localization.language(for: request)
        let rooms = await http.hearings.allRooms()
        let titles = Dictionary(rooms.map { ("\($0.sitting.id)", $0.sitting.title) }, uniquingKeysWith: { a, _ in a })
        var page = staffPages.staffContext(request, admin)
        page["account"] = accountContext(member, language: language, titles: titles)
        page["is_you"] = member.id == admin.id
        page["can_change"] = member.id != admin.id && member.status != .removed
        page["roles"] = roleOptions(member.role.rawValue, language: language)
        page["sitting_options"] = await sittingOptions(Set(member.sittings.map { "\($0)" }), language: language)
        page["form"] = errorContext(error, prefix: "account")
        if let issued { page["issued"] = ["password": issued] }
        if let flash { page["flash"] = flash }
        var response = http.page(
            request, "staff-account", title: "\(localization.text("staff_account_title", language)): \(member.name)", page, status: error?.status ?? status)
        // The page may carry a one-time password: kept by no cache, not even the browser's.
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
