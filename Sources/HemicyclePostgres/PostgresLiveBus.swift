import Foundation
public import HemicycleCore
public import HemicycleStorage
public import Logging
import PostgresNIO

/// The shared event log of several nodes on PostgreSQL (`SharedEventLog`): `live_topics` (each topic's epoch, last
/// offset and peak viewers), `live_events` (the entries, numbered per topic), `live_presence` (each node's viewers per
/// topic) and the `NOTIFY` channel `hemicycle_live`. It has its own small pool (`connections`, one of which listens),
/// apart from the store's, so that a busy store never delays a wake-up.
///
/// Offsets: `append` takes the topic's row lock (`UPDATE live_topics … RETURNING`) and inserts the entry in the same
/// transaction, so a topic's offsets are committed in order, without holes (a rolled-back append takes its offset
/// back). A petition's count is read in a statement after that lock is taken, so a later offset never carries an
/// older count. Its tables are the bus's own (history, not a parliament's records), created if missing under an
/// advisory lock, outside the store's migrations.
public final class PostgresLiveBus: SharedEventLog {
    public let node: String
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>
    /// The channel every node listens on.
    static let channel = "hemicycle_live"
    /// The advisory lock under which the tables are created ("hemilive" in ASCII).
    static let prepareLock = 0x68656d_696c697665
    /// Connections of the bus per node: one listens, the others append, read and report.
    public static let connections = 3

    private init(client: PostgresClient, runner: Task<Void, Never>, node: String, logger: Logger) {
        self.client = client
        self.runner = runner
        self.node = node
        self.logger = logger
    }

    /// Connects the bus's pool to `url` (the store's database). `node` names this process in the log.
    public static func open(url: PostgresURL, node: String? = nil, logger: Logger) async throws -> PostgresLiveBus {
        var configuration = try url.clientConfiguration()
        configuration.options.maximumConnections = connections
        configuration.options.minimumConnections = 0
        configuration.options.additionalStartupParameters = [("synchronous_commit", "on"), ("application_name", "hemicycle-bus")]
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        let name = node ?? "\(ProcessInfo.processInfo.hostName.prefix(40))-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        return PostgresLiveBus(client: client, runner: runner, node: name, logger: logger)
    }

    private func withConnection<T: Sendable>(_ body: (SQLConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await client.withConnection { try await body(SQLConnection(connection: $0, logger: logger)) }
    }

    private func inTransaction<T: Sendable>(_ body: (SQLConnection) async throws -> T) async throws -> T {
        try await withConnection { db in
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

    public func prepare() async throws {
        try await inTransaction { db in
            try await db.query("SELECT pg_advisory_xact_lock(?)", [.int(Self.prepareLock)])
            try await db.query("""
                CREATE TABLE IF NOT EXISTS live_topics (
                    topic TEXT PRIMARY KEY, epoch TEXT NOT NULL, last_offset BIGINT NOT NULL DEFAULT 0,
                    peak_viewers BIGINT NOT NULL DEFAULT 0)
                """)
            try await db.query("""
                CREATE TABLE IF NOT EXISTS live_events (
                    topic TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL, event TEXT NOT NULL, data TEXT NOT NULL,
                    snapshot_mode TEXT NOT NULL, snapshot TEXT, node TEXT NOT NULL, created_ms BIGINT NOT NULL,
                    PRIMARY KEY (topic, seq))
                """)
            try await db.query("CREATE INDEX IF NOT EXISTS live_events_created ON live_events (created_ms)")
            try await db.query("""
                CREATE TABLE IF NOT EXISTS live_presence (
                    topic TEXT NOT NULL, node TEXT NOT NULL, viewers BIGINT NOT NULL, reported_ms BIGINT NOT NULL,
                    PRIMARY KEY (topic, node))
                """)
        }
    }

    /// A new topic's epoch: random, so that a topic created again after its rows were lost is not confused with the old.
    private static let newEpoch = "substr(md5(random()::text || clock_timestamp()::text), 1, 10)"
    private static let nowMilliseconds = "(extract(epoch from clock_timestamp()) * 1000)::bigint"

    public func positions(of topics: [Topic]) async throws -> [Topic: ResumePosition] {
        guard !topics.isEmpty else { return [:] }
        let names = topics.map(\.description)
        return try await withConnection { db in
            try await db.query(
                "INSERT INTO live_topics (topic, epoch) SELECT t, \(Self.newEpoch) FROM unnest(?::text[]) AS t ON CONFLICT (topic) DO NOTHING",
                [.texts(names)])
            var positions: [Topic: ResumePosition] = [:]
            for row in try await db.query("SELECT topic, epoch, last_offset FROM live_topics WHERE topic = ANY(?::text[])", [.texts(names)]) {
                guard let topic = row.string("topic").flatMap(Topic.init), let epoch = row.string("epoch") else { continue }
                positions[topic] = ResumePosition(epoch: epoch, offset: UInt64(max(0, row.int("last_offset") ?? 0)))
            }
            return positions
        }
    }

    public func append(_ drafts: [BusDraft]) async throws -> [BusEntry] {
        guard !drafts.isEmpty else { return [] }
        let node = self.node
        return try await inTransaction { db in try await Self.append(drafts, node: node, on: db) }
    }

    /// Appends `drafts` on `db`, inside the caller's transaction (the bus's own, or an action's: the store's outbox),
    /// numbering each under its topic's row lock, held until that transaction ends.
    static func append(_ drafts: [BusDraft], node: String, on db: SQLConnection) async throws -> [BusEntry] {
        var entries: [BusEntry] = []
        for draft in drafts {
            let topic = draft.topic.description
            var numbered = try await db.query("UPDATE live_topics SET last_offset = last_offset + 1 WHERE topic = ? RETURNING last_offset", [.text(topic)])
            if numbered.isEmpty {
                try await db.query("INSERT INTO live_topics (topic, epoch) VALUES (?, \(Self.newEpoch)) ON CONFLICT (topic) DO NOTHING", [.text(topic)])
                numbered = try await db.query("UPDATE live_topics SET last_offset = last_offset + 1 WHERE topic = ? RETURNING last_offset", [.text(topic)])
            }
            guard let offset = numbered.first?.int("last_offset") else { throw StoreError(.unavailable, "no offset for \(topic)") }
            // A separate statement after the lock: it reads the count as committed after every earlier offset.
            let data: JSONValue
            switch draft.data {
            case .value(let value):
                data = value
            case .petitionCount(let id):
                let count = try await db.query("SELECT signature_count FROM petitions WHERE id = ?", [.id(id.rawValue)]).first?.int("signature_count") ?? 0
                data = .object([("signature_count", .int(Int64(count)))])
            }
            let (mode, snapshot): (String, JSONValue?) = switch draft.snapshot {
            case .mergeData: ("data", nil)
            case .patch(let patch): ("patch", patch)
            case .replace(let whole): ("replace", whole)
            }
            try await db.query(
                """
                INSERT INTO live_events (topic, seq, kind, event, data, snapshot_mode, snapshot, node, created_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, \(Self.nowMilliseconds))
                """,
                [.text(topic), .int(offset), .text(draft.kind.rawValue), .text(draft.name), .text(JSONWriter.string(data)), .text(mode),
                 .text(snapshot.map(JSONWriter.string)), .text(node)])
            entries.append(BusEntry(topic: draft.topic, offset: UInt64(offset), kind: draft.kind, name: draft.name, data: data,
                                    snapshot: draft.snapshot, node: node))
        }
        return entries
    }

    public func entries(after offsets: [Topic: UInt64]) async throws -> SharedEventLogRead {
        guard !offsets.isEmpty else { return SharedEventLogRead(entries: [], epochs: [:], lost: []) }
        let pairs = offsets.sorted { $0.key.description < $1.key.description }
        // One query: each topic's epoch and last offset, with its entries after the offset (none: one row of NULLs).
        let rows = try await withConnection { db in
            try await db.query(
                """
                SELECT c.topic, c.after, t.epoch, t.last_offset, e.seq, e.kind, e.event, e.data, e.snapshot_mode, e.snapshot, e.node
                FROM unnest(?::text[], ?::bigint[]) AS c(topic, after)
                JOIN live_topics t ON t.topic = c.topic
                LEFT JOIN live_events e ON e.topic = c.topic AND e.seq > c.after
                ORDER BY c.topic, e.seq
                """,
                [.texts(pairs.map(\.key.description)), .ints(pairs.map { Int(clamping: $0.value) })])
        }
        var read = SharedEventLogRead(entries: [], epochs: [:], lost: [])
        var first: [Topic: Int] = [:]
        var last: [Topic: (after: Int, last: Int)] = [:]
        for row in rows {
            guard let topic = row.string("topic").flatMap(Topic.init), let epoch = row.string("epoch") else { continue }
            read.epochs[topic] = epoch
            last[topic] = (row.int("after") ?? 0, row.int("last_offset") ?? 0)
            guard let seq = row.int("seq"), let kind = row.string("kind").flatMap(BusEntry.Kind.init(rawValue:)) else { continue }
            if first[topic] == nil { first[topic] = seq }
            // Keys as written: a frame sent from the log has the bytes of the same frame sent on one node.
            let data = (try? JSONValue.parse(Array((row.string("data") ?? "{}").utf8), keys: .asWritten)) ?? .object([])
            let snapshotText = row.string("snapshot").flatMap { try? JSONValue.parse(Array($0.utf8), keys: .asWritten) }
            let change: BusEntry.SnapshotChange = switch (row.string("snapshot_mode"), snapshotText) {
            case ("patch", let patch?): .patch(patch)
            case ("replace", let whole?): .replace(whole)
            default: .mergeData
            }
            read.entries.append(BusEntry(topic: topic, offset: UInt64(seq), kind: kind, name: row.string("event") ?? "", data: data,
                                         snapshot: change, node: row.string("node") ?? ""))
        }
        for (topic, position) in last where position.last > position.after && first[topic] != position.after + 1 {
            // Pruned past this node's offset: what it missed is gone.
            read.lost.insert(topic)
            read.entries.removeAll { $0.topic == topic }
        }
        return read
    }

    public func notify(_ notice: BusNotice) async throws {
        try await withConnection { db in
            try await db.query("SELECT pg_notify(?, ?)", [.text(Self.channel), .text(notice.payload())])
        }
    }

    public func listen(onListening: @Sendable () async -> Void, _ onNotice: @Sendable (BusNotice) async -> Void) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: Self.channel) { notices in
                await onListening()
                for try await notification in notices { await onNotice(BusNotice(payload: notification.payload)) }
            }
        }
        // The sequence ended without an error: the connection is gone all the same.
        throw StoreError(.unavailable, "the listening connection closed")
    }

    public func reportPresence(_ viewers: [Topic: Int], expiryMilliseconds: Int64) async throws -> [Topic: PresenceTally] {
        let node = self.node
        let reported = viewers.sorted { $0.key.description < $1.key.description }
        return try await withConnection { db in
            if !reported.isEmpty {
                try await db.query(
                    """
                    INSERT INTO live_presence (topic, node, viewers, reported_ms)
                    SELECT t, ?, v, \(Self.nowMilliseconds) FROM unnest(?::text[], ?::bigint[]) AS x(t, v)
                    ON CONFLICT (topic, node) DO UPDATE SET viewers = EXCLUDED.viewers, reported_ms = EXCLUDED.reported_ms
                    """,
                    [.text(node), .texts(reported.map(\.key.description)), .ints(reported.map(\.value))])
            }
            // Reports of nodes gone for long are of no use to anyone.
            try await db.query("DELETE FROM live_presence WHERE reported_ms < \(Self.nowMilliseconds) - 3600000")
            let rows = try await db.query("""
                SELECT p.topic, p.node, p.viewers, p.reported_ms, \(Self.nowMilliseconds) AS now_ms, COALESCE(t.peak_viewers, 0) AS peak
                FROM live_presence p LEFT JOIN live_topics t ON t.topic = p.topic
                """)
            var reports: [Topic: [PresenceTally.Report]] = [:]
            var peaks: [Topic: Int] = [:]
            var now: Int64 = 0
            for row in rows {
                guard let topic = row.string("topic").flatMap(Topic.init) else { continue }
                now = row.int64("now_ms") ?? now
                peaks[topic] = row.int("peak") ?? 0
                reports[topic, default: []].append(.init(node: row.string("node") ?? "", viewers: row.int("viewers") ?? 0, at: row.int64("reported_ms") ?? 0))
            }
            var tallies: [Topic: PresenceTally] = [:]
            for (topic, list) in reports {
                tallies[topic] = PresenceTally.tally(list, now: now, expiry: expiryMilliseconds, knownPeak: peaks[topic] ?? 0)
            }
            let raised = tallies.filter { $0.value.peak > (peaks[$0.key] ?? 0) }.sorted { $0.key.description < $1.key.description }
            if !raised.isEmpty {
                try await db.query(
                    """
                    UPDATE live_topics t SET peak_viewers = GREATEST(t.peak_viewers, x.p)
                    FROM unnest(?::text[], ?::bigint[]) AS x(topic, p) WHERE t.topic = x.topic
                    """,
                    [.texts(raised.map(\.key.description)), .ints(raised.map(\.value.peak))])
            }
            return tallies
        }
    }

    @discardableResult
    public func prune(keep: Int, olderThanMilliseconds: Int64) async throws -> Int {
        try await withConnection { db in
            let rows = try await db.query(
                """
                WITH gone AS (
                    DELETE FROM live_events e USING live_topics t
                    WHERE e.topic = t.topic AND (e.seq <= t.last_offset - ? OR e.created_ms < \(Self.nowMilliseconds) - ?)
                    RETURNING 1)
                SELECT count(*) AS n FROM gone
                """,
                [.int(keep), .int(Int(olderThanMilliseconds))])
            return rows.first?.int("n") ?? 0
        }
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }
}
