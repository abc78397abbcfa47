import Foundation
import HTTPTypes
import HemicycleCore
import Hummingbird

/// The clerks' pages to create and edit a sitting (`/staff/sittings/new`, `/sittings/{id}/edit`): every field of
/// `PATCH /api/v1/sittings/{id}` (title, committee, start, stream, agenda, witnesses, question settings) in a plain
/// form that works without JavaScript. The form is read into the API's JSON shape and checked by the same
/// `SittingInput`, so the page and the API accept and refuse the same things; a refused form comes back with its values
/// and an error by each field, a saved one redirects (303) to the sitting's edit page with a notice.
struct SittingFormController: Sendable {
    typealias Context = HemicycleRequestContext
    let http: HearingHTTP
    let staffPages: StaffController
    private var localization: Localization { http.localization }

    func addRoutes(to router: Router<Context>) {
        router.get("/staff/sittings/new", use: newPage)
        router.post("/staff/sittings/new", use: createForm)
        router.get("/sittings/:id/edit", use: editPage)
        router.post("/sittings/:id/edit", use: editForm)
    }

    /// The settings fields, in the form's order: the JSON key, and the form field's name.
    static let integerSettings = ["max_question_length", "questions_per_minute", "votes_per_second", "ip_questions_per_minute", "ip_votes_per_second"]

    // MARK: - Pages

    @Sendable func newPage(_ request: Request, context: Context) async throws -> Response {
        guard let member = try await clerk(request, next: "/staff/sittings/new") else { return loginRedirect("/staff/sittings/new") }
        let draft = Sitting(id: Sitting.ID(1), title: "", committee: "", state: .scheduled, scheduledStart: http.clock(), streamURL: nil)
        return render(request, member, values: Self.values(of: draft), sitting: nil)
    }

    @Sendable func editPage(_ request: Request, context: Context) async throws -> Response {
        let id = try http.sittingID(context)
        let room = try await http.hearings.sitting(id)
        guard let member = try await clerk(request, next: "/sittings/\(id)/edit") else { return loginRedirect("/sittings/\(id)/edit") }
        let language = localization.language(for: request)
        let flash: String? = switch request.uri.queryParameters.get("saved") {
        case "created": localization.text("sitting_created", language)
        case "1": localization.text("sitting_saved", language)
        default: nil
        }
        return render(request, member, values: Self.values(of: room.sitting), sitting: room.sitting, flash: flash)
    }

    @Sendable func createForm(_ request: Request, context: Context) async throws -> Response {
        let (member, fields) = try await checkedForm(request)
        let body = Self.body(from: fields)
        do {
            var draft = Sitting(id: Sitting.ID(1), title: "", committee: "", state: .scheduled, scheduledStart: http.clock(), streamURL: nil)
            try SittingInput.apply(body, to: &draft, requireAll: true)
            let room = try await http.hearings.createSitting(draft, by: member)
            return Response(status: .seeOther, headers: [.location: "/sittings/\(room.sitting.id)/edit?saved=created"])
        } catch let error as APIError where error.status == .unprocessableContent {
            return render(request, member, values: Self.echo(fields), sitting: nil, error: error)
        }
    }

    @Sendable func editForm(_ request: Request, context: Context) async throws -> Response {
        let id = try http.sittingID(context)
        let room = try await http.hearings.sitting(id)
        let (member, fields) = try await checkedForm(request)
        let body = Self.body(from: fields)
        do {
            var probe = room.sitting
            try SittingInput.apply(body, to: &probe, requireAll: true)  // checked before taking the service's turn
            _ = try await http.hearings.updateSitting(id, by: member) { sitting in try SittingInput.apply(body, to: &sitting, requireAll: true) }
            return Response(status: .seeOther, headers: [.location: "/sittings/\(id)/edit?saved=1"])
        } catch let error as APIError where error.status == .unprocessableContent {
            return render(request, member, values: Self.echo(fields), sitting: room.sitting, error: error)
        }
    }

    // MARK: - Access

    /// The clerk or admin of the request; nil without a session (the caller redirects to the login); 403 for other staff.
    private func clerk(_ request: Request, next: String) async throws -> StaffMember? {
        guard let member = await http.staff(request) else { return nil }
        if member.passwordChangeRequired { throw APIError(.forbidden, "password_change_required", "Change your one-time password first: /staff/password.") }
        guard member.canSetUpSittings else { throw APIError.forbidden("Only clerks and admins set up sittings.") }
        return member
    }

    private func loginRedirect(_ next: String) -> Response {
        Response(status: .seeOther, headers: [.location: "/staff/login?next=\(next)"])
    }

    /// A posted form of a logged-in clerk with the session's CSRF token (and the site's Origin, when sent).
    private func checkedForm(_ request: Request) async throws -> (StaffMember, [String: String]) {
        let fields = try await http.body.form(request)
        guard let member = try await clerk(request, next: "/staff") else {
            throw APIError(.unauthorized, "not_logged_in", "Your session has ended: log in again (/staff/login).")
        }
        guard http.key.checkCSRF(fields["csrf_token"], for: Cookies.parse(request.headers)[StaffAuth.sessionCookie]) else { throw APIError.csrfFailed }
        return (member, fields)
    }

    // MARK: - Form <-> API shape

    /// The form's fields as the body of `PATCH /api/v1/sittings/{id}`: every field present (a cleared stream URL is
    /// `""`, an empty per-address vote cap is `null`: the server's default; an unticked box is `false`). Numbers that
    /// are not integers stay strings, for `SittingInput` to refuse by name.
    static func body(from fields: [String: String]) -> JSONValue {
        func lines(_ key: String) -> JSONValue {
            .array((fields[key] ?? "").split(whereSeparator: \.isNewline).map { .string(String($0)) })
        }
        func number(_ key: String) -> JSONValue {
            let text = (fields[key] ?? "").trimmingCharacters(in: .whitespaces)
            return Int64(text).map(JSONValue.int) ?? .string(text)
        }
        let perAddress = (fields["votes_per_address"] ?? "").trimmingCharacters(in: .whitespaces)
        var settings: [(String, JSONValue)] = integerSettings.map { ($0, number($0)) }
        settings.append(("votes_per_address", perAddress.isEmpty ? .null : number("votes_per_address")))
        settings.append(("allow_anonymous", .bool(fields["allow_anonymous"] == "yes")))
        settings.append(("moderation", .string(fields["moderation"] ?? "")))
        return .object([
            ("title", .string(fields["title"] ?? "")), ("committee", .string(fields["committee"] ?? "")),
            ("scheduled_start", .string(fields["scheduled_start"] ?? "")), ("stream_url", .string(fields["stream_url"] ?? "")),
            ("agenda", lines("agenda")), ("witnesses", lines("witnesses")), ("settings", .object(settings)),
        ])
    }

    /// The form's values for a sitting as stored.
    static func values(of s: Sitting) -> [String: Any] {
        var values: [String: Any] = [
            "title": s.title, "committee": s.committee,
            // `<input type=datetime-local>`: minutes, in UTC (the label says so).
            "scheduled_start": String(s.scheduledStart.iso8601.prefix(16)),
            "stream_url": s.streamURL ?? "", "agenda": s.agenda.joined(separator: "\n"), "witnesses": s.witnesses.joined(separator: "\n"),
            "max_question_length": "\(s.settings.maxQuestionLength)", "questions_per_minute": "\(s.settings.questionsPerMinute)",
            "votes_per_second": "\(s.settings.votesPerSecond)", "ip_questions_per_minute": "\(s.settings.ipQuestionsPerMinute)",
            "ip_votes_per_second": "\(s.settings.ipVotesPerSecond)", "votes_per_address": s.settings.votesPerAddress.map { "\($0)" } ?? "",
            "allow_anonymous": s.settings.allowAnonymous,
        ]
        values["moderation_pre"] = s.settings.moderation == .pre
        values["moderation_post"] = s.settings.moderation == .post
        return values
    }

    /// A refused form's values, as they were typed.
    static func echo(_ fields: [String: String]) -> [String: Any] {
        var values: [String: Any] = [:]
        for key in ["title", "committee", "scheduled_start", "stream_url", "agenda", "witnesses", "votes_per_address"] + integerSettings {
            values[key] = fields[key] ?? ""
        }
        values["allow_anonymous"] = fields["allow_anonymous"] == "yes"
        values["moderation_pre"] = fields["moderation"] != "post"
        values["moderation_post"] = fields["moderation"] == "post"
        return values
    }

    private func render(
        _ request: Request, _ member: StaffMember, values: [String: Any], sitting: Sitting?, error: APIError? = nil, flash: String? = nil
    ) -> Response {
        let language = localization.language(for: request)
        var page = staffPages.staffContext(request, member)
        page["values"] = values
        page["default_votes_per_address"] = "\(http.hearings.defaultVotesPerAddress)"
        page["is_new"] = sitting == nil
        page["action"] = sitting.map { "/sittings/\($0.id)/edit" } ?? "/staff/sittings/new"
        if let sitting { page["sitting"] = SittingPageContext.sitting(sitting, language: language, localization: localization) }
        if let flash { page["flash"] = flash }
        var errors: [String: String] = [:]
        var summary: [[String: String]] = []
        if let error {
            // `settings.max_question_length` -> `max_question_length`: one name per field in the form and the template.
            for entry in error.fields?.entries ?? [] {
                let name = entry.field.replacingOccurrences(of: "settings.", with: "")
                errors[name] = entry.message
                summary.append(["href": "#sitting-\(name)", "message": entry.message])
            }
            if summary.isEmpty { summary.append(["href": "#sitting-form", "message": error.message]) }
        }
        page["form"] = ["errors": errors, "has_errors": error != nil, "summary": summary] as [String: Any]
        let title = localization.text(sitting == nil ? "new_sitting_title" : "edit_sitting_title", language)
        var response = http.page(
            request, "sitting-form", title: sitting.map { "\(title): \($0.title)" } ?? title, page, status: error?.status ?? .ok)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
