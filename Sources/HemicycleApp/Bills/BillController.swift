import Foundation
import HTTPTypes
import HemicycleCore
import HemicycleStorage
import Hummingbird
import NIOCore

/// Draft legislation over HTTP (Protocol/LEGISLATION.md §9): the list and reading pages, open data, the participant
/// API (comments, stances, withdrawal, the no-JavaScript comment form) and the staff API (moderation, the marker).
struct BillController: Sendable {
    typealias Context = HemicycleRequestContext
    let bills: BillService
    let http: HearingHTTP

    func addRoutes(to router: Router<Context>) {
        router.get("/bills", use: list)
        router.get("/bills.json", use: listJSON)
        router.get("/bills/:id", use: show)
        router.get("/bills/:id/provisions.csv", use: provisionsCSV)
        router.get("/bills/:id/comments.json") { request, context in try await comments(request, context, csv: false) }
        router.get("/bills/:id/comments.csv") { request, context in try await comments(request, context, csv: true) }
        router.get("/bills/:id/moderation-log.json", use: moderationLog)
        router.get("/bills/:id/versions/:version/changes") { request, context in try await changes(request, context, json: false) }
        router.get("/bills/:id/versions/:version/changes.json") { request, context in try await changes(request, context, json: true) }
        router.get("/bills/:id/report", use: reportPage)
        router.get("/bills/:id/report.json") { request, context in try await report(request, context, csv: false) }
        router.get("/bills/:id/report.csv") { request, context in try await report(request, context, csv: true) }
        router.get("/bills/:id/reports/:report", use: frozenReport)
        router.post("/api/v1/bills/:id/report/freeze", use: freeze)
        router.post("/bills/:id/comments", use: commentForm)
        router.get("/bills/:id/moderate", use: console)
        router.post("/api/v1/bills/:id/comments", use: comment)
        router.get("/api/v1/bills/:id/moderation", use: queue)
        router.post("/api/v1/bills/:id/marker", use: marker)
        router.post("/api/v1/bill-comments/:id/moderation", use: moderate)
        router.post("/api/v1/bill-comments/:id/stance", use: stance)
        router.delete("/api/v1/bill-comments/:id/stance", use: clearStance)
        router.delete("/api/v1/bill-comments/:id", use: withdraw)
    }

    static let openDataHeaders: HTTPFields = [.accessControlAllowOrigin: "*", .cacheControl: "public, max-age=5"]

    func billID(_ context: Context) throws -> Bill.ID {
        guard let id = Bill.ID(parsing: Substring(context.parameters.get("id") ?? "")) else { throw APIError.notFound("This bill") }
        return id
    }

    func commentID(_ context: Context) throws -> BillComment.ID {
        guard let id = BillComment.ID(parsing: Substring(context.parameters.get("id") ?? "")) else { throw APIError.notFound("This comment") }
        return id
    }

    // MARK: - Pages and open data

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let now = await bills.now()
        let items: [[String: Any]] = await bills.all().compactMap { state in
            guard let version = state.current else { return nil }
            return BillPageContext.summary(state, version: version, now: now)
        }
        return http.page(request, "bills", title: "Draft legislation", ["bills": items, "has_bills": !items.isEmpty])
    }

    @Sendable func listJSON(_ request: Request, context: Context) async throws -> Response {
        let now = await bills.now()
        let items: [JSONValue] = await bills.all().compactMap { state in
            guard let version = state.current else { return nil }
            return BillJSON.bill(state.bill).merging(.object([
                ("version", BillJSON.version(version, now: now)), ("counts", BillJSON.counts(BillPageContext.total(state.board))),
            ]))
        }
        return Response.json(.object([("bills", .array(items))]), headers: Self.openDataHeaders)
    }

    /// `/bills/{id}` (the reading page) and `/bills/{id}.json` (open data).
    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let raw = context.parameters.get("id") ?? ""
        for (suffix, kind) in [(".json", "json"), (".akn.xml", "akn")] where raw.hasSuffix(suffix) {
            guard let id = Bill.ID(parsing: Substring(raw.dropLast(suffix.count))) else { throw APIError.notFound("This bill") }
            let (state, version) = try await bills.published(id)
            if kind == "json" { return Response.json(BillJSON.openData(state, version: version, now: await bills.now()), headers: Self.openDataHeaders) }
            var headers = Self.openDataHeaders
            headers[.contentType] = "application/akn+xml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: AkomaNtosoWriter.write(version.document, name: "bill\(id)"))))
        }
        return try await readingPage(request, context, errors: nil)
    }

    func readingPage(
        _ request: Request, _ context: Context, errors: (eId: String, message: String, values: [String: String])?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let id = try billID(context)
        let (state, version) = try await bills.published(id)
        let participant = http.ensureParticipant(request, address: context.clientAddress)
        let now = await bills.now()
        let localization = http.localization, language = localization.language(for: request)
        var page = BillPageContext.reading(state, version: version, now: now, participant: participant?.id) { base, n in
            localization.plural(base, n, language)
        }
        page["csrf_token"] = participant.map { http.key.csrfToken(for: $0.id) } ?? ""
        page["can_take_part"] = participant != nil && (try? version.checkOpen(at: now)) != nil
        if request.uri.queryParameters.get("commented") == "1" {
            page["flash"] = localization.text("bill_comment_sent", language)
        }
        if let errors {
            page["form"] = ["eId": errors.eId, "message": errors.message, "values": errors.values, "has_errors": true] as [String: Any]
        }
        var response = http.page(request, "bill", title: state.bill.title, page, status: status, setCookie: participant?.setCookie)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func provisionsCSV(_ request: Request, context: Context) async throws -> Response {
        let (state, version) = try await bills.published(try billID(context))
        var rows = [["eId", "key", "label", "heading", "comments", "rewordings", "questions", "supports", "opposes", "text"]]
        for provision in version.provisions.provisions {
            let counts = state.board.counts(for: provision.key)
            rows.append([provision.eId.rawValue, provision.key.rawValue, provision.label, provision.heading ?? "", "\(counts.comments)",
                         "\(counts.rewordings)", "\(counts.questions)", "\(counts.supports)", "\(counts.opposes)", provision.quotableText])
        }
        return Self.csv(rows)
    }

    /// Published comments only, without any personal data but the name and region their authors chose to show.
    func comments(_ request: Request, _ context: Context, csv: Bool) async throws -> Response {
        let (state, version) = try await bills.published(try billID(context))
        let published = state.board.comments.values.filter(\.isPublished).sorted { $0.id < $1.id }
        if csv {
            var rows = [["id", "kind", "eId", "key", "quote", "text", "proposed_text", "name", "region", "submitted_at", "supports", "opposes",
                         "anchor_status", "during_discussion"]]
            for c in published {
                let anchor = c.currentAnchor
                rows.append(["\(c.id)", c.kind.rawValue, anchor?.eId.rawValue ?? "", anchor?.key.rawValue ?? "", anchor?.quote?.exact ?? "", c.text,
                             c.proposedText ?? "", c.name ?? "", c.region ?? "", c.submittedAt.iso8601, "\(c.supports)", "\(c.opposes)",
                             c.anchorStatus?.rawValue ?? "", c.writtenDuringDiscussion ? "yes" : "no"])
            }
            return Self.csv(rows)
        }
        return Response.json(
            .object([("comments", .array(published.map { BillJSON.publicComment($0, tree: version.provisions) }))]), headers: Self.openDataHeaders)
    }

    /// `/bills/{id}/versions/{n}/changes` (the page) and `.json` (open data): what changed from version n − 1 to n,
    /// clause by clause (LEGISLATION.md §8.2).
    func changes(_ request: Request, _ context: Context, json: Bool) async throws -> Response {
        let id = try billID(context)
        guard let raw = context.parameters.get("version"), let number = Int(raw), number > 0, number <= 1_000_000 else {
            throw APIError.notFound("This version")
        }
        let (state, version, changes) = try await bills.changes(id, version: number)
        if json { return Response.json(BillJSON.changes(changes, bill: state.bill, new: version.provisions), headers: Self.openDataHeaders) }
        var response = http.page(
            request, "bill-changes", title: "\(state.bill.title): version \(changes.to)", BillPageContext.changesPage(state, version: version, changes: changes))
        response.headers[.cacheControl] = "public, max-age=5"
        return response
    }

    @Sendable func moderationLog(_ request: Request, context: Context) async throws -> Response {
        let entries = try await bills.moderationLog(try billID(context))
        return Response.json(.object([("entries", .array(entries.map(BillJSON.logEntry)))]), headers: Self.openDataHeaders)
    }

    /// CSV with every cell that could start a formula prefixed with `'` (a spreadsheet must not run a comment).
    static func csv(_ rows: [[String]]) -> Response {
        func cell(_ text: String) -> String {
            var value = text
            if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        let body = rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        var headers = openDataHeaders
        headers[.contentType] = "text/csv; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: body)))
    }

    // MARK: - The committee report

    /// The frozen reports as the pages list them.
    static func frozenList(_ reports: [FrozenBillReport], bill: Bill.ID) -> [[String: Any]] {
        reports.map {
            ["id": "\($0.id)", "version": $0.version, "frozen_at": $0.frozenAt.iso8601, "frozen_at_text": String($0.frozenAt.iso8601.prefix(16)).replacingOccurrences(of: "T", with: " "),
             "sha256": $0.sha256, "url": "/bills/\(bill)/reports/\($0.id)"] as [String: Any]
        }
    }

    /// `/bills/{id}/report`: the report on the published version as of now, with the list of frozen ones.
    @Sendable func reportPage(_ request: Request, context: Context) async throws -> Response {
        let id = try billID(context)
        let (report, version) = try await bills.report(id)
        var page = BillReport.pageContext(BillReport.json(report, tree: version.provisions)) as? [String: Any] ?? [:]
        let frozen = Self.frozenList(try await bills.frozenReports(id), bill: id)
        page["frozen_reports"] = frozen
        page["has_frozen_reports"] = !frozen.isEmpty
        page["json_url"] = "/bills/\(id)/report.json"
        page["csv_url"] = "/bills/\(id)/report.csv"
        // "as of December 7, 2026 at 11:03 PM", in the parliament's zone and the page's language (not an ISO stamp).
        let language = http.localization.language(for: request), times = http.localization.times
        page["generated_at_text"] = http.localization.text(
            "report_generated_at", language, ["date": times.date(report.generatedAt, language), "time": times.time(report.generatedAt, language)])
        windowInWords(&page, request)
        var response = http.page(request, "bill-report", title: "Committee report: \(report.title)", page)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The comment window of a report's methodology in words (`opens_at_text`, `closes_at_text`: dates in the
    /// parliament's zone and the page's language) from the report's ISO 8601 stamps, which the page kept showing raw.
    private func windowInWords(_ page: inout [String: Any], _ request: Request) {
        guard var method = page["methodology"] as? [String: Any] else { return }
        let language = http.localization.language(for: request), times = http.localization.times
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for key in ["opens_at", "closes_at"] {
            guard let stamp = method[key] as? String, let date = fractional.date(from: stamp) ?? ISO8601DateFormatter().date(from: stamp) else { continue }
            method["\(key)_text"] = times.date(Timestamp(millisecondsSince1970: Int64((date.timeIntervalSince1970 * 1000).rounded())), language)
        }
        page["methodology"] = method
    }

    /// `/bills/{id}/report.json` and `.csv`: the report as of now (open data: CORS, no personal data).
    func report(_ request: Request, _ context: Context, csv: Bool) async throws -> Response {
        let (report, version) = try await bills.report(try billID(context))
        if csv { return Self.csv(BillReport.csvRows(report)) }
        return Response.json(BillReport.json(report, tree: version.provisions), headers: Self.openDataHeaders)
    }

    /// `/bills/{id}/reports/{n}` (the page) and `/bills/{id}/reports/{n}.json` (the frozen bytes, with their SHA-256 as
    /// `ETag` and `Repr-Digest`): what the clerk froze, never recomputed.
    @Sendable func frozenReport(_ request: Request, context: Context) async throws -> Response {
        let id = try billID(context)
        var raw = Substring(context.parameters.get("report") ?? "")
        let asJSON = raw.hasSuffix(".json")
        if asJSON { raw = raw.dropLast(".json".count) }
        guard let reportID = FrozenBillReport.ID(parsing: raw),
            let frozen = try await bills.frozenReports(id).first(where: { $0.id == reportID })
        else { throw APIError.notFound("This report") }
        if asJSON {
            var headers = Self.openDataHeaders
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.cacheControl] = "public, max-age=31536000, immutable"
            headers[.eTag] = "\"\(frozen.sha256)\""
            if let digest = HTTPField.Name("Repr-Digest") { headers[digest] = "sha-256=:\(BillReport.sha256Base64(frozen.json)):" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: frozen.json)))
        }
        guard let value = try? JSONValue.parse(Array(frozen.json.utf8)), var page = BillReport.pageContext(value) as? [String: Any] else {
            throw APIError(.internalServerError, "internal", "The frozen report cannot be read.")
        }
        page["frozen"] = Self.frozenList([frozen], bill: id).first ?? [:]
        page["json_url"] = "/bills/\(id)/reports/\(frozen.id).json"
        page["live_url"] = "/bills/\(id)/report"
        let title = page["bill"].flatMap { ($0 as? [String: Any])?["title"] as? String } ?? "Bill \(id)"
        windowInWords(&page, request)
        var response = http.page(request, "bill-report", title: "Committee report: \(title)", page)
        response.headers[.cacheControl] = "public, max-age=300"
        return response
    }

    /// `POST /api/v1/bills/{id}/report/freeze`: the clerk freezes the report → 201 `{"report":{id, version, frozen_at, sha256, url}}`.
    @Sendable func freeze(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try billID(context)
        _ = try await http.body.jsonObject(request)
        let frozen = try await bills.freezeReport(bill: id, by: staff)
        return http.json(.object([("report", .object([
            ("id", .int(frozen.id.rawValue)), ("version", .int(Int64(frozen.version))), ("frozen_at", .string(frozen.frozenAt.iso8601)),
            ("sha256", .string(frozen.sha256)), ("url", .string("/bills/\(id)/reports/\(frozen.id)")),
        ]))]), status: .created)
    }

    // MARK: - Participants

    @Sendable func comment(_ request: Request, context: Context) async throws -> Response {
        let id = try billID(context)
        _ = try await bills.state(id)
        let body = try await http.body.jsonObject(request)
        guard let participant = http.participant(request) else { throw Self.participantRequired(id) }
        let draft = try BillInput.draft(body, participant: participant)
        let comment = try await bills.submit(bill: id, draft: draft, address: context.clientAddress)
        let tree = try? await bills.published(id).1.provisions
        return http.json(
            .object([("id", .int(comment.id.rawValue)), ("state", .string(comment.state.label)),
                     ("comment", BillJSON.publicComment(comment, tree: tree, participant: participant))]),
            status: .created)
    }

    /// The no-JavaScript comment form of a clause: 303 back to the page, or the page with the error.
    @Sendable func commentForm(_ request: Request, context: Context) async throws -> Response {
        let id = try billID(context)
        _ = try await bills.state(id)
        let fields = try await http.body.form(request)
        guard let participant = http.participant(request) else { throw Self.participantRequired(id) }
        guard http.key.checkCSRF(fields["csrf_token"], for: participant) else { throw APIError.csrfFailed }
        let eId = fields["eId"] ?? ""
        do {
            var body: [(String, JSONValue)] = [("eId", .string(eId)), ("kind", .string(fields["kind"] ?? "comment")), ("text", .string(fields["text"] ?? ""))]
            for key in ["proposed_text", "name", "region"] {
                if let value = fields[key], !value.isEmpty { body.append((key, .string(value))) }
            }
            let draft = try BillInput.draft(.object(body), participant: participant)
            _ = try await bills.submit(bill: id, draft: draft, address: context.clientAddress)
            let anchor = EId(eId).map { "#\($0.rawValue)" } ?? ""
            return Response(status: .seeOther, headers: [.location: "/bills/\(id)?commented=1\(anchor)", .cacheControl: "no-store"])
        } catch let error as APIError {
            let values = fields.filter { ["text", "proposed_text", "name", "region", "kind"].contains($0.key) }
            return try await readingPage(request, context, errors: (eId, error.message, values), status: error.status)
        }
    }

    @Sendable func stance(_ request: Request, context: Context) async throws -> Response {
        let id = try commentID(context)
        let body = try await http.body.jsonObject(request)
        let billID = try await bills.state(ofComment: id).bill.id
        guard let participant = http.participant(request) else { throw Self.participantRequired(billID) }
        guard let stance = CommentStance(rawValue: try body.requiredString("stance")) else {
            throw APIError.invalid("stance", "The stance must be support or oppose.")
        }
        let comment = try await bills.stance(id, stance, participant: participant, address: context.clientAddress)
        return http.json(Self.stanceJSON(comment, participant: participant))
    }

    @Sendable func clearStance(_ request: Request, context: Context) async throws -> Response {
        let id = try commentID(context)
        try http.body.checkStateChange(request)
        let billID = try await bills.state(ofComment: id).bill.id
        guard let participant = http.participant(request) else { throw Self.participantRequired(billID) }
        let comment = try await bills.stance(id, nil, participant: participant, address: context.clientAddress)
        return http.json(Self.stanceJSON(comment, participant: participant))
    }

    @Sendable func withdraw(_ request: Request, context: Context) async throws -> Response {
        let id = try commentID(context)
        try http.body.checkStateChange(request)
        _ = try await bills.state(ofComment: id)
        guard let participant = http.participant(request) else { throw APIError(.forbidden, "not_author", "Only the author can withdraw a comment.") }
        let comment = try await bills.withdraw(id, participant: participant)
        return http.json(.object([("id", .int(comment.id.rawValue)), ("state", .string(comment.state.label))]))
    }

    static func stanceJSON(_ comment: BillComment, participant: String) -> JSONValue {
        .object([
            ("id", .int(comment.id.rawValue)), ("supports", .int(Int64(comment.supports))), ("opposes", .int(Int64(comment.opposes))),
            ("my_stance", BillJSON.string(comment.stance(of: participant)?.rawValue)),
        ])
    }

    static func participantRequired(_ bill: Bill.ID) -> APIError {
        APIError(
            .forbidden, "participant_required",
            "Commenting needs the participant cookie that the bill's page sets: open /bills/\(bill) (in a browser, reload it) and try again.")
    }

    // MARK: - Staff

    /// The console of a bill's moderators, clerks and chairs (a staff session assigned to the bill, or an admin).
    @Sendable func console(_ request: Request, context: Context) async throws -> Response {
        let id = try billID(context)
        guard let staff = await http.staff(request) else {
            return Response(status: .seeOther, headers: [.location: "/staff/login?next=/bills/\(id)/moderate"])
        }
        if staff.passwordChangeRequired { return Response(status: .seeOther, headers: [.location: "/staff/password"]) }
        let (state, version) = try await bills.published(id)
        let assigned = await bills.assignedBills(staff)
        guard staff.canReadModeration(bill: id, assigned: assigned) else { throw APIError.forbidden("You are not on the staff of this bill.") }
        let marker = state.board.marker
        // The staff bar (who is signed in, the staff home, log out) as on every other staff page.
        var page = http.staffContext(request, staff)
        page["bill"] = BillPageContext.summary(state, version: version, now: await bills.now())
        page["can_moderate"] = staff.canModerate(bill: id, assigned: assigned)
        page["can_run_markup"] = staff.canRunMarkup(bill: id, assigned: assigned)
        page["provisions"] = version.provisions.provisions.map {
            ["eId": $0.eId.rawValue, "label": $0.label, "heading": $0.heading ?? "", "discussing": marker?.eId == $0.eId] as [String: Any]
        }
        page["reasons"] = state.bill.settings.rejectionReasons.map { ["code": $0.code, "text": $0.text(in: "en")] }
        var response = http.page(request, "bill-moderate", title: "Moderate: \(state.bill.title)", page)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func queue(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try billID(context)
        let state = try await bills.state(id)
        guard staff.canReadModeration(bill: id, assigned: await bills.assignedBills(staff)) else {
            throw APIError.forbidden("You are not on the staff of this bill.")
        }
        let filter = request.uri.queryParameters.get("state")
        if let filter, !BillCommentState.labels.contains(filter) {
            throw APIError.invalid("state", "Unknown state; use one of \(BillCommentState.labels.joined(separator: ", ")).")
        }
        let comments = state.board.comments.values.filter { filter == nil || $0.state.label == filter }.sorted { $0.id < $1.id }
        return http.json(.object([
            ("bill", BillJSON.bill(state.bill)), ("marker", BillJSON.marker(state.board.marker)),
            ("comments", .array(comments.map { BillJSON.staffComment($0, tree: state.current?.provisions) })),
            ("reasons", .array(state.bill.settings.rejectionReasons.map { .object([("code", .string($0.code)), ("text", .string($0.text(in: "en")))]) })),
        ]))
    }

    @Sendable func moderate(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try commentID(context)
        let body = try await http.body.jsonObject(request)
        let state = try await bills.state(ofComment: id)
        let action = try BillInput.action(body)
        let comment = try await bills.moderate(id, action: action, by: staff)
        return http.json(.object([("comment", BillJSON.staffComment(comment, tree: state.current?.provisions))]))
    }

    @Sendable func marker(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try billID(context)
        let body = try await http.body.jsonObject(request)
        let eId: EId?
        switch body["eId"] {
        case .null?: eId = nil
        case .string(let text)?:
            guard let parsed = EId(text) else { throw APIError.invalid("eId", "Not an eId.") }
            eId = parsed
        default: throw APIError.invalid("eId", "Give the eId of a provision, or null to clear the marker.")
        }
        let marker = try await bills.moveMarker(bill: id, to: eId, by: staff)
        return http.json(.object([("marker", BillJSON.marker(marker))]))
    }
}
