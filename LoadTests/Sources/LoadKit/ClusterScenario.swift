import Histogram
import NIOCore

/// `cluster`: viewers on k nodes, one port each (Hemicycle: k `hemicycle serve` on one PostgreSQL; a peer: k independent
/// processes of it), count changes in rounds, each awaited by every viewer on every node. Hemicycle signs on one node
/// only (`triggerPort`, the first node by default): the change reaches the other nodes through the shared event log.
/// A peer has no bus: each of its k processes gets its own trigger, all sent at the same moment, so the ratio of the
/// two shows what the bus costs. Delay from the trigger to each viewer, over every node and per node.
///
/// Cross-node latency alone: viewers on node 2 only (`ports` = node 2) and `triggerPort` = node 1.
public struct ClusterScenario: Sendable {
    /// The nodes' ports, where the viewers connect (`viewers` on each).
    public var ports: [Int]
    /// Hemicycle: where the signatures go (default: the first of `ports`).
    public var triggerPort: Int?
    public var rounds: Int
    public var gapMs: Int

    public init(ports: [Int], triggerPort: Int?, rounds: Int, gapMs: Int) {
        self.ports = ports
        self.triggerPort = triggerPort
        self.rounds = rounds
        self.gapMs = gapMs
    }

    public func run(_ options: ScenarioOptions) async throws -> Report {
        precondition(!ports.isEmpty, "at least one node")
        // One run per node, each with its viewers and its own share of the source addresses (more than ~28,000 client
        // sockets need several).
        var runs: [ScenarioRun] = []
        for (index, port) in ports.enumerated() {
            var node = options
            node.port = port
            node.sources = Self.share(options.sources, index, of: ports.count)
            runs.append(try ScenarioRun(options: node))
        }
        var report = Report(scenario: "cluster", label: options.label, parameters: options.baseParameters)
        report.parameters["nodes"] = String(ports.count)
        report.parameters["ports"] = ports.map(String.init).joined(separator: ",")
        report.parameters["viewers_per_node"] = String(options.viewers)
        report.parameters["rounds"] = String(rounds)
        var slowest = 0.0
        var stats: [FleetStats] = []
        for run in runs {
            let (seconds, fleet) = try await run.connectViewers()
            slowest = max(slowest, seconds)
            stats.append(fleet)
        }
        report.add("connect and subscribe (slowest node)", slowest, "s")
        runs[0].addFleet(FleetStats.merged(stats), to: &report)

        // Hemicycle: one signer, on the trigger node. Peers: one trigger connection per process.
        var triggerers: [Triggerer] = []
        var signer: ScenarioRun?
        switch options.kind {
        case .hemicycle:
            var target = options
            target.port = triggerPort ?? ports[0]
            let run = try ScenarioRun(options: target)
            signer = run
            triggerers = [try await run.triggerer(name: "cluster")]
            let warm = try await triggerers[0].fire()
            let value = try runs[0].value(of: warm, numbered: false) ?? 0
            try await Self.awaitAll(runs, value, timeoutMs: 30_000)
        case .peer:
            for run in runs {
                let triggerer = try await run.triggerer(name: "cluster")
                try await run.warmUp(triggerer)
                triggerers.append(triggerer)
            }
        }

        for run in runs { try await run.clearLogs() }
        // Per node: each round's trigger (its send time, the value that includes it).
        var triggers: [[DeliveryAnalysis.Trigger]] = Array(repeating: [], count: runs.count)
        var late = 0
        for _ in 0..<rounds {
            switch options.kind {
            case .hemicycle:
                let record = try await triggerers[0].fire()
                guard let value = try runs[0].value(of: record) else { continue }
                for index in runs.indices { triggers[index].append(.init(sentAt: record.sentAt, value: value)) }
                late += try await Self.awaitAll(runs, value)
            case .peer:
                // Sent back to back (microseconds apart), then awaited: the processes work at the same moment.
                let pending = triggerers.map { $0.send() }
                var values: [Int64] = []
                for (index, future) in pending.enumerated() {
                    let record = try await future.get()
                    let value = try runs[index].value(of: record) ?? 0
                    triggers[index].append(.init(sentAt: record.sentAt, value: value))
                    values.append(value)
                }
                let reached = values
                late += try await withThrowingTaskGroup(of: Int.self) { group in
                    for (index, run) in runs.enumerated() { group.addTask { try await run.awaitViewers(reached[index]) } }
                    return try await group.reduce(0, +)
                }
            }
            try await Task.sleep(nanoseconds: UInt64(gapMs) * 1_000_000)
        }

        // Every node's logs on one numbering (a peer's processes each count from their own start): shifted by how far
        // each node's first value is from the first node's, with the earliest send time of each round.
        var allLogs: [FrameLog.ViewerLog] = []
        var common: [DeliveryAnalysis.Trigger] = triggers[0]
        for (index, run) in runs.enumerated() {
            let (logs, _) = try await run.frameLogs()
            let analysis = DeliveryAnalysis(logs: logs, triggers: triggers[index])
            report.add("node \(index + 1) latency", analysis.overall)
            let shift = (triggers[index].first?.value ?? 0) - (triggers[0].first?.value ?? 0)
            allLogs += logs.map { log in
                FrameLog.ViewerLog(slow: log.slow, frames: log.frames.map { FrameRecord(value: $0.value - shift, time: $0.time) })
            }
            for round in common.indices where round < triggers[index].count {
                common[round].sentAt = min(common[round].sentAt, triggers[index][round].sentAt)
            }
        }
        let overall = DeliveryAnalysis(logs: allLogs, triggers: common)
        report.add("rounds latency", overall.overall)
        report.add("rounds delivered", Double(overall.delivered))
        report.add("rounds expected", Double(overall.expected))
        if late > 0 { report.notes.append("\(late) viewer-rounds were not delivered within 10 s") }
        for triggerer in triggerers { await triggerer.close() }
        for run in runs { await run.finish() }
        await signer?.finish()
        return report
    }

    /// Waits on every node until its viewers hold `value`; how many were behind at the timeout.
    @discardableResult
    static func awaitAll(_ runs: [ScenarioRun], _ value: Int64, timeoutMs: Int = 10_000) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for run in runs { group.addTask { try await run.awaitViewers(value, timeoutMs: timeoutMs) } }
            return try await group.reduce(0, +)
        }
    }

    /// Node `index`'s share of the source addresses (all of them when there are fewer than nodes).
    static func share(_ sources: [String], _ index: Int, of count: Int) -> [String] {
        guard sources.count >= count, count > 1 else { return sources }
        let size = sources.count / count
        return Array(sources[(index * size)..<(index == count - 1 ? sources.count : (index + 1) * size)])
    }
}
