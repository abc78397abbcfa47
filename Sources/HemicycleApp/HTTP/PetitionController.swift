import Foundation
import HTTPTypes
import HemicycleCore
import HemicycleStorage
import Hummingbird
import Metrics
import NIOCore

/// Petition pages, the UK-shaped JSON, and signing.
struct PetitionController: Sendable {
    typealias Context = HemicycleRequestContext
    let store: any HemicycleStore
    let committer: SignatureCommitter
    let pages: PageRenderer
    /// Body limits and the `Origin` check; `body.site.base` starts every link.
    let body: RequestBody
    /// The sign form's CSRF token is bound to the `hc_csrf` cookie the petition page sets.
    let csrf: CSRFCookie
    /// Public texts of rejection codes.
    var rejectionReasons: [RejectionReason] = []
    /// With `.email`, signatures wait for their emailed link before they count.
    var confirmation: AppConfiguration.SignatureConfirmation = .none
    /// Days a confirmation link stays valid.
    var tokenDays = 7
    /// When the parliament sets one, signers must tick it (`"eligible": true`).
    var eligibilityStatement: String?
    /// Per-address limits: signatures over them are held for review.
    var rateLimits = SignatureRateLimits([])
    /// Limits on outbound mail (with email confirmation): a signature whose confirmation may not be mailed is held
    /// for review instead, like one over `rateLimits`.
    var mailLimits: MailLimits?
    /// The country of signers who give none.
    var homeCountry: String? = "GB"
    var regions: RegionDirectory
    /// The server's clock (`AppConfiguration.clock`).
    var clock: any WallClock = SystemClock()
    /// The countries signers may name (a name in any page language, or a code); nil: any two-letter code.
    var countries: CountryDirectory?
    /// The page's language (`?lang=`, the `hc_lang` cookie, `Accept-Language`), its strings and the time zone; nil in
    /// tests that build the controller bare: English.
    var localization: Localization?

    func addRoutes(to router: Router<Context>) {
        router.get("/petitions/:id", use: show)
        router.get("/petitions/:id/count.json", use: count)
        router.get("/petitions.json", use: list)
        router.get("/petitions/:id/history.json", use: history)
        router.get("/petitions/:id/integrity.json", use: integrity)
        router.get("/petitions.csv", use: csv)
        router.post("/api/v1/petitions/:id/signatures", use: sign)
        router.get("/petitions/:id/signed", use: { request, context in try await self.result(request, context, .counted) })
        router.get("/petitions/:id/signature-pending", use: { request, context in try await self.result(request, context, .pending) })
        router.get("/petitions/:id/signature-held", use: { request, context in try await self.result(request, context, .held) })
        router.get("/api/v1/petitions/:id", use: showJSON)
    }

    /// `/petitions/{id}` (HTML) and `/petitions/{id}.json` (UK shape): one route, told apart by the suffix.
    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let raw = context.parameters.get("id") ?? ""
        if raw.hasSuffix(".json") {
            let petition = try await publicPetition(String(raw.dropLast(5)))
            return Response.json(try await document(petition, request), headers: openDataHeaders(maxAge: 5))
        }
        let petition = try await publicPetition(raw)
        return await petitionPage(petition, request: request)
    }

    /// The petition page with the sign form: its CSRF token, and the `hc_csrf` cookie it is bound to (refreshed).
    private func petitionPage(_ petition: Petition, request: Request, form: PetitionPage.FormState = .init(), status: HTTPResponse.Status = .ok) async -> Response {
        let reasons = rejectionReasons
        let language = localization?.language(for: request) ?? "en"
        let url = "\(baseURL)/petitions/\(petition.id)"
        var form = form
        // The form's messages in the page's language (the keyed ones; the others stay in English).
        if let localization { form.errors = form.errors.localized(localization.template(language)) }
        var context = PetitionPage.context(petition, form: form, url: url) { code in
            reasons.first { $0.code == code }?.text(in: language) ?? reasons.first { $0.code == code }?.text(in: "en")
        }
        localize(&context, petition, request, page: "petition", countries: petition.state.acceptsSignatures ? await countries?.options(language: language) ?? [] : [])
        await addAreas(&context, petition, language: language)
        let binding = csrf.binding(request)
        context["csrf_token"] = csrf.token(for: binding.value)
        var response = Response.html(pages.render("petition", context), status: status)
        response.headers[.setCookie] = binding.setCookie
        // The page carries a token for this visitor's cookie: no shared cache may keep it.
        response.headers[.cacheControl] = "private, no-cache"
        return response
    }

    @Sendable func showJSON(_ request: Request, context: Context) async throws -> Response {
        let petition = try await publicPetition(context.parameters.get("id") ?? "")
        return Response.json(try await document(petition, request), headers: openDataHeaders(maxAge: 5))
    }

    /// The UK-shaped document with the petition's `signatures_by_*`.
    private func document(_ petition: Petition, _ request: Request) async throws -> JSONValue {
        let tallies = try await store.tallies(of: petition.id)
        let names = try await regions.names(covering: tallies.map(\.constituency))
        let areas = AreaCounts(tallies: tallies, names: names)
        return PetitionJSON.document(petition, baseURL: baseURL, areas: areas.ukArrays(names: names))
    }

    @Sendable func count(_ request: Request, context: Context) async throws -> Response {
        let petition = try await publicPetition(context.parameters.get("id") ?? "")
        return Response.json(PetitionJSON.count(petition), headers: openDataHeaders(maxAge: 0))
    }

    /// `GET /petitions/{id}/history.json[?constituency=CODE]`: the count over time by minute, hour and day (each entry
    /// the count at the end of that period; periods without signatures are left out), overall or in one constituency.
    @Sendable func history(_ request: Request, context: Context) async throws -> Response {
        let petition = try await publicPetition(context.parameters.get("id") ?? "")
        var constituency: String?
        if let code = request.uri.queryParameters.get("constituency").map({ String($0) }) {
            guard try await regions.names().constituencies.contains(where: { $0.code == code }) else {
                throw APIError.invalid("constituency", "No constituency has the code \(code.prefix(20)); see signatures_by_constituency for the codes.")
            }
            constituency = code
        }
        var series: [(String, JSONValue)] = [("petition_id", .int(petition.id.rawValue))]
        if let constituency { series.append(("constituency", .string(constituency))) }
        for (name, width) in [("minute", Int64(60_000)), ("hour", Int64(3_600_000)), ("day", Int64(86_400_000))] {
            var total = 0
            let points = try await store.signatureHistory(of: petition.id, bucketMilliseconds: width, constituency: constituency).map { bucket -> JSONValue in
                total += bucket.added
                return .object([("at", .string(bucket.start.iso8601)), ("added", .int(Int64(bucket.added))), ("count", .int(Int64(total)))])
            }
            series.append((name, .array(points)))
        }
        return Response.json(.object(series), headers: openDataHeaders(maxAge: 30))
    }

    /// `GET /petitions/{id}/integrity.json[?by=minute|hour|day]`: how many signatures were created, confirmed, held
    /// and invalidated, in total, now and per period (default hour), with the public record of each bulk invalidation
    /// that touched the petition. No personal data.
    @Sendable func integrity(_ request: Request, context: Context) async throws -> Response {
        let petition = try await publicPetition(context.parameters.get("id") ?? "")
        let by = request.uri.queryParameters.get("by").map { String($0) } ?? "hour"
        guard let width = ["minute": Int64(60_000), "hour": 3_600_000, "day": 86_400_000][by] else {
            throw APIError.invalid("by", "Use minute, hour or day.")
        }
        let figures = try await store.integrity(of: petition.id, bucketMilliseconds: width)
        func object(_ f: IntegrityFigures.Figures) -> [(String, JSONValue)] {
            [("created", .int(Int64(f.created))), ("confirmed", .int(Int64(f.confirmed))), ("held", .int(Int64(f.held))), ("invalidated", .int(Int64(f.invalidated)))]
        }
        let invalidations = try await store.invalidations(limit: 1000).compactMap { record -> JSONValue? in
            guard let counts = record.changed.petitions.first(where: { $0.petitionID == petition.id }) else { return nil }
            return .object([
                ("at", .string(record.at.iso8601)), ("reason", .string(record.reason)), ("signatures", .int(Int64(counts.total))),
                ("counted", .int(Int64(counts.counted))),
            ])
        }
        let now: [(String, JSONValue)] = SignatureState.allCases.map { ($0.rawValue, JSONValue.int(Int64(figures.now[$0] ?? 0))) }
        let periods: [JSONValue] = figures.buckets.map { bucket in
            let at: [(String, JSONValue)] = [("at", .string(bucket.start.iso8601))]
            return .object(at + object(bucket.figures))
        }
        let document: JSONValue = .object([
            ("petition_id", .int(petition.id.rawValue)), ("signature_count", .int(Int64(petition.signatureCount))), ("by", .string(by)),
            ("totals", .object(object(figures.totals))), ("now", .object(now)), ("periods", .array(periods)), ("invalidations", .array(invalidations)),
        ])
        return Response.json(document, headers: openDataHeaders(maxAge: 30))
    }

    /// The query of `state` (default all) and `q` (words in the action, background or details): public petitions
    /// only, most signatures first.
    private func query(_ request: Request) throws -> PetitionQuery {
        let state = request.uri.queryParameters.get("state").map { String($0) } ?? "all"
        guard let query = PetitionJSON.query(filter: state, now: clock()) else {
            throw APIError.invalid("state", "Use one of \(PetitionJSON.stateFilters.joined(separator: ", ")).")
        }
        var withWords = query
        // At most 10 words of at most 100 characters each: a search is a few words, not a page of text.
        let words = (request.uri.queryParameters.get("q").map { String($0) } ?? "").split(whereSeparator: \.isWhitespace)
        guard words.count <= 10, words.allSatisfy({ $0.count <= 100 }) else { throw APIError.invalid("q", "Search with at most 10 words.") }
        withWords.words = words.map { $0.lowercased() }
        return withWords
    }

    /// `GET /petitions.json?page=&count=&state=&q=` in the UK shape: `count` 1–50 (default 50), `links` with
    /// `first`, `last`, `next` and `prev` (null at the ends). One page is read from the store, by state.
    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let query = try query(request)
        let total = try await store.countPetitions(query)
        let count = min(50, max(1, Int(request.uri.queryParameters.get("count") ?? "") ?? 50))
        let last = max(1, (total + count - 1) / count)
        let page = min(max(1, Int(request.uri.queryParameters.get("page") ?? "") ?? 1), max(last, 1))
        let base = baseURL
        var parameters = [("count", String(count))]
        for key in ["state", "q"] { if let value = request.uri.queryParameters.get(key) { parameters.append((key, String(value))) } }
        func link(_ page: Int) -> JSONValue {
            let encoded = ([("page", String(page))] + parameters).map { "\($0.0)=\(FormURLEncoded.escape($0.1))" }.joined(separator: "&")
            return .string("\(base)/petitions.json?\(encoded)")
        }
        let slice = try await store.petitions(query, limit: count, offset: (page - 1) * count)
        let document: JSONValue = .object([
            ("links", .object([
                ("self", link(page)), ("first", link(1)), ("last", link(last)),
                ("next", page < last ? link(page + 1) : .null), ("prev", page > 1 ? link(page - 1) : .null),
            ])),
            ("data", .array(slice.map { p in
                .object([
                    ("type", "petition"), ("id", .int(p.id.rawValue)),
                    ("links", .object([("self", .string("\(base)/petitions/\(p.id).json"))])),
                    ("attributes", PetitionJSON.listAttributes(p)),
                ])
            })),
        ])
        return Response.json(document, headers: openDataHeaders(maxAge: 10))
    }

    /// Rows of `/petitions.csv` read from the store at a time.
    static let csvPage = 500

    /// `GET /petitions.csv?state=&q=`: `Petition,URL,State,Signatures Count`, every field quoted as the UK site does
    /// (and formulas neutralised, `CSV`), newest first. Written as it is read, a page of `csvPage` petitions at a
    /// time (by id, so that no petition is listed twice or missed while counts move): the server never holds the
    /// whole list.
    @Sendable func csv(_ request: Request, context: Context) async throws -> Response {
        var listing = try query(request)
        listing.order = .newest
        let base = baseURL
        // The first page is read before answering, so that a store failure is a 500, not a cut-off file.
        let first = try await store.petitions(listing, limit: Self.csvPage, offset: 0)
        var headers = openDataHeaders(maxAge: 60)
        headers[.contentType] = "text/csv; charset=utf-8"
        let store = self.store, query = listing
        let rows: @Sendable ([Petition]) -> ByteBuffer = { page in
            ByteBuffer(string: page.map { p in
                CSV.row([p.action, "\(base)/petitions/\(p.id)", PetitionJSON.publicState(p.state) ?? "", String(p.signatureCount)])
            }.joined())
        }
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: CSV.row(["Petition", "URL", "State", "Signatures Count"])))
            var page = first
            while !page.isEmpty {
                try await writer.write(rows(page))
                guard page.count == Self.csvPage, let lastID = page.last?.id else { break }
                var next = query
                next.idBelow = lastID
                page = try await store.petitions(next, limit: Self.csvPage, offset: 0)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    private func openDataHeaders(maxAge: Int) -> HTTPFields {
        [.accessControlAllowOrigin: "*", .cacheControl: maxAge > 0 ? "public, max-age=\(maxAge)" : "no-cache"]
    }

    /// The start of every link: the site's own address, never the request's `Host`.
    private var baseURL: String { body.site.base }

    private func publicPetition(_ raw: String) async throws -> Petition {
        guard let id = Petition.ID(parsing: Substring(raw)), let petition = try await store.petition(id),
            PetitionJSON.publicState(petition.state) != nil
        else { throw APIError.notFound("This petition") }
        return petition
    }

    // MARK: - Signing

    /// `POST /api/v1/petitions/{id}/signatures`: JSON (`201 {"id", "signature_count"}`) or an HTML form post (answers with a page).
    /// Answers only after the signature's batch has committed. Both refuse a foreign `Origin` (403
    /// `origin_not_allowed`); the form also needs the `csrf_token` of the petition page, bound to its `hc_csrf` cookie
    /// (403 `csrf_failed`, with the page and a fresh token). JSON needs `application/json`, which a cross-site form
    /// cannot send.
    @Sendable func sign(_ request: Request, context: Context) async throws -> Response {
        guard let id = Petition.ID(parsing: Substring(context.parameters.get("id") ?? "")) else {
            throw APIError.notFound("This petition")
        }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let isForm = contentType.hasPrefix("application/x-www-form-urlencoded")
        guard isForm || contentType.hasPrefix("application/json") else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "Send the signature as application/json (or as an HTML form).")
        }
        try body.checkOrigin(request)
        let maxBodyBytes = body.maxBytes
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "payload_too_large", "The request body must be at most \(maxBodyBytes) bytes.")
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "payload_too_large", "The request body must be at most \(maxBodyBytes) bytes.")
        }
        let text = String(buffer: bytes)
        if isForm {
            return try await signForm(id: id, fields: FormURLEncoded.parse(text), request: request, address: context.clientAddress)
        }
        let (signature, eligible) = try parseJSON(text)
        switch try await commit(id: id, signature, eligible: eligible, baseURL: baseURL, address: context.clientAddress) {
        case .accepted(let signatureID, let count):
            // `signature_count` is the petition's count right after this signature's batch committed: a live count
            // at or above it includes this signature (load tests measure the lag from here to every viewer).
            return Response.json(
                .object([("id", .int(signatureID)), ("signature_count", .int(Int64(count)))]), status: .created)
        case .awaitingConfirmation(let signatureID):
            return Response.json(.object([("id", .int(signatureID)), ("state", .string("pending_confirmation"))]), status: .accepted)
        case .held(let signatureID):
            return Response.json(
                .object([("id", .int(signatureID)), ("state", .string("held")), ("message", .string(Self.heldMessage))]), status: .accepted)
        case .duplicate:
            throw APIError(.conflict, "duplicate_signature", Self.duplicateMessage.text, key: Self.duplicateMessage.key)
        case .householdLimit:
            throw APIError(.conflict, "household_limit", Self.householdMessage, key: "sign_error_household")
        case .notOpen(let state) where PetitionJSON.publicState(state) == nil:
            throw APIError.notFound("This petition")  // not published: it does not exist for the public
        case .notOpen(let state):
            throw APIError(.conflict, "petition_not_open", "This petition is not open for signatures (it is \(state.label.lowercased())).")
        case .notFound:
            throw APIError.notFound("This petition")
        }
    }

    private func parseJSON(_ text: String) throws -> (SignatureRequest, eligible: Bool) {
        // `text.utf8` is read in place (a native string's bytes are contiguous); the text was made with
        // `String(buffer:)`, which repairs invalid UTF-8 as it always did before the body is parsed.
        guard let value = try? JSONValue.parse(text.utf8), case .object = value else {
            throw APIError(.badRequest, "malformed_json", "The body must be a JSON object.")
        }
        var errors = FieldErrors()
        func field(_ name: String, required: Bool) -> String? {
            switch value[name] {
            case nil, .null?:
                if required { errors[name] = "This field is required." }
                return nil
            case .string(let s)?:
                return s
            default:
                errors[name] = "Must be a string."
                return nil
            }
        }
        let request = SignatureRequest(
            name: field("name", required: true) ?? "", email: field("email", required: true) ?? "",
            postcode: field("postcode", required: false), country: field("country", required: false)
        )
        var eligible = false
        switch value["eligible"] {
        case nil, .null?: break
        case .bool(let b)?: eligible = b
        default: errors["eligible"] = "Must be true or false."
        }
        if !errors.isEmpty {
            throw APIError(.unprocessableContent, "invalid_input", "Some fields are missing or not strings.", fields: errors)
        }
        return (request, eligible)
    }

    /// The answer to every held signature, whichever limit held it (signatures from the network, or emails to the
    /// address or from the network): it does not tell which, so it reveals nothing about an address.
    static var heldMessage: String {
        "Your signature was received, but many signatures or emails have come from your network or gone to your email address recently, so it will be checked by a moderator before it counts. You do not need to sign again."
    }

    static let duplicateMessage = FieldMessage("This email address has already signed this petition with this name.", key: "sign_error_duplicate_name")

    static var householdMessage: String { "Two people have already signed this petition with this email address; each person needs their own address after that." }

    /// Signatures held for review since start (`/metrics`), for operators to watch on a busy day.
    static let heldSignatures = Counter(label: "hemicycle_signatures_held_total")

    private func commit(id: Petition.ID, _ request: SignatureRequest, eligible: Bool, baseURL: String, address: String) async throws -> SignatureOutcome {
        var valid: ValidSignature?
        var errors = FieldErrors()
        switch request.validated(countries: try await countries?.names()) {
        case .failure(let fieldErrors): errors = fieldErrors
        case .success(let signature): valid = signature
        }
        if eligibilityStatement != nil, !eligible { errors.set("eligible", FieldMessage("Confirm that you are eligible to sign.", key: "sign_error_eligible")) }
        guard errors.isEmpty, let valid else {
            throw APIError(.unprocessableContent, "invalid_input", "Some fields are not valid.", fields: errors, key: "error_fields_invalid")
        }
        var signature = valid
        if signature.country == nil, let homeCountry { signature = signature.inCountry(homeCountry) }
        var pending = PendingSignature(petitionID: id, signature: signature, address: address)
        // Over a per-address limit: held for review, not refused (a school or an office shares one address).
        if rateLimits.isActive { pending.held = !(await rateLimits.admit(address, now: clock())) }
        var reservation: String?
        if confirmation == .email, !pending.held {
            var recipientKey: String?
            if let mailLimits {
                switch try await mailLimits.reserve(to: signature.email, causedBy: address, now: clock()) {
                case .admitted(let key): recipientKey = key
                // Over a mail limit the signature is still taken, held for a moderator (who can release it, which mails
                // the link then); the signer sees the same answer as for any held signature, which says nothing about
                // the address.
                case .refused: pending.held = true
                }
            }
            if !pending.held {
                reservation = recipientKey
                pending.confirmation = SignatureConfirmationMail.make(
                    to: signature.email, baseURL: baseURL, tokenDays: tokenDays, now: clock(), recipientKey: recipientKey)
            }
        }
        do {
            let outcome = try await committer.sign(pending)
            if let reservation { await mailLimits?.finish(reservation) }
            if case .held = outcome { Self.heldSignatures.increment() }
            return outcome
        } catch let error as StoreError where error.code == .shuttingDown {
            if let reservation { await mailLimits?.finish(reservation) }
            throw APIError(.serviceUnavailable, "shutting_down", error.message)
        } catch {
            if let reservation { await mailLimits?.finish(reservation) }
            throw error
        }
    }

    private func signForm(id: Petition.ID, fields: [String: String], request: Request, address: String) async throws -> Response {
        guard let petition = try await store.petition(id), PetitionJSON.publicState(petition.state) != nil else {
            throw APIError.notFound("This petition")
        }
        var form = PetitionPage.FormState(values: fields.filter { ["name", "email", "postcode", "country"].contains($0.key) })
        guard csrf.check(fields["csrf_token"], request) else {
            // Nothing is stored. A person whose cookie expired gets the page back with a fresh token and their entries.
            form.errors.set("form", FieldMessage(APIError.csrfFailed.message, key: APIError.csrfFailed.key))
            form.code = APIError.csrfFailed.code
            return await petitionPage(petition, request: request, form: form, status: .forbidden)
        }
        let signature = SignatureRequest(
            name: fields["name"] ?? "", email: fields["email"] ?? "", postcode: fields["postcode"], country: fields["country"]
        )
        let outcome: SignatureOutcome
        do {
            outcome = try await commit(id: id, signature, eligible: fields["eligible"] == "on" || fields["eligible"] == "true", baseURL: baseURL, address: address)
        } catch let error as APIError {
            form.errors = error.fields ?? { var e = FieldErrors(); e.set("form", FieldMessage(error.message, key: error.key, values: error.values)); return e }()
            return await petitionPage(petition, request: request, form: form, status: error.status)
        }
        // Redirect after post (303): the result has its own address, so a reload shows it again and never signs twice.
        switch outcome {
        case .accepted: return Self.seeOther("/petitions/\(petition.id)/signed")
        case .awaitingConfirmation: return Self.seeOther("/petitions/\(petition.id)/signature-pending")
        case .held: return Self.seeOther("/petitions/\(petition.id)/signature-held")
        case .duplicate:
            form.errors.set("email", Self.duplicateMessage)
            return await petitionPage(petition, request: request, form: form, status: .conflict)
        case .householdLimit:
            form.errors.set("email", FieldMessage(Self.householdMessage, key: "sign_error_household"))
            return await petitionPage(petition, request: request, form: form, status: .conflict)
        case .notOpen(let state):
            // The state's own word in the page's language ("fermée"), else its English label.
            let language = localization?.language(for: request) ?? "en"
            let word = localization.flatMap { $0.template(language)("petition_state_\(state.rawValue)") }?.lowercased() ?? state.label.lowercased()
            form.errors.set("form", FieldMessage(
                "This petition is not open for signatures (it is \(state.label.lowercased())).", key: "sign_error_not_open", values: ["state": word]))
            return await petitionPage(petition, request: request, form: form, status: .conflict)
        case .notFound:
            throw APIError.notFound("This petition")
        }
    }

    /// A 303 to a path of this site.
    static func seeOther(_ path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path, .cacheControl: "no-store"])
    }

    enum SignedResult { case counted, pending, held }

    /// `/petitions/{id}/signed`, `/signature-pending`, `/signature-held`: where the sign form's post lands (303). They
    /// say only what any visitor could know (the petition and its count), never who signed.
    func result(_ request: Request, _ context: Context, _ result: SignedResult) async throws -> Response {
        let petition = try await publicPetition(context.parameters.get("id") ?? "")
        let language = localization?.language(for: request) ?? "en"
        func text(_ key: String, _ fallback: String) -> String { localization?.text(key, language) ?? fallback }
        var page = PetitionPage.context(petition)
        localize(&page, petition, request, page: result == .counted ? "signed" : "signature-pending")
        switch result {
        case .counted:
            page["title"] = text("signed_title", "Thank you for signing")
            return .html(pages.render("signed", page))
        case .pending:
            page["title"] = text("check_email_heading", "Check your email")
            page["message"] = text("signature_pending_body", "We have sent you an email. Open the link in it to confirm your signature: it counts once you do.")
            return .html(pages.render("signature-pending", page))
        case .held:
            page["title"] = text("signature_held_title", "Your signature will be checked")
            page["held"] = true
            page["message"] = Self.heldMessage
            return .html(pages.render("signature-pending", page))
        }
    }

    /// The page's language, switcher and strings, and the petition's localised parts (`PetitionPage.localize`).
    private func localize(_ context: inout [String: Any], _ petition: Petition, _ request: Request, page: String, countries: [String] = []) {
        guard let localization else { return }
        let title = context["title"]
        for (key, value) in localization.context(for: request, title: petition.action, page: page) { context[key] = value }
        if let title { context["title"] = title }
        PetitionPage.localize(
            &context, petition, language: localization.language(for: request), localization: localization,
            url: "\(baseURL)/petitions/\(petition.id)", countries: countries)
    }

    /// Constituencies the page's table shows (as `TOP_CONSTITUENCIES` in js/area-counts.js).
    static let topConstituencies = 10

    /// The signatures by region and constituency, with their names, in the page from the start (the script then
    /// follows `petition:{id}:areas`): the tables' rows, and the names as the `.json` document writes them
    /// (`area_names_json`, read by the script so that a live event's codes show as names at once). A store error
    /// leaves the tables to the script.
    private func addAreas(_ context: inout [String: Any], _ petition: Petition, language: String) async {
        guard let tallies = try? await store.tallies(of: petition.id), let names = try? await regions.names(covering: tallies.map(\.constituency)) else { return }
        let areas = AreaCounts(tallies: tallies, names: names)
        let arrays = areas.ukArrays(names: names)
        let document = JSONValue.object([("data", .object([("attributes", .object([
            ("signatures_by_region", arrays.regions), ("signatures_by_constituency", arrays.constituencies),
        ]))]))])
        context["area_names_json"] = JSONWriter.string(document).replacingOccurrences(of: "<", with: "\\u003c")
        func rows(_ list: JSONValue, limit: Int? = nil) -> [[String: Any]] {
            let all = (list.arrayValue ?? []).compactMap { row -> (code: String, name: String, mp: String, count: Int)? in
                guard let code = row["ons_code"]?.stringValue, let count = row["signature_count"]?.intValue else { return nil }
                return (code, row["name"]?.stringValue ?? code, row["mp"]?.stringValue ?? "", Int(count))
            }.sorted { ($1.count, $0.name) < ($0.count, $1.name) }
            return all.prefix(limit ?? all.count).map {
                ["code": $0.code, "name": $0.name, "mp": $0.mp, "count": $0.count, "count_text": CountFormat.text($0.count)] as [String: Any]
            }
        }
        let regionRows = rows(arrays.regions), constituencyRows = rows(arrays.constituencies, limit: Self.topConstituencies)
        context["area_regions"] = regionRows
        context["area_constituencies"] = constituencyRows
        context["has_area_regions"] = !regionRows.isEmpty
        context["has_area_constituencies"] = !constituencyRows.isEmpty
        context["has_areas"] = !regionRows.isEmpty || !constituencyRows.isEmpty
    }
}
