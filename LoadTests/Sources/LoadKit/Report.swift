import Foundation

/// What a scenario measured: a table for people, JSON for machines.
public struct Report: Codable, Sendable {
    public struct Metric: Codable, Sendable {
        public var name: String
        public var value: Double
        public var unit: String
    }

    public var scenario: String
    public var label: String
    public var parameters: [String: String]
    public var metrics: [Metric] = []
    /// Per-round latency summaries (fan-out rounds), in order.
    public var rounds: [LatencySummary] = []
    /// Server RSS samples over time: seconds since start, KiB.
    public var rssSamples: [[Double]] = []
    public var notes: [String] = []

    public init(scenario: String, label: String, parameters: [String: String]) {
        self.scenario = scenario
        self.label = label
        self.parameters = parameters
    }

    public mutating func add(_ name: String, _ value: Double, _ unit: String = "") {
        metrics.append(Metric(name: name, value: value, unit: unit))
    }

    public mutating func add(_ prefix: String, _ summary: LatencySummary) {
        add("\(prefix) p50", summary.p50, "ms")
        add("\(prefix) p90", summary.p90, "ms")
        add("\(prefix) p99", summary.p99, "ms")
        add("\(prefix) max", summary.max, "ms")
    }

    public func value(_ name: String) -> Double? {
        metrics.first { $0.name == name }?.value
    }

    /// The table printed at the end of a run.
    public var table: String {
        var lines = ["\(scenario) against \(label)"]
        lines.append("  " + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        let width = max(10, metrics.map(\.name.count).max() ?? 0)
        for metric in metrics {
            let name = metric.name.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(name)  \(Report.format(metric.value)) \(metric.unit)")
        }
        if !rounds.isEmpty {
            lines.append("  rounds (p50/p99/max ms): " + rounds.map {
                "\(Report.format($0.p50))/\(Report.format($0.p99))/\(Report.format($0.max))" }.joined(separator: " "))
        }
        for note in notes { lines.append("  note: \(note)") }
        return lines.joined(separator: "\n")
    }

    public static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        if abs(value) >= 100 { return String(format: "%.0f", value) }
        if abs(value) >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
}
