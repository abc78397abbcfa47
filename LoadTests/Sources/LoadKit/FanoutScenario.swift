import Histogram

/// `fanout`: N viewers on one petition; count changes in rounds (each waits until every viewer has it), then at a
/// sustained rate; delay from each trigger to each viewer, delivered/expected, frames/s.
public struct FanoutScenario: Sendable {
    public var rounds: Int
    public var gapMs: Int
    public var rate: Double
    public var sustainedSeconds: Double

    public init(rounds: Int, gapMs: Int, rate: Double, sustainedSeconds: Double) {
        self.rounds = rounds
        self.gapMs = gapMs
        self.rate = rate
        self.sustainedSeconds = sustainedSeconds
    }

    public func run(_ options: ScenarioOptions) async throws -> Report {
        let run = try ScenarioRun(options: options)
        var report = Report(scenario: "fanout", label: options.label, parameters: options.baseParameters)
        report.parameters["rounds"] = String(rounds)
        report.parameters["rate"] = Report.format(rate)
        report.parameters["sustained_s"] = Report.format(sustainedSeconds)
        _ = try await run.connectViewers(reporting: &report)
        let triggerer = try await run.triggerer(name: "fanout")
        try await run.warmUp(triggerer)

        if rounds > 0 {
            try await run.clearLogs()
            let cpuBefore = run.serverCPU()
            let (records, late) = try await run.rounds(rounds, gapMs: gapMs, triggerer)
            let triggers = records.map { DeliveryAnalysis.Trigger(sentAt: $0.record.sentAt, value: $0.value) }
            let fromAck = records.map { DeliveryAnalysis.Trigger(sentAt: $0.record.ackedAt, value: $0.value) }
            var acks = LatencySummary.makeHistogram()
            for (record, _) in records { acks.record((record.ackedAt - record.sentAt) / 1000) }
            if let cpuBefore, let cpuAfter = run.serverCPU() {
                report.add("server CPU per round", (cpuAfter - cpuBefore) * 1000 / Double(rounds), "ms")
            }
            let (logs, _) = try await run.frameLogs()
            let analysis = DeliveryAnalysis(logs: logs, triggers: triggers, perTrigger: true)
            report.add("rounds latency", analysis.overall)
            // Hemicycle acknowledges a signature once it is durable (fsync); the peers' trigger stores nothing.
            report.add("rounds trigger ack", LatencySummary(acks))
            report.add("rounds latency from ack", DeliveryAnalysis(logs: logs, triggers: fromAck).overall)
            report.add("rounds delivered", Double(analysis.delivered))
            report.add("rounds expected", Double(analysis.expected))
            report.rounds = analysis.perTrigger
            if late > 0 { report.notes.append("\(late) viewer-rounds were not delivered within 10 s") }
        }

        if sustainedSeconds > 0 {
            try await run.clearLogs()
            let triggers = try await run.sustained(triggerer, rate: rate, seconds: sustainedSeconds)
            if let last = triggers.last { try await run.awaitViewers(last.value) }
            let (logs, stats) = try await run.frameLogs()
            let analysis = DeliveryAnalysis(logs: logs, triggers: triggers)
            report.add("sustained triggers", Double(triggers.count))
            report.add("sustained latency", analysis.overall)
            report.add("sustained delivered", Double(analysis.delivered))
            report.add("sustained expected", Double(analysis.expected))
            report.add("sustained frames", Double(analysis.frames))
            report.add("sustained frames per second", analysis.framesPerSecond, "/s")
            report.add("viewers dropped by server (end)", Double(stats.dropped))
        }
        await triggerer.close()
        await run.finish()
        return report
    }
}
