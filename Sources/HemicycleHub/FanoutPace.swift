import NIOCore
import Synchronization

/// How long the latest broadcast took to reach every socket of its event loop, shared by the loops (which write it)
/// and the hub (which reads it to pace conflated events).
///
/// On a saturated core a broadcast to many thousands of viewers takes longer than the conflation tick. Sending the
/// next count before the last one has gone out would only queue broadcasts back to back and starve everything else
/// on the loop (signatures above all), so the hub spaces conflated events by at least twice this time: at most about
/// half of a loop's time goes to count updates, and the latest count still goes out.
public final class FanoutPace: Sendable {
    private let lastNanos = Atomic<Int64>(0)

    public init() {}

    /// Records the time one broadcast took from its first socket to its last.
    public func record(_ elapsed: TimeAmount) {
        lastNanos.store(elapsed.nanoseconds, ordering: .relaxed)
    }

    /// The spacing conflated events need: `tick`, or twice the latest broadcast time if that is longer.
    public func spacing(tick: Duration) -> Duration {
        let busy = Duration.nanoseconds(2 * lastNanos.load(ordering: .relaxed))
        return max(tick, busy)
    }
}
