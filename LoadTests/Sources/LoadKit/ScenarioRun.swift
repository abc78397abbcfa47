import Foundation
import NIOHTTP1
import NIOCore
import NIOPosix

/// The pieces scenarios share: worker processes holding the viewers, a trigger connection, the server's RSS, and
/// numbering the peers' triggers.
public final class ScenarioRun: @unchecked Sendable {
    public let options: ScenarioOptions
    public let group: MultiThreadedEventLoopGroup
    public private(set) var pool: WorkerPool?
    public let logDirectory: String
    /// Peers: the count value of the warm-up broadcast; trigger k after it carries base + k.
    private var peerBase: Int64 = 0
    private var peerTriggers: Int64 = 0
    public let started = MonotonicClock.nanos()

    public init(options: ScenarioOptions) throws {
        self.options = options
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        logDirectory = NSTemporaryDirectory() + "hemicycle-load-\(getpid())"
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
    }

    /// The server's resident memory (KiB, with its child processes), or nil without `--server-pid`.
    public func serverRSS() -> Int? {
        options.serverPID.flatMap(ProcessTreeUsage.residentKiB(of:))
    }

    /// CPU seconds the server has used so far (with its child processes), or nil without `--server-pid`.
    public func serverCPU() -> Double? {
        options.serverPID.flatMap(ProcessTreeUsage.cpuSeconds(of:))
    }

    /// Starts the worker processes and waits until every viewer is subscribed (or failed for good).
    /// Returns the seconds it took and the merged counters.
    /// With `rejoin`, viewers whose server goes away reconnect on their own with that backoff (the `crash` scenario).
    public func connectViewers(rejoin: ReconnectBackoff? = nil) async throws -> (seconds: Double, stats: FleetStats) {
        let pool = try WorkerPool(options: .init(
            host: options.host, port: options.port, kind: options.kind, topic: options.topic,
            viewers: options.viewers, viewersPerProcess: options.viewersPerProcess, sources: options.sources,
            maxInFlight: options.maxInFlight, rejoin: rejoin))
        self.pool = pool
        let events = try await pool.collect("ready")
        let seconds = (events.compactMap(\.ms).max() ?? 0) / 1000
        return (seconds, FleetStats.merged(events.compactMap(\.stats)))
    }

    /// `connectViewers`, with the connect time and the fleet's counters added to `report`.
    public func connectViewers(reporting report: inout Report, rejoin: ReconnectBackoff? = nil) async throws
        -> (seconds: Double, stats: FleetStats)
    {
        let (seconds, stats) = try await connectViewers(rejoin: rejoin)
        report.add("connect and subscribe", seconds, "s")
        addFleet(stats, to: &report)
        return (seconds, stats)
    }

    public func triggerer(name: String) async throws -> Triggerer {
        try await Triggerer.connect(
            host: options.host, port: options.port, group: group, kind: options.kind, petition: options.petition, name: name)
    }

    /// Fires one trigger and waits until every reading viewer holds it; for the peers, learns the numbering.
    public func warmUp(_ triggerer: Triggerer) async throws {
        let record = try await triggerer.fire()
        let value = try value(of: record, numbered: false)
        _ = try await awaitViewers(value ?? 0, timeoutMs: 30_000)
        if options.kind == .peer {
            peerBase = try await pool!.stats().maxLastValue
            peerTriggers = 0
        }
    }

    /// The count value that includes `record`: Hemicycle's 201 `signature_count`, or the peers' next sequence number.
    public func value(of record: TriggerRecord, numbered: Bool = true) throws -> Int64? {
        switch options.kind {
        case .hemicycle:
            guard record.status == 201, let value = record.value else { throw ScenarioError.triggerFailed(record.status) }
            return value
        case .peer:
            guard record.status == 204 || record.status == 200 else { throw ScenarioError.triggerFailed(record.status) }
            guard numbered else { return nil }
            peerTriggers += 1
            return peerBase + peerTriggers
        }
    }

    /// Waits until every ready, reading viewer holds a count of at least `value`; returns how many were behind at the
    /// timeout (0 when all made it).
    @discardableResult
    public func awaitViewers(_ value: Int64, timeoutMs: Int = 10_000) async throws -> Int {
        let events = try await pool!.ask(WorkerCommand("await", value: value, timeoutMs: timeoutMs), expecting: "awaited")
        return events.compactMap(\.behind).reduce(0, +)
    }

    /// Fan-out rounds: each fires one trigger, waits until every reading viewer holds it (10 s at most), then pauses
    /// `gapMs`. Returns the triggers' records with their values, and how many viewer-rounds missed the 10 s.
    public func rounds(_ count: Int, gapMs: Int, _ triggerer: Triggerer) async throws
        -> (records: [(record: TriggerRecord, value: Int64)], late: Int)
    {
        var records: [(record: TriggerRecord, value: Int64)] = []
        var late = 0
        for _ in 0..<count {
            let record = try await triggerer.fire()
            guard let value = try value(of: record) else { continue }
            records.append((record, value))
            late += try await awaitViewers(value)
            try await Task.sleep(nanoseconds: UInt64(gapMs) * 1_000_000)
        }
        return (records, late)
    }

    /// Fires triggers on a fixed schedule (`rate` per second for `seconds`), open loop: each goes at its time whether
    /// or not the earlier ones were answered (they are pipelined on one connection, so the server sees them in
    /// order and the peers number them in order). Returns the triggers with their values.
    public func sustained(_ triggerer: Triggerer, rate: Double, seconds: Double) async throws -> [DeliveryAnalysis.Trigger] {
        var pending: [EventLoopFuture<TriggerRecord>] = []
        let start = MonotonicClock.nanos()
        let total = Int((rate * seconds).rounded())
        for index in 0..<total {
            let due = start + UInt64(Double(index) / rate * 1e9)
            let now = MonotonicClock.nanos()
            if due > now { try await Task.sleep(nanoseconds: due - now) }
            pending.append(triggerer.send())
        }
        var triggers: [DeliveryAnalysis.Trigger] = []
        for future in pending {
            let record = try await future.get()
            if let value = try value(of: record) { triggers.append(.init(sentAt: record.sentAt, value: value)) }
        }
        return triggers
    }

    public func clearLogs() async throws {
        _ = try await pool!.ask(WorkerCommand("clear"), expecting: "cleared")
    }

    public func frameLogs() async throws -> (logs: [FrameLog.ViewerLog], stats: FleetStats) {
        try await pool!.frameLogs(in: logDirectory)
    }

    /// `GET path` on a fresh connection; the body.
    public func get(_ path: String) async throws -> HTTPConnection.Response {
        let connection = try await HTTPConnection.connect(host: options.host, port: options.port, group: group)
        defer { Task { await connection.close() } }
        return try await connection.request(.GET, path)
    }

    public func finish() async {
        pool?.shutdown()
        try? FileManager.default.removeItem(atPath: logDirectory)
        try? await group.shutdownGracefully()
    }

    public func secondsSinceStart() -> Double {
        Double(MonotonicClock.nanos() - started) / 1e9
    }

    /// Adds the fleet's counters that every scenario reports.
    public func addFleet(_ stats: FleetStats, to report: inout Report, at moment: String = "") {
        let suffix = moment.isEmpty ? "" : " (\(moment))"
        report.add("viewers ready" + suffix, Double(stats.ready))
        report.add("viewers failed" + suffix, Double(stats.failed))
        report.add("connect retries" + suffix, Double(stats.retries))
        report.add("viewers dropped by server" + suffix, Double(stats.dropped))
        if !stats.closeCodes.isEmpty {
            report.notes.append("server close codes: " + stats.closeCodes.sorted { $0.key < $1.key }
                .map { "\($0.key)x\($0.value)" }.joined(separator: " "))
        }
        if stats.serverErrors > 0 { report.add("protocol errors seen", Double(stats.serverErrors)) }
    }
}

public enum ScenarioError: Error, CustomStringConvertible {
    case triggerFailed(Int)

    public var description: String {
        switch self {
        case .triggerFailed(let status): "a trigger was answered with HTTP \(status)"
        }
    }
}
