import Foundation

/// `slow-readers`: fan-out rounds with every viewer reading, then every `every`-th viewer stops reading and a burst
/// of changes at `rate` per second for `seconds` piles data up for them, then the same rounds again; the others'
/// latency in both sets of rounds, and the server's RSS sampled throughout (it must stay bounded).
///
/// Rounds (each awaited by every reading viewer) rather than a sustained rate measure the fan-out itself: at a
/// sustained rate the delay is dominated by where each change falls in the conflation schedule.
public struct SlowReadersScenario: Sendable {
    public var every: Int
    public var rate: Double
    public var seconds: Double
    public var rounds: Int

    public init(every: Int, rate: Double, seconds: Double, rounds: Int = 20) {
        self.every = every
        self.rate = rate
        self.seconds = seconds
        self.rounds = rounds
    }

    private func measuredRounds(_ run: ScenarioRun, _ triggerer: Triggerer) async throws -> DeliveryAnalysis {
        try await run.clearLogs()
        let triggers = try await run.rounds(rounds, gapMs: 200, triggerer).records.map {
            DeliveryAnalysis.Trigger(sentAt: $0.record.sentAt, value: $0.value)
        }
        return DeliveryAnalysis(logs: try await run.frameLogs().logs, triggers: triggers)
    }

    public func run(_ options: ScenarioOptions) async throws -> Report {
        let run = try ScenarioRun(options: options)
        var report = Report(scenario: "slow-readers", label: options.label, parameters: options.baseParameters)
        report.parameters["slow_share"] = "1/\(every)"
        report.parameters["rate"] = Report.format(rate)
        report.parameters["seconds"] = Report.format(seconds)
        report.parameters["rounds"] = String(rounds)
        _ = try await run.connectViewers(reporting: &report)
        let triggerer = try await run.triggerer(name: "slow")
        try await run.warmUp(triggerer)

        let sampler = RSSSampler(run: run)
        let sampling = Task { await sampler.sample(everyMs: 500) }

        let before = try await measuredRounds(run, triggerer)
        let rssBefore = run.serverRSS()

        let stopped = try await run.pool!.ask(WorkerCommand("stop_reading", every: every), expecting: "stopped_reading")
        let burst = try await run.sustained(triggerer, rate: rate, seconds: seconds)
        if let last = burst.last { try await run.awaitViewers(last.value) }
        // Let the burst's conflation schedule run out (Hemicycle books the next count a broadcast's duration ahead),
        // so that the rounds compare the fan-out with and without slow readers, not where a round falls in it.
        try await Task.sleep(nanoseconds: 1_000_000_000)
        let after = try await measuredRounds(run, triggerer)
        let end = try await run.pool!.stats()
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
