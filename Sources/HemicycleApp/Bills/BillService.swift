import HTTPTypes
import HemicycleCore
import HemicycleHub
import HemicycleStorage
import Logging

/// Draft legislation (Protocol/LEGISLATION.md §9): every comment, moderation decision, stance and marker move is
/// decided by the pure core (`BillCommentBoard`) inside the store's transaction on the bill (`BillStore.withBill`), so
/// the stored state is always the one the decision saw, on every node. What was stored then replaces this service's
/// copy (read by pages and the API) and is published on `bill:{id}` and `bill:{id}:moderation`.
///
/// Errors are `APIError`s with the core's codes (`BillCommentError.code`): nothing is stored when one is thrown.
actor BillService {
    let store: any HemicycleStore
    let hub: any LiveBroker
    let logger: Logger
    private let clock: any WallClock
    private var states: [Bill.ID: BillState] = [:]
    private var limits: [Bill.ID: BillLimits] = [:]

    /// Per-participant and per-address limits of one bill (`BillSettings`), in memory as for hearings.
    struct BillLimits {
        var comments: RateLimiter<String>
        var stances: RateLimiter<String>
        var addressComments: RateLimiter<AddressKey>
        var addressStances: RateLimiter<AddressKey>

        init(_ settings: BillSettings) {
            comments = RateLimiter(limit: settings.commentsPerMinute, periodMilliseconds: 60_000)
            stances = RateLimiter(limit: settings.stancesPerSecond, periodMilliseconds: 1000)
            addressComments = RateLimiter(limit: settings.ipCommentsPerMinute, periodMilliseconds: 60_000)
            addressStances = RateLimiter(limit: settings.ipStancesPerSecond, periodMilliseconds: 1000)
        }
    }

    init(store: any HemicycleStore, hub: any LiveBroker, logger: Logger, clock: any WallClock) {
        self.store = store
        self.hub = hub
        self.logger = logger
        self.clock = clock
    }

    // MARK: - Loading

    /// Loads every bill and declares its two topics. Call once at start.
    func loadAll() async throws {
        for bill in try await store.bills() {
            guard let state = try await store.billState(bill.id) else { continue }
            states[bill.id] = state
            limits[bill.id] = BillLimits(state.bill.settings)
            await hub.declare(.bill(bill.id), snapshot: publicSnapshot(state))
            await hub.declare(.billModeration(bill.id), snapshot: staffSnapshot(state))
        }
    }

    /// Reads every bill again from the store and adopts what changed there without this service (a version imported
    /// or published by `hemicycle bills`, new settings, another node's actions), publishing fresh snapshots for those
    /// bills: `clause_counts`, preceded by `version` when a newer version is now the published one. Every node does
    /// this on its own, so with several nodes a reader may get the same `version` once from each.
    func refresh() async throws {
        for bill in try await store.bills() {
            guard let fresh = try await store.billState(bill.id) else { continue }
            let known = states[bill.id]
            guard known?.bill != fresh.bill || known?.versions != fresh.versions || known?.board != fresh.board else { continue }
            states[bill.id] = fresh
            // New limits (`hemicycle bills settings`) start with empty counters.
            if known == nil || known?.bill.settings != fresh.bill.settings { limits[bill.id] = BillLimits(fresh.bill.settings) }
            if known == nil {
                await hub.declare(.bill(bill.id), snapshot: publicSnapshot(fresh))
                await hub.declare(.billModeration(bill.id), snapshot: staffSnapshot(fresh))
            } else {
                var events: [(event: String, data: JSONValue)] = []
                if let version = fresh.current, version.number > known?.current?.number ?? 0 {
                    events.append(("version", Self.versionEvent(bill: bill.id, version)))
                }
                events.append(("clause_counts", .object([("counts", BillJSON.countsByKey(fresh.board))])))
                await hub.publish(.bill(bill.id), batch: events, snapshot: publicSnapshot(fresh))
            }
        }
    }

    /// The `version` event of `bill:{id}` (Protocol/LEGISLATION.md §9.4): version `version.number` is now the published
    /// one; `url` reads it, `changes_url` shows what changed from the one before (none for version 1). Paths on this
    /// site, so the reading page can only ever link within it.
    static func versionEvent(bill id: Bill.ID, _ version: BillVersion) -> JSONValue {
        .object([
            ("version", .int(Int64(version.number))), ("url", .string("/bills/\(id)")),
            ("changes_url", version.number > 1 ? .string("/bills/\(id)/versions/\(version.number)/changes") : .null),
            ("published_at", BillJSON.time(version.publishedAt)),
        ])
    }

    /// Seeds the sample bill (id 1) with version 1 open for comments for `days`, when there is no bill at all.
    func seedDemo(days: Int) async throws -> Bool {
        let now = clock.now()
        let document = try PlainTextBillImporter.read(SampleBill.text)
        guard let window = CommentWindow(opens: now, closes: now.adding(days: Int64(days))) else { return false }
        var version = BillVersion(billID: Bill.ID(1), number: 1, document: document, window: window)
        try version.publish(at: now)
        return try await store.seedDemoBillIfEmpty(
            Bill(id: Bill.ID(1), title: document.title ?? "Sample bill", committee: SampleBill.committee), version: version)
    }

    // MARK: - Reads

    func all() -> [BillState] { states.values.sorted { $0.bill.id < $1.bill.id } }

    func state(_ id: Bill.ID) throws -> BillState {
        guard let state = states[id] else { throw APIError.notFound("This bill") }
        return state
    }

    /// The bill a comment is on.
    func state(ofComment id: BillComment.ID) throws -> BillState {
        guard let state = states.values.first(where: { $0.board[id] != nil }) else { throw APIError.notFound("This comment") }
        return state
    }

    func moderationLog(_ id: Bill.ID) async throws -> [BillModerationLogEntry] {
        _ = try state(id)
        return try await store.billModerationLog(of: id)
    }

    /// The published version, or 404 (a bill whose first version is still a draft is not public).
    func published(_ id: Bill.ID) throws -> (BillState, BillVersion) {
        let state = try state(id)
        guard let version = state.current else { throw APIError.notFound("This bill") }
        return (state, version)
    }

    func now() -> Timestamp { clock.now() }

    /// What changed from version `number` − 1 to version `number` of a bill (LEGISLATION.md §8.2): the version must be
    /// public (published or superseded) and not the first, else 404.
    func changes(_ id: Bill.ID, version number: Int) throws -> (state: BillState, version: BillVersion, changes: VersionChanges) {
        let (state, _) = try published(id)
        guard let version = state.version(number), version.state != .draft,
            let changes = VersionChanges(to: version, in: state.versions)
        else { throw APIError.notFound("This version's changes") }
        return (state, version, changes)
    }

    // MARK: - Participants

    /// A participant's comment on the current version. Limits are checked before the transaction and counted after
    /// it (a refused comment does not use the participant's allowance).
    func submit(bill id: Bill.ID, draft: BillCommentDraft, address: String) async throws -> BillComment {
        let state = try state(id)
        let now = clock.now()
        var limit = limits[id] ?? BillLimits(state.bill.settings)
        if case .failure(let wait) = limit.comments.check(draft.participant, now: now) {
            throw APIError.rateLimited(
                "You can send \(state.bill.settings.commentsPerMinute) comments a minute. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
        }
        if case .failure(let wait) = limit.addressComments.check(AddressKey(address), now: now) {
            throw APIError.rateLimited("Too many comments from your network. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
        }
        let (result, stored) = try await decide(id) { (state: inout BillState) throws(BillCommentError) -> (BillComment.ID, [BillCommentEffect]) in
            guard let version = state.current else { throw .version(.notPublished(state: state.latest?.state ?? .draft)) }
            let commentID = state.takeCommentID()
            let effects = try state.board.submit(draft, id: commentID, version: version, settings: state.bill.settings, at: now)
            return (commentID, effects)
        }
        limit.comments.record(draft.participant, now: now)
        limit.addressComments.record(AddressKey(address), now: now)
        limits[id] = limit
        guard let comment = stored.board[result] else { throw APIError(.internalServerError, "internal", "The comment was not stored.") }
        return comment
    }

    /// A participant supports, opposes (`stance`), or clears their stance (`nil`) on a published comment.
    func stance(_ commentID: BillComment.ID, _ stance: CommentStance?, participant: String, address: String) async throws -> BillComment {
        let state = try state(ofComment: commentID)
        let id = state.bill.id, now = clock.now()
        var limit = limits[id] ?? BillLimits(state.bill.settings)
        if case .failure(let wait) = limit.stances.check(participant, now: now) {
            throw APIError.rateLimited("Too many supports at once. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
        }
        if case .failure(let wait) = limit.addressStances.check(AddressKey(address), now: now) {
            throw APIError.rateLimited("Too many supports from your network. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
        }
        let action: BillCommentAction = stance.map { .take($0, participant: participant) } ?? .clearStance(participant: participant)
        let (_, stored) = try await decide(id) { (state: inout BillState) throws(BillCommentError) -> (Void, [BillCommentEffect]) in
            ((), try state.board.apply(action, to: commentID, settings: state.bill.settings, at: now))
        }
        limit.stances.record(participant, now: now)
        limit.addressStances.record(AddressKey(address), now: now)
        limits[id] = limit
        guard let comment = stored.board[commentID] else { throw APIError.notFound("This comment") }
        return comment
    }

    /// The author withdraws their comment.
    func withdraw(_ commentID: BillComment.ID, participant: String) async throws -> BillComment {
        let id = try state(ofComment: commentID).bill.id, now = clock.now()
        let (_, stored) = try await decide(id) { (state: inout BillState) throws(BillCommentError) -> (Void, [BillCommentEffect]) in
            ((), try state.board.apply(.withdraw(participant: participant), to: commentID, settings: state.bill.settings, at: now))
        }
        guard let comment = stored.board[commentID] else { throw APIError.notFound("This comment") }
        return comment
    }

    // MARK: - Staff

    /// The bills `staff` works on.
    func assignedBills(_ staff: StaffMember) async -> Set<Bill.ID> {
        (try? await store.staffBills(of: staff.id)) ?? []
    }

    /// A moderator's decision on a comment (moderators assigned to its bill, and admins).
    func moderate(_ commentID: BillComment.ID, action: BillCommentAction, by staff: StaffMember) async throws -> BillComment {
        let id = try state(ofComment: commentID).bill.id
        guard staff.canModerate(bill: id, assigned: await assignedBills(staff)) else {
            throw APIError.forbidden("Only the moderators of this bill can moderate its comments.")
        }
        let now = clock.now()
        let (_, stored) = try await decide(id, staff: staff) { (state: inout BillState) throws(BillCommentError) -> (Void, [BillCommentEffect]) in
            ((), try state.board.apply(action, to: commentID, settings: state.bill.settings, at: now))
        }
        guard let comment = stored.board[commentID] else { throw APIError.notFound("This comment") }
        return comment
    }

    /// Moves the "now discussing" marker (`nil` clears it): clerks and chairs assigned to the bill, and admins.
    func moveMarker(bill id: Bill.ID, to eId: EId?, by staff: StaffMember) async throws -> DiscussionMarker? {
        _ = try state(id)
        guard staff.canRunMarkup(bill: id, assigned: await assignedBills(staff)) else {
            throw APIError.forbidden("Only the clerks and chairs of this bill can move its marker.")
        }
        let now = clock.now()
        let (_, stored) = try await decide(id, staff: staff) { (state: inout BillState) throws(BillCommentError) -> (Void, [BillCommentEffect]) in
            guard let version = state.current else { throw .version(.notPublished(state: state.latest?.state ?? .draft)) }
            let effects = try state.board.moveMarker(to: eId, in: version, at: now)
            if !effects.isEmpty {
                state.newAudit.append(AuditEntry(
                    at: now, staffID: staff.id, action: "bill_marker_moved", subject: "bill:\(state.bill.id)", details: JSONWriter.string(.object([("eId", eId.map { .string($0.rawValue) } ?? .null)]))))
            }
            return ((), effects)
        }
        return stored.board.marker
    }

    // MARK: - The committee report

    /// At most this many frozen reports per bill: each is a full copy, and a clerk needs one per stage.
    static let maxFrozenReports = 20

    /// The report on the published version as of now (not frozen).
    func report(_ id: Bill.ID) throws -> (report: CommitteeReport, version: BillVersion) {
        let (state, version) = try published(id)
        return (CommitteeReport(bill: state.bill, version: version, board: state.board, generatedAt: clock.now()), version)
    }

    /// The frozen reports of a bill with a published version, oldest first.
    func frozenReports(_ id: Bill.ID) async throws -> [FrozenBillReport] {
        _ = try published(id)
        return try await store.frozenReports(of: id)
    }

    /// Freezes the report on the published version: its JSON as of now is stored with its SHA-256, in the bill's
    /// transaction (so it is the state every node agrees on), and served unchanged ever after. Clerks and chairs
    /// assigned to the bill, and admins; at most `maxFrozenReports` per bill (409 `report_limit`).
    func freezeReport(bill id: Bill.ID, by staff: StaffMember) async throws -> FrozenBillReport {
        _ = try published(id)
        guard staff.canRunMarkup(bill: id, assigned: await assignedBills(staff)) else {
            throw APIError.forbidden("Only the clerks and chairs of this bill can freeze its report.")
        }
        let before = try await store.frozenReports(of: id).count
        guard before < Self.maxFrozenReports else {
            throw APIError(.conflict, "report_limit", "This bill has \(Self.maxFrozenReports) frozen reports already, the most it can have.")
        }
        let now = clock.now(), staffID = staff.id
        _ = try await decide(id) { (state: inout BillState) throws(BillCommentError) -> (Void, [BillCommentEffect]) in
            guard let version = state.current else { throw .version(.notPublished(state: state.latest?.state ?? .draft)) }
            let report = CommitteeReport(bill: state.bill, version: version, board: state.board, generatedAt: now)
            let json = JSONWriter.string(BillReport.json(report, tree: version.provisions))
            state.newReports.append(FrozenBillReport(
                id: .init(0), billID: state.bill.id, version: version.number, frozenAt: now, json: json, sha256: BillReport.sha256(json), frozenBy: staffID))
            state.newAudit.append(AuditEntry(
                at: now, staffID: staffID, action: "bill_report_frozen", subject: "bill:\(state.bill.id)",
                details: JSONWriter.string(.object([("version", .int(Int64(version.number)))]))))
            return ((), [])
        }
        let reports = try await store.frozenReports(of: id)
        guard reports.count > before, let frozen = reports.last else { throw APIError(.internalServerError, "internal", "The report was not stored.") }
        return frozen
    }

    // MARK: - Deciding and publishing

    /// Runs `decide` on the bill's stored state in one store transaction, stores what it changed (with the moderation
    /// log entries its effects name), adopts the stored state and publishes the effects.
    private func decide<T: Sendable>(
        _ id: Bill.ID, staff: StaffMember? = nil,
        _ decide: @escaping @Sendable (inout BillState) throws(BillCommentError) -> (T, [BillCommentEffect])
    ) async throws -> (T, BillState) {
        let before = states[id]
        let outcome: ((T, [BillCommentEffect]), BillState)
        do {
            outcome = try await store.withBill(id) { state in
                let (value, effects) = try decide(&state)
                for effect in effects {
                    if case .logged(let entry) = effect { state.newLog.append(entry) }
                }
                if let staff, effects.contains(where: { if case .logged = $0 { true } else { false } }) {
                    state.newAudit.append(AuditEntry(at: state.newLog.last?.at ?? Timestamp(millisecondsSince1970: 0), staffID: staff.id,
                                                     action: "bill_comment_\(state.newLog.last?.action ?? "moderated")",
                                                     subject: "bill-comment:\(state.newLog.last?.commentID.rawValue ?? 0)"))
                }
                return (value, effects)
            }
        } catch let error as BillCommentError {
            throw Self.apiError(error)
        } catch let error as StoreError where error.code == .notFound {
            throw APIError.notFound("This bill")
        }
        let ((value, effects), stored) = outcome
        states[id] = stored
        await publish(effects, before: before, after: stored)
        return (value, stored)
    }

    private func publish(_ effects: [BillCommentEffect], before: BillState?, after state: BillState) async {
        let topic = Topic.bill(state.bill.id), staffTopic = Topic.billModeration(state.bill.id)
        let tree = state.current?.provisions
        var events: [(event: String, data: JSONValue)] = []
        var staffEvents: [(event: String, data: JSONValue)] = []
        var countsChanged = false
        for effect in effects {
            switch effect {
            case .published(let id):
                if let comment = state.board[id] { events.append(("comment", BillJSON.publicComment(comment, tree: tree))) }
            case .unpublished(let id):
                events.append(("comment_removed", .object([("id", .int(id.rawValue))])))
            case .stored(let id), .updated(let id), .carried(let id, _):
                if let comment = state.board[id] { staffEvents.append(("comment", BillJSON.staffComment(comment, tree: tree))) }
            case .countsChanged:
                countsChanged = true
            case .logged(let entry):
                staffEvents.append(("log", BillJSON.logEntry(entry)))
            case .markerMoved(let marker):
                events.append(("marker", .object([("marker", BillJSON.marker(marker))])))
            }
        }
        if !events.isEmpty { await hub.publish(topic, batch: events, snapshot: publicSnapshot(state)) }
        if countsChanged {
            // Conflated: a burst of supports reaches each reader as its latest per-clause counts.
            await hub.publish(
                topic, event: "clause_counts", data: .object([("counts", BillJSON.countsByKey(state.board))]), delivery: .conflated,
                snapshot: publicSnapshot(state))
        }
        if !staffEvents.isEmpty { await hub.publish(staffTopic, batch: staffEvents, snapshot: staffSnapshot(state)) }
    }

    func publicSnapshot(_ state: BillState) -> JSONValue {
        let tree = state.current?.provisions
        let comments = state.board.comments.values.filter(\.isPublished).sorted { $0.id < $1.id }
        return .object([
            ("id", .int(state.bill.id.rawValue)), ("title", .string(state.bill.title)), ("version", .int(Int64(state.current?.number ?? 0))),
            ("marker", BillJSON.marker(state.board.marker)), ("counts", BillJSON.countsByKey(state.board)),
            ("comments", .array(comments.map { BillJSON.publicComment($0, tree: tree) })),
        ])
    }

    func staffSnapshot(_ state: BillState) -> JSONValue {
        let tree = state.current?.provisions
        let comments = state.board.comments.values.filter { $0.state.isOpen }.sorted { $0.id < $1.id }
        return .object([
            ("id", .int(state.bill.id.rawValue)), ("comments", .array(comments.map { BillJSON.staffComment($0, tree: tree) })),
        ])
    }

    /// The HTTP form of a core refusal: 404 for an unknown comment, 403 for someone else's comment, 409 for a state
    /// or window that does not allow it, 422 for bad input.
    static func apiError(_ error: BillCommentError) -> APIError {
        let status: HTTPResponse.Status
        switch error {
        case .notFound: status = .notFound
        case .notAuthor: status = .forbidden
        case .notAllowed, .version, .alreadyTaken, .noStance, .ownComment, .duplicateID: status = .conflict
        case .wrongBill: status = .internalServerError
        default: status = .unprocessableContent
        }
        return APIError(status, error.code, error.message)
    }
}
