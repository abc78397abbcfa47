public import HemicycleStorage

/// How several nodes share one live service through the database (`hemicycle serve --database postgres://…`).
public struct ClusterSettings: Sendable {
    /// The shared event log (PostgreSQL's `live_events`, its `NOTIFY` channel and presence reports).
    public var log: any SharedEventLog
    /// Entries kept per topic in the shared log for resume (`--live-history`).
    public var historyCount = 1_000
    /// And no older than this (`--live-history-age-s`).
    public var historyAge: Duration = .seconds(3600)
    /// How often each node reports its viewers (and reads the sum).
    public var presenceInterval: Duration = .seconds(1)
    /// A node whose last report is older than this drops out of the sum.
    public var presenceExpiry: Duration = .seconds(5)
    /// The first wait before connecting again after losing the database; it doubles up to `maxBackoff`, each wait
    /// jittered between half and one and a half times.
    public var backoff: Duration = .milliseconds(100)
    public var maxBackoff: Duration = .seconds(5)
    /// How often the shared log is pruned.
    public var pruneInterval: Duration = .seconds(30)

    public init(log: any SharedEventLog) {
        self.log = log
    }
}
