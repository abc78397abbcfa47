import HTTPTypes
import HemicycleCore
import HemicycleStorage
import Hummingbird

/// Staff routes over stored signatures (Protocol/PETITIONS.md, "Held signatures" and "Bulk invalidation"): search
/// with a preview of what an invalidation would change, bulk invalidation with its record, release of held
/// signatures, the record of invalidations, and the page `/staff/signatures`. Petitions moderators and admins only.
struct SignatureIntegrityController: Sendable {
    typealias Context = HemicycleRequestContext
    let lifecycle: PetitionLifecycle
    let http: HearingHTTP
    let confirmation: AppConfiguration.SignatureConfirmation
    /// Most signatures listed by a search.
    static let listLimit = 200

    var store: any HemicycleStore { lifecycle.store }

    func addRoutes(to router: Router<Context>) {
        router.post("/api/v1/signatures/search", use: search)
        router.post("/api/v1/signatures/invalidate", use: invalidate)
        router.post("/api/v1/signatures/release", use: release)
        router.get("/api/v1/signatures/invalidations", use: invalidations)
        router.get("/staff/signatures", use: page)
    }

    private func moderator(_ request: Request) async throws -> StaffMember {
        let staff = try await http.requireStaff(request)
        try lifecycle.requireModerator(staff)
        return staff
    }

    static func json(_ preview: InvalidationPreview) -> JSONValue {
        .object([
            ("total", .int(Int64(preview.total))), ("counted", .int(Int64(preview.counted))),
            ("petitions", .array(preview.petitions.map {
                .object([
                    ("petition_id", .int($0.petitionID.rawValue)), ("counted", .int(Int64($0.counted))), ("pending", .int(Int64($0.pending))),
                    ("held", .int(Int64($0.held))),
                ])
            })),
        ])
    }

    static func json(_ r: SignatureRecord) -> JSONValue {
        .object([
            ("id", .int(r.id)), ("petition_id", .int(r.petitionID.rawValue)), ("name", .string(r.name)), ("email", .string(r.email)),
            ("postcode", r.postcode.map { .string($0) } ?? .null), ("country", r.country.map { .string($0) } ?? .null),
            ("constituency", r.constituency.map { .string($0) } ?? .null), ("ip", r.address.map { .string($0) } ?? .null),
            ("kind", .string(r.kind.rawValue)), ("state", .string(r.state.rawValue)), ("created_at", .string(r.createdAt.iso8601)),
        ])
    }

    static func json(_ i: Invalidation) -> JSONValue {
        .object([
            ("id", .int(i.id)), ("at", .string(i.at.iso8601)), ("staff_id", i.staffID.map { .int($0.rawValue) } ?? .null),
            ("reason", .string(i.reason)), ("condition", .string(i.condition)), ("changed", json(i.changed)),
        ])
    }

    /// `POST /api/v1/signatures/search`: the signatures matching a condition (newest first, at most 200, with
    /// personal data: staff only) and the preview of invalidating them all.
    @Sendable func search(_ request: Request, context: Context) async throws -> Response {
        _ = try await moderator(request)
        let filter = try SignatureFilterInput.parse(try await http.body.jsonObject(request))
        let preview = try await store.previewInvalidation(filter)
        let records = try await store.signatures(matching: filter, limit: Self.listLimit)
        return http.json(.object([
            ("condition", .string(SignatureFilterInput.describe(filter))), ("preview", Self.json(preview)),
            ("signatures", .array(records.map(Self.json))), ("listed_at_most", .int(Int64(Self.listLimit))),
        ]))
    }

    /// `POST /api/v1/signatures/invalidate`: invalidates every signature matching a narrowed condition, with a
    /// `reason` (published with the petition's integrity figures). `expected_total`, when given, must equal what the
    /// preview shows now (409 `preview_changed` otherwise, with the new preview): what staff confirmed is what happens.
    @Sendable func invalidate(_ request: Request, context: Context) async throws -> Response {
        let staff = try await moderator(request)
        let body = try await http.body.jsonObject(request)
        let filter = try SignatureFilterInput.parse(body)
        guard filter.isNarrowed else {
            throw APIError.invalid("petition_id", "Name a petition, an email domain, an address range or a time window: invalidating everything is refused.")
        }
        if let petition = filter.petition, try await store.petition(petition) == nil { throw APIError.notFound("This petition") }
        let reason = try body.requiredString("reason")
        guard case .success(let cleanReason) = QuestionText.validate(reason, maxLength: 300) else {
            throw APIError.invalid("reason", "1 to 300 characters, without markup. It is published.")
        }
        if let expected = try body.optionalInt("expected_total") {
            let preview = try await store.previewInvalidation(filter)
            guard preview.total == expected else {
                return http.json(.object([
                    ("error", .object([
                        ("code", "preview_changed"),
                        ("message", .string("The condition now matches \(preview.total) signatures, not \(expected): check the new preview and confirm again.")),
                    ])),
                    ("preview", Self.json(preview)),
                ]), status: .conflict)
            }
        }
        let now = http.clock()
        let condition = SignatureFilterInput.describe(filter)
        let record: Invalidation, changes: [SignatureBatchResult.CountChange]
        do {
            (record, changes) = try await store.invalidate(
                filter, reason: cleanReason, condition: condition, staffID: staff.id,
                audit: AuditEntry(at: now, staffID: staff.id, action: "signatures_invalidated", subject: "invalidation",
                                  details: JSONWriter.string(.object([("condition", .string(condition)), ("reason", .string(cleanReason))]))),
                now: now
            )
        } catch let error as StoreError where error.code == .notFound {
            throw APIError(.unprocessableContent, "no_match", "No signature matches this condition: nothing was invalidated.")
        }
        for change in changes { await lifecycle.countChanged(change) }
        return http.json(Self.json(record), status: .created)
    }

    /// `POST /api/v1/signatures/release`: held signatures matching the condition start to count (or, with email
    /// confirmation, are mailed their link and count once confirmed). Only an open petition takes them: those of a
    /// closed, rejected or hidden petition stay held (`not_open` counts them), and when none could be released
    /// because of that, the answer is 409 `petition_not_open`.
    @Sendable func release(_ request: Request, context: Context) async throws -> Response {
        let staff = try await moderator(request)
        let body = try await http.body.jsonObject(request)
        var filter = try SignatureFilterInput.parse(body, defaultStates: [.held])
        filter.states = [.held]
        guard filter.isNarrowed else {
            throw APIError.invalid("petition_id", "Name a petition, an email domain, an address range or a time window: releasing everything at once is refused.")
        }
        if let id = filter.petition {
            guard let petition = try await store.petition(id) else { throw APIError.notFound("This petition") }
            guard petition.state.acceptsSignatures else {
                throw APIError(.conflict, "petition_not_open", "This petition is \(petition.state.label.lowercased()): its held signatures cannot be released.")
            }
        }
        var seen = Set<Int64>()
        var released = 0, notOpen = 0
        let now = http.clock()
        // Released in pages, so that a large release does not hold one huge transaction. A signature seen once is not
        // taken again (it left the held state, or another moderator's action took it).
        while true {
            let page = try await store.signatures(matching: filter, limit: 1000).filter { seen.insert($0.id).inserted }
            if page.isEmpty { break }
            var confirmations: [Int64: PendingSignature.Confirmation] = [:]
            if confirmation == .email {
                for record in page where record.kind == .signature {
                    // A moderator's release is not limited (no request of the public causes it), but it counts for the recipient.
                    confirmations[record.id] = SignatureConfirmationMail.make(
                        to: record.email, baseURL: baseURL, tokenDays: lifecycle.settings.tokenDays, now: now,
                        recipientKey: lifecycle.mailLimits.recipientKey(record.email))
                }
            }
            let (count, refused, changes) = try await store.release(
                page.map(\.id), confirmations: confirmations,
                audit: AuditEntry(at: now, staffID: staff.id, action: "signatures_released", subject: "signatures",
                                  details: JSONWriter.string(.object([("condition", .string(SignatureFilterInput.describe(filter))), ("count", .int(Int64(page.count)))]))),
                now: now
            )
            released += count
            notOpen += refused
            for change in changes { await lifecycle.countChanged(change) }
            if page.count < 1000 { break }
        }
        if released == 0 && notOpen > 0 {
            throw APIError(.conflict, "petition_not_open", "None released: the \(notOpen) held signatures matching are on petitions that are not open.")
        }
        return http.json(.object([
            ("released", .int(Int64(released))), ("not_open", .int(Int64(notOpen))), ("confirmation", .string(confirmation.rawValue)),
        ]))
    }

    @Sendable func invalidations(_ request: Request, context: Context) async throws -> Response {
        _ = try await moderator(request)
        return http.json(.object([("invalidations", .array(try await store.invalidations(limit: 200).map(Self.json)))]))
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        guard let member = await http.staff(request) else { return Response(status: .seeOther, headers: [.location: "/staff/login?next=/staff/signatures"]) }
        try lifecycle.requireModerator(member)
        let held = try await store.previewInvalidation(SignatureFilter(states: [.held]))
        var page = http.staffContext(request, member)
        page["held"] = held.petitions.map { ["petition_id": "\($0.petitionID)", "held": $0.held] }
        page["has_held"] = held.total > 0
        page["confirmation"] = confirmation.rawValue
        return http.page(request, "staff-signatures", title: http.localization.text("staff_signatures_title", http.localization.language(for: request)), page)
    }

    /// The start of mailed links: the site's own address, never the request's `Host`.
    private var baseURL: String { http.site.base }
}
