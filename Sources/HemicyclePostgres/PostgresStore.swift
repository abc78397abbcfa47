import Foundation
public import HemicycleCore
public import HemicycleStorage
public import Logging
import PostgresNIO

/// The shared store of several nodes: PostgreSQL through postgres-nio's connection pool. See README.md.
///
/// Every write is one transaction on one pooled connection (`inTransaction`); reads take any pooled connection and see
/// only committed data. Sessions run with `synchronous_commit=on` (set at connection start and checked by `open`), so a
/// commit is durable when it returns.
public final class PostgresStore: HemicycleStore {
    let client: PostgresClient
    let logger: Logger
    /// This store's name in outbox claims: one per process (a node).
    let node: String
    private let runner: Task<Void, Never>
    /// How long a node holds the mail it took (`dueMail`) before others may send it: longer than a send's timeout.
    static let outboxLeaseMilliseconds: Int64 = 5 * 60 * 1000
    /// Rows per multi-row statement.
    static let insertChunk = 1000
    /// The advisory lock under which migrations run (any constant; "hemicycl" in ASCII).
    static let migrationLock = 0x68656d6963_79636c

    private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger) {
        self.client = client
        self.runner = runner
        self.logger = logger
        self.node = UUID().uuidString
    }

    /// Connects to `url` with a pool of at most `poolSize` connections and checks that commits are durable.
    /// - Throws: `StoreError(.unavailable)` when the server cannot be reached within `connectTimeout` or refuses the
    ///   login, or when `synchronous_commit` cannot be on.
    public static func open(url: PostgresURL, poolSize: Int = 10, connectTimeout: Duration = .seconds(15), logger: Logger) async throws -> PostgresStore {
        var configuration = try url.clientConfiguration()
        // Two at least: a scheduled job holds one for its lock (`exclusively`) while its work uses another.
        configuration.options.maximumConnections = max(2, poolSize)
        configuration.options.minimumConnections = 0
        // Every session commits durably, whatever the server's default (a signature is acknowledged after its commit).
        configuration.options.additionalStartupParameters = [("synchronous_commit", "on"), ("application_name", "hemicycle")]
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        let store = PostgresStore(client: client, runner: runner, logger: logger)
        do {
            try await store.checkServer(within: connectTimeout, url: url)
        } catch {
            runner.cancel()
            throw error
        }
        return store
    }

    /// Connects, and refuses a session without durable commits; warns loudly about a server without `fsync`.
    private func checkServer(within timeout: Duration, url: PostgresURL) async throws {
        let settings: [SQLRow]
        do {
            settings = try await withThrowingTaskGroup(of: [SQLRow]?.self) { group in
                group.addTask { try await self.read("SELECT current_setting('synchronous_commit') AS sync, current_setting('fsync') AS fsync") }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let first else { throw StoreError(.unavailable, "no answer within \(timeout)") }
                return first
            }
        } catch {
            throw StoreError(.unavailable, "Cannot connect to the PostgreSQL database at \(url): \(PostgresErrors.message(error))")
        }
        let sync = settings.first?.string("sync") ?? "?"
        guard sync != "off" else {
            throw StoreError(.unavailable, "PostgreSQL runs this session with synchronous_commit=off: commits would be acknowledged before they are durable. Turn it on.")
        }
        if settings.first?.string("fsync") == "off" {
            logger.critical("the PostgreSQL server runs with fsync=off: a crash of its machine can lose acknowledged signatures; never run a parliament so")
        }
    }

    // MARK: - Connections

    /// Runs `body` in one transaction on one pooled connection: committed when it returns, rolled back when it throws
    /// (the error is rethrown as it is).
    func inTransaction<T: Sendable>(_ body: (SQLConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await client.withConnection { connection in
            let db = SQLConnection(connection: connection, logger: logger)
            try await db.query("BEGIN")
            let value: T
            do {
                value = try await body(db)
            } catch {
                _ = try? await db.query("ROLLBACK")
                throw error
            }
            try await db.query("COMMIT")
            return value
        }
    }

    /// Runs `body`, which sends ONE writing statement (its own transaction: no `BEGIN`/`COMMIT`; reads may precede it), on one pooled
    /// connection, and returns once that statement's commit is durable. postgres-nio reports a statement done at its
    /// `CommandComplete`, which the server sends before it commits an implicit transaction (at the `Sync` that follows);
    /// the `SELECT 1` sent next on the connection goes out only after the `ReadyForQuery` that follows the commit, and
    /// fails if the commit did. Two round trips instead of the three of `BEGIN`, the statement and `COMMIT`.
    func inOneStatement<T: Sendable>(_ body: (SQLConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await client.withConnection { connection in
            let db = SQLConnection(connection: connection, logger: logger)
            let value = try await body(db)
            try await db.query("SELECT 1")
            return value
        }
    }

    /// Runs a read on any pooled connection.
    func read(_ sql: String, _ values: [SQLValue] = []) async throws -> [SQLRow] {
        let logger = self.logger
        return try await client.withConnection { connection in
            try await SQLConnection(connection: connection, logger: logger).query(sql, values)
        }
    }

    // MARK: - Schema

    public func migrate() async throws {
        try await migrate(through: nil)
    }

    /// The newest schema version applied (0 for an empty database).
    public func schemaVersion() async throws -> Int {
        let present = try await read("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'schema_migrations' AND schemaname = current_schema()").first?.int("n") ?? 0
        guard present > 0 else { return 0 }
        return try await read("SELECT COALESCE(max(version), 0) AS v FROM schema_migrations").first?.int("v") ?? 0
    }

    /// The newest schema version this server knows.
    public static var latestSchemaVersion: Int { PostgresMigrations.latest }

    /// Applies the migrations not applied yet, up to `version` (all when nil), each in its own transaction under an
    /// advisory lock (nodes starting together apply each once). Refuses a schema newer than this server knows before
    /// changing anything.
    func migrate(through version: Int?) async throws {
        let applied = try await inTransaction { db -> [Int] in
            try await db.query("SELECT pg_advisory_xact_lock(?)", [.int(Self.migrationLock)])
            try await db.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
            let versions = try await db.query("SELECT version FROM schema_migrations").compactMap { $0.int("version") }
            if let newest = versions.max(), newest > PostgresMigrations.latest {
                throw StoreError(
                    .corrupt, "The database has schema version \(newest), newer than this server knows (\(PostgresMigrations.latest)); upgrade the server.")
            }
            var done: [Int] = []
            for migration in PostgresMigrations.all where !versions.contains(migration.version) && migration.version <= (version ?? Int.max) {
                for statement in migration.statements { try await db.query(statement) }
                try await db.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, (extract(epoch FROM now()) * 1000)::bigint)",
                    [.int(migration.version), .text(migration.name)])
                done.append(migration.version)
            }
            return done
        }
        for version in applied {
            logger.info("applied migration", metadata: ["version": "\(version)", "store": "postgres"])
        }
    }

    public func seedDemoIfEmpty(_ demo: DemoContent) async throws -> Bool {
        try await inTransaction { db in
            // Two nodes starting on an empty database seed once.
            try await db.query("LOCK TABLE petitions, sittings IN SHARE ROW EXCLUSIVE MODE")
            let petitions = try await db.query("SELECT COUNT(*) AS n FROM petitions").first?.int("n") ?? 0
            let sittings = try await db.query("SELECT COUNT(*) AS n FROM sittings").first?.int("n") ?? 0
            guard petitions == 0, sittings == 0 else { return false }
            let p = demo.petition
            let response = p.thresholds.first { $0.name == "response" }?.signatures ?? 10_000
            let debate = p.thresholds.first { $0.name == "debate" }?.signatures ?? 100_000
            try await db.query(
                """
                INSERT INTO petitions (id, action, background, additional_details, state, signature_count, creator_name,
                    created_at, updated_at, opened_at, closed_at, closing_at, response_threshold, debate_threshold, search_text)
                VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .id(p.id.rawValue), .text(p.action), .text(p.background), .text(p.additionalDetails), .text(p.state.rawValue),
                    .text(p.creatorName), .ms(p.createdAt), .ms(p.updatedAt), .ms(p.openedAt), .ms(p.closedAt), .ms(p.closingAt),
                    .int(response), .int(debate),
                    .text(PetitionQuery.searchText(action: p.action, background: p.background, additionalDetails: p.additionalDetails)),
                ]
            )
            let s = demo.sitting
            try await db.query(
                "INSERT INTO sittings (id, \(Self.sittingWriteColumns)) VALUES (?, \(Self.sittingWritePlaceholders))", [.id(s.id.rawValue)] + Self.sittingBinds(s))
            try await Self.advanceSequences(of: ["petitions", "sittings"], db)
            return true
        }
    }

    /// Moves the id sequences of `tables` past their largest id (after rows were stored with explicit ids).
    static func advanceSequences(of tables: [String], _ db: SQLConnection) async throws {
        for table in tables where PostgresMigrations.identityTables.contains(table) {
            // The table name is one of the schema's own (checked above), never input.
            try await db.query(
                "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), GREATEST((SELECT COALESCE(max(id), 0) FROM \(table)), 1), (SELECT count(*) > 0 FROM \(table)))")
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
        try await read("SELECT \(Self.petitionColumns) FROM petitions WHERE id = ?", [.id(id.rawValue)]).first.map(Self.petition(from:))
    }

    public func petitions(_ query: PetitionQuery, limit: Int, offset: Int) async throws -> [Petition] {
        guard !query.states.isEmpty, PetitionQuery.clamped(limit) > 0 else { return [] }
        let (condition, binds) = Self.whereClause(query)
        return try await read(
            "SELECT \(Self.petitionColumns) FROM petitions WHERE \(condition) ORDER BY \(Self.orderClause(query.order)) LIMIT ? OFFSET ?",
            binds + [.int(PetitionQuery.clamped(limit)), .int(max(0, offset))]
        ).map(Self.petition(from:))
    }

    public func countPetitions(_ query: PetitionQuery) async throws -> Int {
        guard !query.states.isEmpty else { return 0 }
        let (condition, binds) = Self.whereClause(query)
        return try await read("SELECT COUNT(*) AS n FROM petitions WHERE \(condition)", binds).first?.int("n") ?? 0
    }

    /// The SQL of `PetitionQuery.matches` (the state first: the indexes start with it).
    static func whereClause(_ query: PetitionQuery) -> (String, [SQLValue]) {
        var conditions = ["state = ANY(?)"]
        var binds: [SQLValue] = [.texts(query.states.map(\.rawValue).sorted())]
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
            conditions.append("strpos(search_text, ?) > 0")
            binds.append(.text(word))
        }
        if let below = query.idBelow {
            conditions.append("id < ?")
            binds.append(.id(below.rawValue))
        }
        if let above = query.idAbove {
            conditions.append("id > ?")
            binds.append(.id(above.rawValue))
        }
        return (conditions.joined(separator: " AND "), binds)
    }

    /// The SQL of `PetitionQuery.precedes` (PostgreSQL sorts NULL highest: `NULLS LAST` puts never-opened petitions last).
    static func orderClause(_ order: PetitionQuery.Order) -> String {
        switch order {
        case .mostSignatures: "signature_count DESC, id DESC"
        case .newest: "id DESC"
        case .oldest: "id ASC"
        case .lastOpened: "opened_at DESC NULLS LAST, id DESC"
        case .lastThresholdReached:
            "GREATEST(COALESCE(response_threshold_reached_at, -1), COALESCE(debate_threshold_reached_at, -1)) DESC, id DESC"
        case .lastGovernmentResponse: "((government_response::jsonb) ->> 'updated_at')::bigint DESC NULLS LAST, id DESC"
        }
    }

    public func sitting(_ id: Sitting.ID) async throws -> Sitting? {
        try await read("SELECT \(Self.sittingColumns) FROM sittings WHERE id = ?", [.id(id.rawValue)]).first.map { try Self.sitting(from: $0) }
    }

    public func sittings() async throws -> [Sitting] {
        try await read("SELECT \(Self.sittingColumns) FROM sittings ORDER BY scheduled_start, id").map { try Self.sitting(from: $0) }
    }

    public func sittings(in states: Set<SittingState>, limit: Int) async throws -> [Sitting] {
        guard !states.isEmpty, limit > 0 else { return [] }
        return try await read(
            "SELECT \(Self.sittingColumns) FROM sittings WHERE state = ANY(?) ORDER BY scheduled_start, id LIMIT ?",
            [.texts(states.map(\.rawValue).sorted()), .int(limit)]
        ).map { try Self.sitting(from: $0) }
    }

    public func storedSignatureCount(_ id: Petition.ID) async throws -> Int {
        try await read("SELECT COUNT(*) AS n FROM signatures WHERE petition_id = ? AND state = 'counted'", [.id(id.rawValue)]).first?.int("n") ?? 0
    }

    static func petition(from row: SQLRow) throws -> Petition {
        func int(_ name: String) throws -> Int {
            guard let value = row.int(name) else { throw StoreError(.corrupt, "petitions.\(name) is missing") }
            return value
        }
        guard let stateText = row.string("state"), let state = PetitionState(rawValue: stateText) else {
            throw StoreError(.corrupt, "petitions.state is not a known state")
        }
        var petition = Petition(
            id: Petition.ID(Int64(try int("id"))), action: row.string("action") ?? "", background: row.string("background") ?? "",
            additionalDetails: row.string("additional_details") ?? "", state: state, signatureCount: try int("signature_count"),
            creatorName: row.string("creator_name"), createdAt: row.time("created_at") ?? Timestamp(millisecondsSince1970: 0),
            updatedAt: row.time("updated_at") ?? Timestamp(millisecondsSince1970: 0), openedAt: row.time("opened_at"), closedAt: row.time("closed_at"),
            closingAt: row.time("closing_at"),
            thresholds: [
                Threshold(name: "response", signatures: try int("response_threshold"), reachedAt: row.time("response_threshold_reached_at")),
                Threshold(name: "debate", signatures: try int("debate_threshold"), reachedAt: row.time("debate_threshold_reached_at")),
            ]
        )
        petition.moderationThresholdReachedAt = row.time("moderation_threshold_reached_at")
        petition.rejectedAt = row.time("rejected_at")
        petition.hiddenAt = row.time("hidden_at")
        petition.abandonedAt = row.time("abandoned_at")
        petition.rejection = row.string("rejection_code").map { PetitionRejection(code: $0, details: row.string("rejection_details")) }
        petition.governmentResponse = StoredJSON.governmentResponse(row.string("government_response"))
        petition.debate = StoredJSON.debate(row.string("debate"))
        return petition
    }

    static let sittingColumns = "id, title, committee, state, scheduled_start, stream_url, stream_started_at, ended_at, agenda, witnesses, settings"

    /// A sitting from `row`, whose id and state may be read under other names (`id`, `state`: a join with questions).
    static func sitting(from row: SQLRow, id idColumn: String = "id", state stateColumn: String = "state") throws -> Sitting {
        guard let id = row.int64(idColumn), let stateText = row.string(stateColumn), let state = SittingState(rawValue: stateText),
            let start = row.time("scheduled_start")
        else { throw StoreError(.corrupt, "a sittings row is incomplete") }
        return Sitting(
            id: Sitting.ID(id), title: row.string("title") ?? "", committee: row.string("committee") ?? "", state: state, scheduledStart: start,
            streamURL: row.string("stream_url"), streamStartedAt: row.time("stream_started_at"), endedAt: row.time("ended_at"),
            agenda: StoredJSON.strings(row.string("agenda")), witnesses: StoredJSON.strings(row.string("witnesses")),
            settings: StoredJSON.settings(row.string("settings"))
        )
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }
}

extension PostgresStore {
    /// The first key of the advisory locks of scheduled jobs (the second is the hash of the job's name).
    static let jobLockSpace = 0x6865_6d69

    /// Runs `body` while this node holds the session advisory lock of `job` (`pg_try_advisory_lock`, on a connection
    /// kept for the purpose), or returns nil at once when another node holds it. A node that dies mid-job loses the
    /// lock with its connection. The lock's connection idles while `body` uses others (the pool has at least two).
    public func exclusively<T: Sendable>(_ job: String, _ body: () async throws -> T) async throws -> T? {
        let logger = self.logger
        return try await client.withConnection { connection in
            let db = SQLConnection(connection: connection, logger: logger)
            let got = try await db.query(
                "SELECT CASE WHEN pg_try_advisory_lock(?::int, hashtext(?)) THEN 1 ELSE 0 END AS got", [.int(Self.jobLockSpace), .text(job)]
            ).first?.int("got")
            guard got == 1 else { return nil }
            let value: T
            do {
                value = try await body()
            } catch {
                _ = try? await db.query("SELECT pg_advisory_unlock(?::int, hashtext(?))", [.int(Self.jobLockSpace), .text(job)])
                throw error
            }
            try await db.query("SELECT pg_advisory_unlock(?::int, hashtext(?))", [.int(Self.jobLockSpace), .text(job)])
            return value
        }
    }
}
