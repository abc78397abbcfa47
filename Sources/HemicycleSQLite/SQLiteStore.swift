public import HemicycleCore
public import HemicycleStorage
public import Logging
import SQLiteNIO

/// The embedded default store: one SQLite file in WAL mode. See README.md for the connection layout.
public final class SQLiteStore: HemicycleStore {
    let writer: SQLiteConnection
    let reader: SQLiteConnection
    private let gate = WriteGate()
    let logger: Logger
    /// Rows per multi-row INSERT (6 bound values each, well under SQLite's variable limit).
    static let insertChunk = 1000

    private init(writer: SQLiteConnection, reader: SQLiteConnection, logger: Logger) {
        self.writer = writer
        self.reader = reader
        self.logger = logger
    }

    /// Opens (creating if needed) the database at `path`, in WAL mode with durable commits.
    /// - Parameter path: a file path, or `:memory:` is refused (two connections would see two databases).
    public static func open(path: String, logger: Logger) async throws -> SQLiteStore {
        let writer: SQLiteConnection
        do {
            writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw StoreError(.unavailable, "Cannot open the database at \(path): \(error)")
        }
        let mode = try await writer.query("PRAGMA journal_mode=WAL").first?.column("journal_mode")?.string
        guard mode?.lowercased() == "wal" else {
            throw StoreError(.unavailable, "The database at \(path) cannot use WAL mode (got \(mode ?? "nothing")).")
        }
        _ = try await writer.query("PRAGMA synchronous=FULL")
        _ = try await writer.query("PRAGMA foreign_keys=ON")
        _ = try await writer.query("PRAGMA busy_timeout=5000")
        // Erased personal data (anonymised signatures, deleted rows) is overwritten with zeros in the file instead of
        // lingering in free pages, where a copy of the database would still show it. sqlite-nio's build turns this
        // on by default; it is set here so that the guarantee does not depend on how SQLite was compiled. (The WAL
        // keeps old page images until a checkpoint: `anonymise` truncates it after erasing.)
        _ = try await writer.query("PRAGMA secure_delete=ON")
        let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        _ = try await reader.query("PRAGMA busy_timeout=5000")
        _ = try await reader.query("PRAGMA query_only=ON")
        return SQLiteStore(writer: writer, reader: reader, logger: logger)
    }

    // MARK: - Transactions

    func inWriteTransaction<T: Sendable>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        await gate.acquire()
        do {
            _ = try await writer.query("BEGIN IMMEDIATE")
            let value: T
            do {
                value = try await body(writer)
                _ = try await writer.query("COMMIT")
            } catch {
                _ = try? await writer.query("ROLLBACK")
                throw error
            }
            await gate.release()
            return value
        } catch {
            await gate.release()
            throw error
        }
    }

    /// Copies the WAL back into the database and empties it (`PRAGMA wal_checkpoint(TRUNCATE)`), between write
    /// transactions. Returns whether the checkpoint completed (a reader in the way makes it partial).
    @discardableResult
    func truncateWAL() async throws -> Bool {
        await gate.acquire()
        do {
            // One row: busy (1 when a reader kept it from completing), log and checkpointed page counts.
            let busy = try await writer.query("PRAGMA wal_checkpoint(TRUNCATE)").first?.column("busy")?.integer ?? 1
            await gate.release()
            return busy == 0
        } catch {
            await gate.release()
            throw error
        }
    }

    public func migrate() async throws {
        try await migrate(through: nil)
    }

    /// Applies the migrations not applied yet, up to `version` (all when nil; tests stop early to check an upgrade).
    func migrate(through version: Int?) async throws {
        _ = try await writer.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
        )
        let applied = Set(try await writer.query("SELECT version FROM schema_migrations").compactMap { $0.column("version")?.integer })
        for migration in Migrations.all where !applied.contains(migration.version) && migration.version <= (version ?? Int.max) {
            try await inWriteTransaction { db in
                for statement in migration.statements { _ = try await db.query(statement) }
                try await migration.then?(db)
                _ = try await db.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, strftime('%s','now') * 1000)",
                    [.integer(migration.version), .text(migration.name)]
                )
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        }
        if let newest = applied.max(), newest > (Migrations.all.last?.version ?? 0) {
            throw StoreError(.corrupt, "The database has schema version \(newest), newer than this server knows; upgrade the server.")
        }
    }

    public func seedDemoIfEmpty(_ demo: DemoContent) async throws -> Bool {
        try await inWriteTransaction { db in
            let petitions = try await db.query("SELECT COUNT(*) AS n FROM petitions").first?.column("n")?.integer ?? 0
            let sittings = try await db.query("SELECT COUNT(*) AS n FROM sittings").first?.column("n")?.integer ?? 0
            guard petitions == 0, sittings == 0 else { return false }
            let p = demo.petition
            let response = p.thresholds.first { $0.name == "response" }?.signatures ?? 10_000
            let debate = p.thresholds.first { $0.name == "debate" }?.signatures ?? 100_000
            _ = try await db.query(
                """
                INSERT INTO petitions (id, action, background, additional_details, state, signature_count, creator_name,
                    created_at, updated_at, opened_at, closed_at, closing_at, response_threshold, debate_threshold, search_text)
                VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .integer(Int(p.id.rawValue)), .text(p.action), .text(p.background), .text(p.additionalDetails),
                    .text(p.state.rawValue), p.creatorName.map { .text($0) } ?? .null, .ms(p.createdAt), .ms(p.updatedAt),
                    .ms(p.openedAt), .ms(p.closedAt), .ms(p.closingAt), .integer(response), .integer(debate),
                    .text(PetitionQuery.searchText(action: p.action, background: p.background, additionalDetails: p.additionalDetails)),
                ]
            )
            let s = demo.sitting
            _ = try await db.query(
                "INSERT INTO sittings (id, \(Self.sittingWriteColumns)) VALUES (?, \(Self.sittingWritePlaceholders))",
                [.integer(Int(s.id.rawValue))] + Self.sittingBinds(s)
            )
            return true
        }
    }

    // MARK: - Reads

    static let petitionColumns = """
        id, action, background, additional_details, state, signature_count, creator_name, created_at, updated_at,
        opened_at, closed_at, closing_at, response_threshold, debate_threshold, response_threshold_reached_at,
        debate_threshold_reached_at, moderation_threshold_reached_at, rejected_at, rejection_code, rejection_details,
        government_response, debate, hidden_at, abandoned_at
        """

    public func petition(_ id: Petition.ID) async throws -> Petition? {
        let rows = try await reader.query("SELECT \(Self.petitionColumns) FROM petitions WHERE id = ?", [.integer(Int(id.rawValue))])
        return try rows.first.map(Self.petition(from:))
    }

    public func petitions(_ query: PetitionQuery, limit: Int, offset: Int) async throws -> [Petition] {
        guard !query.states.isEmpty, PetitionQuery.clamped(limit) > 0 else { return [] }
        let (condition, binds) = Self.whereClause(query)
        return try await reader.query(
            "SELECT \(Self.petitionColumns) FROM petitions WHERE \(condition) ORDER BY \(Self.orderClause(query.order)) LIMIT ? OFFSET ?",
            binds + [.integer(PetitionQuery.clamped(limit)), .integer(max(0, offset))]
        ).map(Self.petition(from:))
    }

    public func countPetitions(_ query: PetitionQuery) async throws -> Int {
        guard !query.states.isEmpty else { return 0 }
        let (condition, binds) = Self.whereClause(query)
        return try await reader.query("SELECT COUNT(*) AS n FROM petitions WHERE \(condition)", binds).first?.column("n")?.integer ?? 0
    }

    /// The SQL of `PetitionQuery.matches` (the state first: the indexes start with it).
    static func whereClause(_ query: PetitionQuery) -> (String, [SQLiteData]) {
        let states = query.states.map(\.rawValue).sorted()
        var conditions = ["state IN (\(Array(repeating: "?", count: states.count).joined(separator: ", ")))"]
        var binds: [SQLiteData] = states.map { .text($0) }
        if let since = query.openedSince {
            conditions.append("opened_at >= ?")
            binds.append(.ms(since))
        }
        if let before = query.createdBefore {
            conditions.append("created_at <= ?")
            binds.append(.ms(before))
        }
        switch query.reached {
        case .response?: conditions.append("response_threshold_reached_at IS NOT NULL")
        case .debate?: conditions.append("debate_threshold_reached_at IS NOT NULL")
        case .any?: conditions.append("(response_threshold_reached_at IS NOT NULL OR debate_threshold_reached_at IS NOT NULL)")
        case nil: break
        }
        if let has = query.hasGovernmentResponse { conditions.append("government_response IS \(has ? "NOT " : "")NULL") }
        if let has = query.hasDebate { conditions.append("debate IS \(has ? "NOT " : "")NULL") }
        for word in query.words {
            conditions.append("instr(search_text, ?) > 0")
            binds.append(.text(word))
        }
        if let below = query.idBelow {
            conditions.append("id < ?")
            binds.append(.integer(Int(below.rawValue)))
        }
        if let above = query.idAbove {
            conditions.append("id > ?")
            binds.append(.integer(Int(above.rawValue)))
        }
        return (conditions.joined(separator: " AND "), binds)
    }

    /// The SQL of `PetitionQuery.precedes` (NULL sorts lowest in SQLite, so never-opened petitions come last).
    static func orderClause(_ order: PetitionQuery.Order) -> String {
        switch order {
        case .mostSignatures: "signature_count DESC, id DESC"
        case .newest: "id DESC"
        case .oldest: "id ASC"
        case .lastOpened: "opened_at DESC, id DESC"
        case .lastThresholdReached:
            "max(COALESCE(response_threshold_reached_at, -1), COALESCE(debate_threshold_reached_at, -1)) DESC, id DESC"
        case .lastGovernmentResponse: "json_extract(government_response, '$.updated_at') DESC, id DESC"
        }
    }

    /// Fills `search_text` of petitions stored before it existed (migration 8).
    @Sendable static func fillSearchText(_ db: SQLiteConnection) async throws {
        while true {
            let rows = try await db.query("SELECT id, action, background, additional_details FROM petitions WHERE search_text IS NULL LIMIT 500")
            if rows.isEmpty { return }
            for row in rows {
                let text = PetitionQuery.searchText(
                    action: row.column("action")?.string ?? "", background: row.column("background")?.string ?? "",
                    additionalDetails: row.column("additional_details")?.string ?? "")
                _ = try await db.query("UPDATE petitions SET search_text = ? WHERE id = ?", [.text(text), .integer(row.column("id")?.integer ?? 0)])
            }
        }
    }

    public func sitting(_ id: Sitting.ID) async throws -> Sitting? {
        let rows = try await reader.query("SELECT \(Self.sittingColumns) FROM sittings WHERE id = ?", [.integer(Int(id.rawValue))])
        return try rows.first.map(Self.sitting(from:))
    }

    public func sittings() async throws -> [Sitting] {
        try await reader.query("SELECT \(Self.sittingColumns) FROM sittings ORDER BY scheduled_start, id")
            .map(Self.sitting(from:))
    }

    public func sittings(in states: Set<SittingState>, limit: Int) async throws -> [Sitting] {
        guard !states.isEmpty, limit > 0 else { return [] }
        let names = states.map(\.rawValue).sorted()
        return try await reader.query(
            "SELECT \(Self.sittingColumns) FROM sittings WHERE state IN (\(Array(repeating: "?", count: names.count).joined(separator: ", "))) ORDER BY scheduled_start, id LIMIT ?",
            names.map { .text($0) } + [.integer(limit)]
        ).map(Self.sitting(from:))
    }

    public func storedSignatureCount(_ id: Petition.ID) async throws -> Int {
        let rows = try await reader.query("SELECT COUNT(*) AS n FROM signatures WHERE petition_id = ? AND state = 'counted'", [.integer(Int(id.rawValue))])
        return rows.first?.column("n")?.integer ?? 0
    }

    static func petition(from row: SQLiteRow) throws -> Petition {
        func int(_ name: String) throws -> Int {
            guard let value = row.column(name)?.integer else { throw StoreError(.corrupt, "petitions.\(name) is missing") }
            return value
        }
        func time(_ name: String) -> Timestamp? {
            row.column(name)?.integer.map { Timestamp(millisecondsSince1970: Int64($0)) }
        }
        guard let stateText = row.column("state")?.string, let state = PetitionState(rawValue: stateText) else {
            throw StoreError(.corrupt, "petitions.state is not a known state")
        }
        var petition = Petition(
            id: Petition.ID(Int64(try int("id"))), action: row.column("action")?.string ?? "",
            background: row.column("background")?.string ?? "", additionalDetails: row.column("additional_details")?.string ?? "",
            state: state, signatureCount: try int("signature_count"), creatorName: row.column("creator_name")?.string,
            createdAt: time("created_at") ?? Timestamp(millisecondsSince1970: 0),
            updatedAt: time("updated_at") ?? Timestamp(millisecondsSince1970: 0),
            openedAt: time("opened_at"), closedAt: time("closed_at"), closingAt: time("closing_at"),
            thresholds: [
                Threshold(name: "response", signatures: try int("response_threshold"), reachedAt: time("response_threshold_reached_at")),
                Threshold(name: "debate", signatures: try int("debate_threshold"), reachedAt: time("debate_threshold_reached_at")),
            ]
        )
        petition.moderationThresholdReachedAt = time("moderation_threshold_reached_at")
        petition.rejectedAt = time("rejected_at")
        petition.hiddenAt = time("hidden_at")
        petition.abandonedAt = time("abandoned_at")
        petition.rejection = row.column("rejection_code")?.string.map { PetitionRejection(code: $0, details: row.column("rejection_details")?.string) }
        petition.governmentResponse = StoredJSON.governmentResponse(row.column("government_response")?.string)
        petition.debate = StoredJSON.debate(row.column("debate")?.string)
        return petition
    }

    static let sittingColumns =
        "id, title, committee, state, scheduled_start, stream_url, stream_started_at, ended_at, agenda, witnesses, settings"

    static func sitting(from row: SQLiteRow) throws -> Sitting {
        guard let id = row.column("id")?.integer, let stateText = row.column("state")?.string,
            let state = SittingState(rawValue: stateText), let start = row.column("scheduled_start")?.integer
        else { throw StoreError(.corrupt, "a sittings row is incomplete") }
        return Sitting(
            id: Sitting.ID(Int64(id)), title: row.column("title")?.string ?? "", committee: row.column("committee")?.string ?? "",
            state: state, scheduledStart: Timestamp(millisecondsSince1970: Int64(start)), streamURL: row.column("stream_url")?.string,
            streamStartedAt: row.column("stream_started_at")?.integer.map { Timestamp(millisecondsSince1970: Int64($0)) },
            endedAt: row.column("ended_at")?.integer.map { Timestamp(millisecondsSince1970: Int64($0)) },
            agenda: StoredJSON.strings(row.column("agenda")?.string), witnesses: StoredJSON.strings(row.column("witnesses")?.string),
            settings: StoredJSON.settings(row.column("settings")?.string)
        )
    }

    // MARK: - Signatures

    /// Group commit on SQLite, in one write transaction: what the decision needs is read (each petition, the name keys
    /// stored for the batch's emails, the postcodes' constituencies), the core decides (`SignatureBatchDecision`), and
    /// the admitted signatures, tokens, counts and tallies are written. Nothing is acknowledged before the commit.
    public func commitSignatures(_ batch: [PendingSignature], now: Timestamp) async throws -> SignatureBatchResult {
        guard !batch.isEmpty else { return SignatureBatchResult(outcomes: [], changes: []) }
        return try await inWriteTransaction { db in
            var read: [Petition.ID: SignatureBatchDecision.PetitionRead] = [:]
            for petitionID in Set(batch.map(\.petitionID)) {
                let rows = try await db.query("SELECT \(Self.petitionColumns) FROM petitions WHERE id = ?", [.integer(Int(petitionID.rawValue))])
                guard let row = rows.first else { continue }
                let petition = try Self.petition(from: row)
                var names: [String: Set<String>] = [:]
                if petition.state.acceptsSignatures {
                    let emails = Array(Set(batch.lazy.filter { $0.petitionID == petitionID }.map(\.signature.email)))
                    for chunk in stride(from: 0, to: emails.count, by: Self.insertChunk) {
                        let slice = emails[chunk..<min(chunk + Self.insertChunk, emails.count)]
                        let placeholders = Array(repeating: "?", count: slice.count).joined(separator: ", ")
                        let existing = try await db.query(
                            "SELECT email, name_key FROM signatures WHERE petition_id = ? AND email IN (\(placeholders))",
                            [.integer(Int(petitionID.rawValue))] + slice.map { .text($0) }
                        )
                        for row in existing {
                            if let email = row.column("email")?.string, let key = row.column("name_key")?.string { names[email, default: []].insert(key) }
                        }
                    }
                }
                read[petitionID] = SignatureBatchDecision.PetitionRead(petition: petition, signedNames: names)
            }
            let constituencies = try await Self.constituencies(ofPostcodes: batch.compactMap(\.signature.postcodeKey), db)
            let items = batch.map(\.decisionItem)
            let decision = SignatureBatchDecision(items, petitions: read, constituencies: constituencies, now: now)

            func state(_ item: PendingSignature) -> String { item.held ? "held" : item.confirmation == nil ? "counted" : "pending" }
            func key(_ petitionID: Int, _ email: String, _ nameKey: String) -> String { "\(petitionID)\u{0}\(email)\u{0}\(nameKey)" }
            var insertedIDs: [Int: Int64] = [:]
            let admissions = decision.admissions
            for chunk in stride(from: 0, to: admissions.count, by: Self.insertChunk) {
                let slice = admissions[chunk..<min(chunk + Self.insertChunk, admissions.count)]
                var binds: [SQLiteData] = []
                binds.reserveCapacity(slice.count * 12)
                for admission in slice {
                    let item = batch[admission.index]
                    let s = item.signature
                    binds += [.integer(Int(item.petitionID.rawValue)), .text(s.name), .text(s.nameKey), .text(s.email),
                              s.postcode.map { .text($0) } ?? .null, s.country.map { .text($0) } ?? .null, .ms(now), .text(state(item)),
                              item.address.map { .text($0) } ?? .null, admission.constituency.map { .text($0) } ?? .null,
                              .integer(item.held ? 1 : 0), state(item) == "counted" ? .ms(now) : .null]
                }
                let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: slice.count).joined(separator: ", ")
                let returned = try await db.query(
                    """
                    INSERT INTO signatures (petition_id, name, name_key, email, postcode, country, created_at, state, address, constituency, held,
                        confirmed_at)
                    VALUES \(values)
                    RETURNING id, petition_id, email, name_key
                    """,
                    binds
                )
                // SQLite does not promise RETURNING's row order: match rows by (petition, email, name key), unique.
                var byKey: [String: Int] = [:]
                for admission in slice {
                    let item = batch[admission.index]
                    byKey[key(Int(item.petitionID.rawValue), item.signature.email, item.signature.nameKey)] = admission.index
                }
                for row in returned {
                    guard let id = row.column("id")?.integer, let petitionID = row.column("petition_id")?.integer,
                        let email = row.column("email")?.string, let nameKey = row.column("name_key")?.string,
                        let index = byKey[key(petitionID, email, nameKey)]
                    else { continue }
                    insertedIDs[index] = Int64(id)
                }
            }
            for admission in admissions {
                let item = batch[admission.index]
                guard let id = insertedIDs[admission.index], !item.held, let confirmation = item.confirmation else { continue }
                try await Self.storeConfirmation(confirmation, of: id, now: now, db)
            }
            var changes: [SignatureBatchResult.CountChange] = []
            for change in decision.countChanges {
                try await Self.addToCount(change.petitionID, added: change.counted, crossed: change.crossed, now: now, db)
                try await Self.apply(change.tallies, to: change.petitionID, db)
                changes.append(.init(petitionID: change.petitionID, signatureCount: change.newCount, thresholdsReached: change.crossed))
            }
            var outcomes = decision.refusals
            for admission in admissions {
                let item = batch[admission.index]
                guard let id = insertedIDs[admission.index] else { outcomes[admission.index] = .duplicate; continue }
                outcomes[admission.index] = decision.outcome(of: items[admission.index], held: item.held, signatureID: id)
            }
            return SignatureBatchResult(outcomes: outcomes.map { $0 ?? .notFound }, changes: changes)
        }
    }

    /// Adds `added` to a petition's count and stamps the thresholds `crossed`.
    static func addToCount(_ petitionID: Petition.ID, added: Int, crossed: [Threshold], now: Timestamp, _ db: SQLiteConnection) async throws {
        _ = try await db.query(
            """
            UPDATE petitions SET signature_count = signature_count + ?, updated_at = ?,
                response_threshold_reached_at = COALESCE(response_threshold_reached_at, CASE WHEN ? THEN ? END),
                debate_threshold_reached_at = COALESCE(debate_threshold_reached_at, CASE WHEN ? THEN ? END)
            WHERE id = ?
            """,
            [.integer(added), .ms(now), .integer(crossed.contains { $0.name == "response" } ? 1 : 0), .ms(now),
             .integer(crossed.contains { $0.name == "debate" } ? 1 : 0), .ms(now), .integer(Int(petitionID.rawValue))]
        )
    }

    /// Runs one statement on the writer (tests that build a database as an earlier version left it).
    func execute(_ sql: String) async throws {
        _ = try await writer.query(sql)
    }

    /// The integer a `PRAGMA name` answers on the writer (tests of how the connection is set up).
    func pragma(_ name: String) async throws -> Int? {
        try await writer.query("PRAGMA \(name)").first?.column(name)?.integer
    }

    public func close() async throws {
        try await reader.close()
        try await writer.close()
    }
}

extension SQLiteData {
    static func ms(_ time: Timestamp?) -> SQLiteData {
        time.map { .integer(Int($0.millisecondsSince1970)) } ?? .null
    }
}
