import NIOCore
import Synchronization

/// How long the latest broadcast took to reach every socket of its event loop, and whether HTTP work is waiting,
/// shared by the loops (which write the duration and read the regime), the hub (which reads both to pace conflated
/// events) and the HTTP side (which counts its requests in progress).
///
/// On a saturated core a broadcast to many thousands of viewers takes longer than the conflation tick. Sending the
/// next count before the last one has gone out would only queue broadcasts back to back, each carrying a count the
/// next one supersedes, so the hub spaces conflated events by at least `factor` times this time (1 by default: a new
/// count starts when the last one has reached everyone). The latest count always goes out.
///
/// **Busy:** while at least `busyRequests` HTTP requests are in progress (a flood of signatures on the petition
/// everyone watches), broadcasts change regime: each is written for up to `busySlice` per turn of the loop (not in
/// chunks of a few hundred sockets), and conflated events are spaced by `busyFactor` times the last broadcast. A
/// broadcast that yields every few milliseconds lets the HTTP work in between and so takes about twice its CPU time
/// in wall time, and a signature acknowledged just after one started waits for the next: about four broadcast
/// durations from ack to every viewer. Written in one go and spaced by 2.5 times its duration, a broadcast leaves
/// 60% of the loop to signing and reaches every viewer within about 2.5 durations of any ack (`LoadTests/RESULTS.md`).
/// Without an HTTP flood (a fan-out on its own, a reconnect storm, whose connections are not HTTP requests) the
/// chunked regime stays: yielding every few hundred sockets is what lets new connections in between.
public final class FanoutPace: Sendable {
    private let lastNanos = Atomic<Int64>(0)
    private let inProgress = Atomic<Int>(0)
    /// Multiplies the latest broadcast time; 0 turns pacing off.
    public let factor: Double
    /// Multiplies the latest broadcast time while busy.
    public let busyFactor: Double
    /// HTTP requests in progress from which the server counts as busy; 0: never.
    public let busyRequests: Int
    /// Time a broadcast writes per turn of its loop while busy.
    public let busySlice: TimeAmount

    public init(factor: Double = 1, busyFactor: Double = 2.5, busyRequests: Int = 0, busySlice: TimeAmount = .milliseconds(250)) {
        self.factor = max(0, factor)
        self.busyFactor = max(0, busyFactor)
        self.busyRequests = max(0, busyRequests)
        self.busySlice = busySlice
    }

    /// Records the time one broadcast took from its first socket to its last.
    public func record(_ elapsed: TimeAmount) {
        lastNanos.store(elapsed.nanoseconds, ordering: .relaxed)
    }

    /// An HTTP request started (call `requestFinished` when it ends).
    public func requestStarted() {
        inProgress.add(1, ordering: .relaxed)
    }

    public func requestFinished() {
        inProgress.subtract(1, ordering: .relaxed)
    }

    /// Whether enough HTTP requests are in progress for the busy regime.
    public var isBusy: Bool {
        busyRequests > 0 && inProgress.load(ordering: .relaxed) >= busyRequests
    }

    /// The spacing conflated events need: `tick`, or the factor of the regime times the latest broadcast time if that
    /// is longer.
    public func spacing(tick: Duration) -> Duration {
        let multiplier = isBusy ? busyFactor : factor
        let busy = Duration.nanoseconds(Int64(multiplier * Double(lastNanos.load(ordering: .relaxed))))
        return max(tick, busy)
    }
}
