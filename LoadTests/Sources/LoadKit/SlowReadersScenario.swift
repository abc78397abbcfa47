import Foundation

/// `slow-readers`: a sustained run with every viewer reading, then the same run after every `every`-th viewer stops
/// reading; the others' latency in both, and the server's RSS sampled throughout (it must stay bounded).
public struct SlowReadersScenario: Sendable {
    public var every: Int
    public var rate: Double
    public var seconds: Double

    public init(every: Int, rate: Double, seconds: Double) {
        self.every = every
        self.rate = rate
        self.seconds = seconds
    }

    public func run(_ options: ScenarioOptions) async throws -> Report {
        let run = try ScenarioRun(options: options)
        var report = Report(scenario: "slow-readers", label: options.label, parameters: options.baseParameters)
        report.parameters["slow_share"] = "1/\(every)"
        report.parameters["rate"] = Report.format(rate)
        report.parameters["seconds"] = Report.format(seconds)
        let (connectSeconds, stats) = try await run.connectViewers()
        report.add("connect and subscribe", connectSeconds, "s")
        run.addFleet(stats, to: &report)
        let triggerer = try await run.triggerer(name: "slow")
        try await run.warmUp(triggerer)

        let sampler = RSSSampler(run: run)
        let sampling = Task { await sampler.sample(everyMs: 500) }

        try await run.clearLogs()
        let baseline = try await run.sustained(triggerer, rate: rate, seconds: seconds)
        if let last = baseline.last { try await run.awaitViewers(last.value) }
        let before = DeliveryAnalysis(logs: try await run.frameLogs().logs, triggers: baseline)
        let rssBefore = run.serverRSS()

        let stopped = try await run.pool!.ask(WorkerCommand("stop_reading", every: every), expecting: "stopped_reading")
        try await run.clearLogs()
        let loaded = try await run.sustained(triggerer, rate: rate, seconds: seconds)
        if let last = loaded.last { try await run.awaitViewers(last.value) }
        let (logs, end) = try await run.frameLogs()
        let after = DeliveryAnalysis(logs: logs, triggers: loaded)
        let rssAfter = run.serverRSS()
        sampling.cancel()
        _ = await sampling.value

        report.add("slow viewers", Double(stopped.compactMap(\.count).reduce(0, +)))
        report.add("all reading latency", before.overall)
        report.add("others latency", after.overall)
        report.add("others p99 / all-reading p99", before.overall.p99 > 0 ? after.overall.p99 / before.overall.p99 : 0, "x")
        report.add("others delivered", Double(after.delivered))
        report.add("others expected", Double(after.expected))
        if let rssBefore, let rssAfter {
            report.add("server RSS before slow readers", Double(rssBefore), "KiB")
            report.add("server RSS at the end", Double(rssAfter), "KiB")
            report.add("server RSS max", Double(await sampler.samples.map { $0[1] }.max() ?? 0), "KiB")
        }
        report.rssSamples = await sampler.samples
        run.addFleet(end, to: &report, at: "end")
        await triggerer.close()
        await run.finish()
        return report
    }
}

/// Samples the server's RSS until cancelled.
actor RSSSampler {
    let run: ScenarioRun
    private(set) var samples: [[Double]] = []

    init(run: ScenarioRun) {
        self.run = run
    }

    func sample(everyMs: UInt64) async {
        while !Task.isCancelled {
            if let rss = run.serverRSS() { samples.append([run.secondsSinceStart(), Double(rss)]) }
            try? await Task.sleep(nanoseconds: everyMs * 1_000_000)
        }
    }
}
