/// Presence across nodes: each node reports how many viewers it has on a topic (at most once a second); every node
/// shows the sum of the reports that are fresh and the highest sum seen. A node that stops reporting (killed, cut off
/// from the database) drops out of the sum once its last report is older than `expiry`.
public struct PresenceTally: Sendable, Equatable {
    /// One node's report on one topic.
    public struct Report: Sendable, Equatable {
        public var node: String
        public var viewers: Int
        /// When it was reported, in milliseconds (the database's clock, the same for every node).
        public var at: Int64

        public init(node: String, viewers: Int, at: Int64) {
            self.node = node
            self.viewers = viewers
            self.at = at
        }
    }

    public private(set) var viewers = 0
    public private(set) var peak = 0

    public init(viewers: Int = 0, peak: Int = 0) {
        self.viewers = viewers
        self.peak = max(peak, viewers)
    }

    /// The tally of `reports` at `now`: the sum of the fresh ones (each node once, its newest), and the peak
    /// (never lower than `knownPeak`, the highest sum any node saw).
    public static func tally(_ reports: [Report], now: Int64, expiry: Int64, knownPeak: Int) -> PresenceTally {
        var newest: [String: Report] = [:]
        for report in reports where now - report.at <= expiry && report.viewers >= 0 {
            if let seen = newest[report.node], seen.at >= report.at { continue }
            newest[report.node] = report
        }
        let sum = newest.values.reduce(0) { $0 + $1.viewers }
        return PresenceTally(viewers: sum, peak: max(knownPeak, sum))
    }
}
