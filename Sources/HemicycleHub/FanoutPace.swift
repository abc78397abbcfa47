import NIOCore
import Synchronization

/// How long the latest broadcast took to reach every socket of its event loop, shared by the loops (which write it)
/// and the hub (which reads it to pace conflated events).
///
/// On a saturated core a broadcast to many thousands of viewers takes longer than the conflation tick. Sending the
/// next count before the last one has gone out would only queue broadcasts back to back, each carrying a count the
/// next one supersedes, so the hub spaces conflated events by at least `factor` times this time (1 by default: a new
/// count starts when the last one has reached everyone; 2 would leave at least half of the loop's time to other work
/// even when counts change constantly, at the price of later counts). The latest count always goes out.
public final class FanoutPace: Sendable {
    private let lastNanos = Atomic<Int64>(0)
    /// Multiplies the latest broadcast time; 0 turns pacing off.
    public let factor: Double

    public init(factor: Double = 1) {
        self.factor = max(0, factor)
    }

    /// Records the time one broadcast took from its first socket to its last.
    public func record(_ elapsed: TimeAmount) {
        lastNanos.store(elapsed.nanoseconds, ordering: .relaxed)
    }

    /// The spacing conflated events need: `tick`, or `factor` times the latest broadcast time if that is longer.
    public func spacing(tick: Duration) -> Duration {
        let busy = Duration.nanoseconds(Int64(factor * Double(lastNanos.load(ordering: .relaxed))))
        return max(tick, busy)
    }
}
