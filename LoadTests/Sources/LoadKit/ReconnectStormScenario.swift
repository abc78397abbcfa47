/// `reconnect-storm`: N viewers are cut at once and reconnect with resume while count changes keep coming; time until
/// all are back and subscribed, events missed (offset gaps; Hemicycle only: the peers have no resume).
public struct ReconnectStormScenario: Sendable {
    public var rate: Double
    public var settleSeconds: Double

    public init(rate: Double, settleSeconds: Double) {
        self.rate = rate
        self.settleSeconds = settleSeconds
    }

    public func run(_ options: ScenarioOptions) async throws -> Report {
        let run = try ScenarioRun(options: options)
        var report = Report(scenario: "reconnect-storm", label: options.label, parameters: options.baseParameters)
        report.parameters["rate"] = Report.format(rate)
        _ = try await run.connectViewers(reporting: &report)
        let triggerer = try await run.triggerer(name: "storm")
        try await run.warmUp(triggerer)
        try await run.clearLogs()
        let pool = run.pool!

        // Count changes go on through the storm.
        let rate = self.rate, settle = self.settleSeconds
        async let triggersDuringStorm = run.sustained(triggerer, rate: rate, seconds: settle * 2 + 1)
        try await Task.sleep(nanoseconds: UInt64(settle * 1e9))
        let back = try await pool.ask(WorkerCommand("cut"), expecting: "back")
        let backSeconds = (back.compactMap(\.ms).max() ?? 0) / 1000
        let triggers = try await triggersDuringStorm
        if let last = triggers.last { try await run.awaitViewers(last.value) }
        let (logs, end) = try await run.frameLogs()
        let analysis = DeliveryAnalysis(logs: logs, triggers: triggers)
        report.add("all back and subscribed", backSeconds, "s")
        report.add("viewers back", Double(end.ready))
        report.add("triggers during the storm", Double(triggers.count))
        if options.kind == .hemicycle {
            report.add("missed events", Double(end.missedEvents))
            report.add("resumed (recovered)", Double(end.recovered))
            report.add("resumed with a snapshot", Double(end.unrecovered))
        } else {
            report.notes.append("peers have no resume: missed events are not tracked; see undelivered")
        }
        report.add("undelivered counts", Double(analysis.expected - analysis.delivered))
        report.add("latency through the storm", analysis.overall)
        run.addFleet(end, to: &report, at: "end")
        await triggerer.close()
        await run.finish()
        return report
    }
}
