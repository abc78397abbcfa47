import Foundation
import HTTPTypes
import HemicycleCore
import HemicycleStorage
import Hummingbird

/// Routes of the petition lifecycle (Protocol/PETITIONS.md): starting a petition (JSON and form), the pages behind
/// emailed links (a button that POSTs, so mail scanners confirm nothing), supporting, and staff moderation.
struct PetitionLifecycleController: Sendable {
    typealias Context = HemicycleRequestContext
    let lifecycle: PetitionLifecycle
    let http: HearingHTTP

    func addRoutes(to router: Router<Context>) {
        router.post("/api/v1/petitions", use: createJSON)
        router.get("/petitions/new", use: newPage)
        router.post("/petitions/new", use: createForm)
        router.get("/confirm/:token", use: confirmPage)
        router.post("/confirm/:token", use: confirm)
        router.get("/petitions/:id/support/:token", use: supportPage)
        router.post("/petitions/:id/support/:token", use: supportForm)
        router.get("/petitions/:id/created", use: createdPage)
        router.get("/petitions/:id/supported", use: supportedPage)
        router.post("/api/v1/petitions/:id/supporters", use: supportJSON)
        router.post("/api/v1/petitions/:id/moderation", use: moderate)
        router.put("/api/v1/petitions/:id/government-response", use: governmentResponse)
        router.put("/api/v1/petitions/:id/debate", use: debate)
        router.get("/api/v1/petitions/moderation-queue", use: queue)
        router.get("/staff/petitions", use: staffPage)
    }

    /// The start of every link (mailed ones too): the site's own address, never the request's `Host`.
    private var baseURL: String { http.site.base }

    private func petitionID(_ context: Context) throws -> Petition.ID {
        guard let id = Petition.ID(parsing: Substring(context.parameters.get("id") ?? "")) else { throw APIError.notFound("This petition") }
        return id
    }

    private func draft(_ fields: (String) throws -> String?) throws -> PetitionDraft {
        PetitionDraft(
            action: try fields("action") ?? "", background: try fields("background") ?? "", additionalDetails: try fields("additional_details") ?? "",
            creator: SignatureRequest(name: try fields("name") ?? "", email: try fields("email") ?? "", postcode: try fields("postcode"), country: try fields("country"))
        )
    }

    // MARK: - Creating

    @Sendable func createJSON(_ request: Request, context: Context) async throws -> Response {
        let body = try await http.body.jsonObject(request)
        let petition = try await lifecycle.create(try draft { try body.optionalString($0) }, baseURL: baseURL, address: context.clientAddress)
        return http.json(.object([("id", .int(petition.id.rawValue)), ("state", .string(petition.state.rawValue))]), status: .created)
    }

    private func formContext(_ request: Request, participant: String, values: [String: String] = [:], errors: [String: String] = [:]) -> [String: Any] {
        let limits = lifecycle.settings.limits
        return [
            "csrf_token": http.key.csrfToken(for: participant),
            "form": ["values": values, "errors": errors, "has_errors": !errors.isEmpty] as [String: Any],
            "limits": ["action": limits.action, "background": limits.background, "additional_details": limits.additionalDetails],
            "supporters_required": lifecycle.settings.supportersRequired,
        ]
    }

    /// The country names the form's `<datalist>` offers in the page's language, as on the sign form: the server takes
    /// a name in any page language or a code (`CountryDirectory`).
    private func withCountries(_ page: [String: Any], _ request: Request) async -> [String: Any] {
        let options = await lifecycle.countries?.options(language: http.localization.language(for: request)) ?? []
        guard !options.isEmpty else { return page }
        var page = page
        page["countries"] = options
        page["has_countries"] = true
        return page
    }

    @Sendable func newPage(_ request: Request, context: Context) async throws -> Response {
        // Participants are limited per address wherever they are issued (`ParticipantIssuer`): beyond the limit the
        // form shows with a token no request can match ("" is never a participant), and says nothing more.
        let participant = http.ensureParticipant(request, address: context.clientAddress)
        let page = await withCountries(formContext(request, participant: participant?.id ?? ""), request)
        return http.page(request, "petition-new", title: title("petition_new_title", request), page, setCookie: participant?.setCookie)
    }

    private func title(_ key: String, _ request: Request) -> String {
        http.localization.text(key, http.localization.language(for: request))
    }

    @Sendable func createForm(_ request: Request, context: Context) async throws -> Response {
        let fields = try await http.body.form(request)
        guard let participant = http.participant(request), http.key.checkCSRF(fields["csrf_token"], for: participant) else { throw APIError.csrfFailed }
        do {
            let petition = try await lifecycle.create(try draft { fields[$0] }, baseURL: baseURL, address: context.clientAddress)
            // Redirect after post: a reload shows the page again and creates nothing twice.
            return sentRedirect("created", petition.id, participant: participant, email: fields["email"] ?? "")
        } catch let error as APIError {
            let errors = error.formErrors(http.localization.template(http.localization.language(for: request)))  // in the page's language
            let values = fields.filter { $0.key != "csrf_token" }
            let page = await withCountries(formContext(request, participant: participant, values: values, errors: errors), request)
            return Self.withRetryAfter(error, http.page(request, "petition-new", title: title("petition_new_title", request), page, status: error.status))
        }
    }

    // MARK: - Where a taken form lands

    /// The cookie that shows a taken form's result page to the browser that posted it (and to no one else): the
    /// address the mail went to (base64url) and a MAC binding it to the page, the petition and the participant, so it
    /// cannot be forged nor shown for another petition or visitor. Ten minutes, HttpOnly.
    static let sentCookie = "hc_sent"

    private func sentBinding(_ kind: String, _ id: Petition.ID, _ participant: String, _ email: String) -> String {
        "sent:\(kind):\(id):\(participant):\(email)"
    }

    /// 303 to `/petitions/{id}/{kind}` (`created`, `supported`) with the `hc_sent` cookie for it.
    private func sentRedirect(_ kind: String, _ id: Petition.ID, participant: String, email: String) -> Response {
        let encoded = Data(email.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let value = "\(encoded).\(http.key.csrfToken(for: sentBinding(kind, id, participant, email)))"
        var response = Response(status: .seeOther, headers: [.location: "/petitions/\(id)/\(kind)", .cacheControl: "no-store"])
        response.headers[.setCookie] = Cookies.set(Self.sentCookie, value, maxAgeSeconds: 600, secure: http.secureCookies)
        return response
    }

    /// The address of the request's `hc_sent` cookie when it is valid for this page, petition and participant.
    private func sentEmail(_ request: Request, _ kind: String, _ id: Petition.ID) -> String? {
        guard let participant = http.participant(request), let raw = Cookies.parse(request.headers)[Self.sentCookie] else { return nil }
        let parts = raw.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, parts[0].count <= 1_000 else { return nil }
        var base64 = parts[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let email = String(data: data, encoding: .utf8),
            http.key.checkCSRF(String(parts[1]), for: sentBinding(kind, id, participant, email))
        else { return nil }
        return email
    }

    /// "Check your email" after starting a petition (the form's 303). 404 without this browser's `hc_sent` cookie:
    /// the petition is not public yet.
    @Sendable func createdPage(_ request: Request, context: Context) async throws -> Response {
        let id = try petitionID(context)
        guard let email = sentEmail(request, "created", id), let petition = try await lifecycle.store.petition(id) else {
            throw APIError.notFound("This page")
        }
        var response = http.page(request, "petition-created", title: title("petition_created_title", request), [
            "petition": ["id": "\(petition.id)", "action": petition.action], "email": email,
        ])
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// "Check your email" after supporting a petition (the form's 303); 404 without this browser's `hc_sent` cookie.
    @Sendable func supportedPage(_ request: Request, context: Context) async throws -> Response {
        let id = try petitionID(context)
        guard let email = sentEmail(request, "supported", id), let petition = try await lifecycle.store.petition(id) else {
            throw APIError.notFound("This page")
        }
        var response = http.page(request, "supported", title: petition.action, [
            "petition": ["id": "\(petition.id)", "action": petition.action], "email": email,
        ])
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// A form's page answering a 429 carries the same `Retry-After` as the JSON answer.
    private static func withRetryAfter(_ error: APIError, _ response: Response) -> Response {
        var response = response
        if let retryAfter = error.retryAfter { response.headers[.retryAfter] = "\(retryAfter)" }
        return response
    }

    // MARK: - Emailed links

    @Sendable func confirmPage(_ request: Request, context: Context) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        var response = http.page(request, "confirm", title: title("confirm_title", request), [
            "token": token, "csrf_token": http.key.csrfToken(for: "confirm:\(token)"),
        ])
        // The site-wide `Referrer-Policy: same-origin` already keeps the token in this URL from other sites.
        // (`no-referrer` would make the browser send `Origin: null` with the button's POST, which the Origin check
        // refuses.)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The confirmation POST: a form (answers a page) or JSON (answers `{"purpose","petition"}`).
    @Sendable func confirm(_ request: Request, context: Context) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let isJSON = request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true
        if isJSON {
            _ = try await http.body.jsonObject(request)
        } else {
            let fields = try await http.body.form(request)
            guard http.key.checkCSRF(fields["csrf_token"], for: "confirm:\(token)") else { throw APIError.csrfFailed }
        }
        let outcome = try await lifecycle.confirm(token: token)
        let petition: Petition, purpose: String
        switch outcome {
        case .creator(let p): (petition, purpose) = (p, "creator")
        case .supporter(let p): (petition, purpose) = (p, "supporter")
        case .signature(let p, _):
            if isJSON {
                return http.json(.object([
                    ("purpose", .string("signature")),
                    ("petition", .object([("id", .int(p.id.rawValue)), ("state", .string(p.state.rawValue)), ("signature_count", .int(Int64(p.signatureCount)))])),
                ]))
            }
            // Redirect after post: the counted signature's page (in the page's language, with its share links); a
            // reload shows it again and confirms nothing twice.
            return Response(status: .seeOther, headers: [.location: "/petitions/\(p.id)/signed", .cacheControl: "no-store"])
        }
        let supportURL = try await lifecycle.store.sponsorToken(of: petition.id).map { "\(baseURL)/petitions/\(petition.id)/support/\($0)" }
        if isJSON {
            var value: JSONValue = .object([
                ("purpose", .string(purpose)), ("petition", .object([("id", .int(petition.id.rawValue)), ("state", .string(petition.state.rawValue))])),
            ])
            if purpose == "creator", let supportURL { value = value.setting("support_url", to: .string(supportURL)) }
            return http.json(value)
        }
        return http.page(request, purpose == "creator" ? "confirmed-creator" : "confirmed-supporter", title: title("confirmed_title", request), [
            "petition": ["id": "\(petition.id)", "action": petition.action, "state": petition.state.rawValue],
            "support_url": purpose == "creator" ? (supportURL ?? "") : "", "supporters_required": lifecycle.settings.supportersRequired,
            "sponsored": petition.state == .sponsored,
        ])
    }

    // MARK: - Supporters

    private func supportContext(_ petition: Petition, token: String, participant: String, values: [String: String] = [:], errors: [String: String] = [:]) -> [String: Any] {
        [
            "petition": ["id": "\(petition.id)", "action": petition.action, "background": petition.background]
                .merging(petition.additionalDetails.isEmpty ? [:] : ["additional_details": petition.additionalDetails]) { $1 }
                .merging(petition.creatorName.map { ["creator_name": $0] } ?? [:]) { $1 },
            "token": token, "csrf_token": http.key.csrfToken(for: participant),
            "form": ["values": values, "errors": errors, "has_errors": !errors.isEmpty] as [String: Any],
        ]
    }

    private func sponsoredPetition(_ context: Context) async throws -> (Petition, String) {
        let id = try petitionID(context)
        let token = context.parameters.get("token") ?? ""
        guard let petition = try await lifecycle.store.petition(id), let expected = try await lifecycle.store.sponsorToken(of: id),
            SecureToken.constantTimeEqual(expected, token)
        else { throw APIError.notFound("This supporter link") }
        return (petition, token)
    }

    @Sendable func supportPage(_ request: Request, context: Context) async throws -> Response {
        let (petition, token) = try await sponsoredPetition(context)
        let participant = http.ensureParticipant(request, address: context.clientAddress)
        let page = await withCountries(supportContext(petition, token: token, participant: participant?.id ?? ""), request)
        return http.page(request, "support", title: petition.action, page, setCookie: participant?.setCookie)
    }

    @Sendable func supportForm(_ request: Request, context: Context) async throws -> Response {
        let (petition, token) = try await sponsoredPetition(context)
        let fields = try await http.body.form(request)
        guard let participant = http.participant(request), http.key.checkCSRF(fields["csrf_token"], for: participant) else { throw APIError.csrfFailed }
        do {
            try await lifecycle.support(petition.id, sponsorToken: token, signature: SignatureRequest(
                name: fields["name"] ?? "", email: fields["email"] ?? "", postcode: fields["postcode"], country: fields["country"]
            ), baseURL: baseURL, address: context.clientAddress)
            return sentRedirect("supported", petition.id, participant: participant, email: fields["email"] ?? "")
        } catch let error as APIError {
            let errors = error.formErrors(http.localization.template(http.localization.language(for: request)))  // in the page's language
            let page = await withCountries(
                supportContext(petition, token: token, participant: participant, values: fields.filter { $0.key != "csrf_token" }, errors: errors), request)
            return Self.withRetryAfter(error, http.page(request, "support", title: petition.action, page, status: error.status))
        }
    }

    @Sendable func supportJSON(_ request: Request, context: Context) async throws -> Response {
        let id = try petitionID(context)
        let body = try await http.body.jsonObject(request)
        try await lifecycle.support(id, sponsorToken: try body.requiredString("token"), signature: SignatureRequest(
            name: try body.optionalString("name") ?? "", email: try body.optionalString("email") ?? "",
            postcode: try body.optionalString("postcode"), country: try body.optionalString("country")
        ), baseURL: baseURL, address: context.clientAddress)
        return http.json(.object([("state", .string("pending_confirmation"))]), status: .accepted)
    }

    // MARK: - Staff

    @Sendable func moderate(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try petitionID(context)
        let body = try await http.body.jsonObject(request)
        let action: PetitionAction
        switch try body.requiredString("action") {
        case "publish": action = .publish(days: lifecycle.settings.openDays)
        case "reject": action = .reject(PetitionRejection(code: try body.requiredString("code"), details: try body.optionalString("details")))
        case "hide": action = .hide
        case "flag": action = .flag
        case let other: throw APIError.invalid("action", "Unknown action \(other); use publish, reject, hide or flag.")
        }
        let petition = try await lifecycle.moderate(id, action: action, by: staff)
        return http.json(.object([("id", .int(petition.id.rawValue)), ("state", .string(petition.state.rawValue))]))
    }

    private static func isDate(_ text: String) -> Bool {
        text.count == 10 && ISOTime.parse(text + "T00:00Z") != nil
    }

    @Sendable func governmentResponse(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try petitionID(context)
        let body = try await http.body.jsonObject(request)
        let on = try body.requiredString("responded_on"), summary = try body.requiredString("summary"), details = try body.requiredString("details")
        guard Self.isDate(on) else { throw APIError.invalid("responded_on", "Use a date like 2026-12-01.") }
        guard case .success(let cleanSummary) = QuestionText.validate(summary, maxLength: 500) else { throw APIError.invalid("summary", "1 to 500 characters, without markup.") }
        guard case .success(let cleanDetails) = QuestionText.validate(details, maxLength: 10_000) else { throw APIError.invalid("details", "1 to 10,000 characters, without markup.") }
        let petition = try await lifecycle.setGovernmentResponse(id, respondedOn: on, summary: cleanSummary, details: cleanDetails, by: staff)
        return Response.json(PetitionJSON.document(petition, baseURL: baseURL))
    }

    @Sendable func debate(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try petitionID(context)
        let body = try await http.body.jsonObject(request)
        let on = try body.requiredString("debated_on")
        guard Self.isDate(on) else { throw APIError.invalid("debated_on", "Use a date like 2026-12-01.") }
        for key in ["transcript_url", "video_url"] {
            if let url = try body.optionalString(key), !url.lowercased().hasPrefix("https://") { throw APIError.invalid(key, "Must start with https://.") }
        }
        var overview: String?
        if let raw = try body.optionalString("overview") {
            guard case .success(let clean) = QuestionText.validate(raw, maxLength: 10_000) else { throw APIError.invalid("overview", "At most 10,000 characters, without markup.") }
            overview = clean
        }
        let petition = try await lifecycle.setDebate(id, outcome: DebateOutcome(
            debatedOn: on, transcriptURL: try body.optionalString("transcript_url"), videoURL: try body.optionalString("video_url"), overview: overview
        ), by: staff)
        return Response.json(PetitionJSON.document(petition, baseURL: baseURL))
    }

    /// Petitions in a page of the moderation queue, unless `limit` asks for fewer.
    static let queuePage = 100

    /// `GET /api/v1/petitions/moderation-queue[?after=ID&limit=N]`: petitions waiting for a moderator (sponsored and
    /// flagged), oldest first, a page at a time (`limit` 1–100, default 100) with `next`, the path of the next page
    /// (null on the last one).
    @Sendable func queue(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        try lifecycle.requireModerator(staff)
        var query = PetitionQuery(states: [.sponsored, .flagged], order: .oldest)
        if let after = request.uri.queryParameters.get("after") {
            guard let id = Petition.ID(parsing: Substring(after)) else { throw APIError.invalid("after", "The id of the last petition of the previous page.") }
            query.idAbove = id
        }
        var limit = Self.queuePage
        if let text = request.uri.queryParameters.get("limit") {
            guard let n = Int(text), (1...Self.queuePage).contains(n) else { throw APIError.invalid("limit", "From 1 to \(Self.queuePage).") }
            limit = n
        }
        let waiting = try await lifecycle.store.petitions(query, limit: limit, offset: 0)
        let next: JSONValue = waiting.count == limit ? waiting.last.map { .string("/api/v1/petitions/moderation-queue?after=\($0.id)&limit=\(limit)") } ?? .null : .null
        return http.json(.object([("next", next), ("petitions", .array(waiting.map { p in
            .object([
                ("id", .int(p.id.rawValue)), ("action", .string(p.action)), ("background", .string(p.background)),
                ("additional_details", .string(p.additionalDetails)), ("state", .string(p.state.rawValue)),
                ("creator_name", p.creatorName.map { .string($0) } ?? .null), ("signature_count", .int(Int64(p.signatureCount))),
                ("created_at", .string(p.createdAt.iso8601)),
            ])
        }))]))
    }

    @Sendable func staffPage(_ request: Request, context: Context) async throws -> Response {
        guard let member = await http.staff(request) else { return Response(status: .seeOther, headers: [.location: "/staff/login?next=/staff/petitions"]) }
        try lifecycle.requireModerator(member)
        let language = http.localization.language(for: request)
        var page = http.staffContext(request, member)
        page["reasons"] = lifecycle.settings.rejectionReasons.map { ["code": $0.code, "text": $0.text(in: language)] }
        return http.page(request, "staff-petitions", title: title("staff_petitions_title", request), page)
    }
}
