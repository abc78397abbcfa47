/// `hold`: open N viewers, subscribe each, hold them; connect rate and the server's RSS per connection.
public struct HoldScenario: Sendable {
    public var holdSeconds: Double

    public init(holdSeconds: Double) {
        self.holdSeconds = holdSeconds
    }

    public func run(_ options: ScenarioOptions) async throws -> Report {
        let run = try ScenarioRun(options: options)
        var report = Report(scenario: "hold", label: options.label, parameters: options.baseParameters)
        report.parameters["hold_s"] = Report.format(holdSeconds)
        let before = run.serverRSS()
        let (seconds, stats) = try await run.connectViewers(reporting: &report)
        report.add("connects per second", seconds > 0 ? Double(stats.ready) / seconds : 0, "/s")
        try await Task.sleep(nanoseconds: UInt64(holdSeconds * 1e9))
        if let before, let after = run.serverRSS() {
            report.add("server RSS before", Double(before), "KiB")
            report.add("server RSS holding", Double(after), "KiB")
            let ready = max(1, try await run.pool!.stats().ready)
            report.add("server RSS per viewer", Double(after - before) * 1024 / Double(ready) / 1000, "KB")
        }
        let held = try await run.pool!.stats()
        report.add("viewers still held", Double(held.ready))
        await run.finish()
        return report
    }
}
