/// The one clock of the server: every "now" the application reads comes from it, and the timers of the domain (the
/// hearing counts' flush, the scheduler's and the mailer's turns, the dashboard's tick) sleep on it. It is injected
/// through the application's configuration, so a test sets and advances time (`ManualClock` in HemicycleTesting)
/// instead of waiting for it.
///
/// Transport timers are not on it: socket heartbeats, request deadlines and the hub's conflation tick and fan-out
/// pacing run on NIO's monotonic clock, because they are about sockets, not about what time it is in the parliament.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Timestamp

    /// Returns once this clock has reached `deadline` (at once if it has); throws `CancellationError` when the task
    /// is cancelled first.
    func sleep(until deadline: Timestamp) async throws
}

extension WallClock {
    /// The current time: `clock()` reads like `clock.now()`.
    public func callAsFunction() -> Timestamp { now() }

    /// Returns once `duration` has passed on this clock; throws `CancellationError` when the task is cancelled first.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now().adding(duration))
    }
}
