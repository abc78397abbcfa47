import Foundation
import HTTPTypes
import HemicycleCore
import Hummingbird

/// What the hearing routes share: the service, staff auth, the server key, body reading, pages and languages.
struct HearingHTTP: Sendable {
    static let participantCookie = "hc_participant"

    let hearings: HearingService
    let auth: StaffAuth
    let key: ServerKey
    /// New participants, limited per address.
    let participants: ParticipantIssuer
    let body: RequestBody
    let pages: PageRenderer
    let localization: Localization
    let clock: any WallClock

    var secureCookies: Bool { auth.secureCookies }

    /// The `hc_csrf` cookie of forms shown before a session exists (the login form).
    var csrfCookie: CSRFCookie { CSRFCookie(key: key, secure: secureCookies) }

    /// The site's own address: links start with `site.base`.
    var site: SiteAddress { body.site }

    /// The participant of the request's cookie, if valid.
    func participant(_ request: Request) -> String? {
        key.participant(fromToken: Cookies.parse(request.headers)[Self.participantCookie])
    }

    /// The request's participant, issuing one (and the `Set-Cookie` to send) when there is none; nil when there is
    /// none and the client's address has had its share of new participants (`ParticipantIssuer`). Only page visits
    /// call this: the API never issues participants.
    func ensureParticipant(_ request: Request, address: String) -> (id: String, setCookie: String?)? {
        if let id = participant(request) { return (id, nil) }
        guard let issued = participants.issue(address: address, now: clock()) else { return nil }
        return (issued.id, Cookies.set(Self.participantCookie, issued.token, maxAgeSeconds: 365 * 86_400, secure: secureCookies))
    }

    /// The request's participant; 403 `participant_required` without a valid participant cookie.
    func requireParticipant(_ request: Request, sitting: Sitting.ID) throws -> String {
        guard let id = participant(request) else { throw Self.participantRequired(sitting) }
        return id
    }

    static func participantRequired(_ sitting: Sitting.ID) -> APIError {
        APIError(
            .forbidden, "participant_required",
            "Asking and voting need the participant cookie that the sitting's page sets: open /sittings/\(sitting) (in a browser, reload it) and try again."
        )
    }

    /// The logged-in staff member; 401 without a session, 403 while a one-time password must be changed.
    func requireStaff(_ request: Request, allowPasswordChange: Bool = false) async throws -> StaffMember {
        guard let member = await auth.member(of: request.headers, now: clock()) else {
            throw APIError(.unauthorized, "not_logged_in", "Log in as staff first (POST /api/v1/session).")
        }
        if member.passwordChangeRequired && !allowPasswordChange {
            throw APIError(.forbidden, "password_change_required", "Change your one-time password first (POST /api/v1/session/password).")
        }
        return member
    }

    func staff(_ request: Request) async -> StaffMember? {
        await auth.member(of: request.headers, now: clock())
    }

    func sittingID(_ context: some RequestContext) throws -> Sitting.ID {
        guard let id = Sitting.ID(parsing: Substring(context.parameters.get("id") ?? "")) else { throw APIError.notFound("This sitting") }
        return id
    }

    func questionID(_ context: some RequestContext) throws -> Question.ID {
        guard let id = Question.ID(parsing: Substring(context.parameters.get("id") ?? "")) else { throw APIError.notFound("This question") }
        return id
    }

    /// A JSON response, with a participant cookie when one was issued.
    func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, setCookie: String? = nil) -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if let setCookie { headers[.setCookie] = setCookie }
        return Response.json(value, status: status, headers: headers)
    }

    /// Context keys of every staff page (the staff bar of `header.mustache`): `staff` (`id`, `name`, `role`, and
    /// `role_text`, the role in the page's language) and `csrf_token`, the logout form's token for this session.
    func staffContext(_ request: Request, _ member: StaffMember) -> [String: Any] {
        let token = Cookies.parse(request.headers)[StaffAuth.sessionCookie] ?? ""
        let language = localization.language(for: request)
        let role = localization.text("role_\(member.role.rawValue.replacingOccurrences(of: "-", with: "_"))", language)
        return [
            "staff": ["id": "\(member.id)", "name": member.name, "role": member.role.rawValue, "role_text": role],
            "csrf_token": key.csrfToken(for: token),
        ]
    }

    /// A page of the hearings: the localisation keys (`lang`, `t`, `strings_json`, `languages`, `title`) plus `extra`.
    func page(
        _ request: Request, _ template: String, title: String, _ extra: [String: Any], status: HTTPResponse.Status = .ok, setCookie: String? = nil
    ) -> Response {
        var context = localization.context(for: request, title: title, page: template)
        for (key, value) in extra { context[key] = value }
        var response = Response.html(pages.render(template, context), status: status)
        if let setCookie { response.headers[.setCookie] = setCookie }
        return response
    }
}
