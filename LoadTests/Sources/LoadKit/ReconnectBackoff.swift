/// The web client's reconnection rule (WebClient/js/live-socket.js; PROTOCOL.md §13, the client checklist): full-jitter exponential
/// backoff. Reconnection attempt `n` (0 for the first after a connection was lost) waits a random time in
/// `[0, min(cap, base × 2^n)]`.
///
/// Viewers of the `crash` scenario follow it, so that "every viewer back" is timed as the site's own visitors would
/// come back, not as fast as a benchmark could hammer a server that has just started.
public struct ReconnectBackoff: Sendable, Equatable {
    /// `BACKOFF_BASE_MS` of the web client.
    public var baseMs: Double
    /// `BACKOFF_CAP_MS` of the web client.
    public var capMs: Double

    public init(baseMs: Double = 1_000, capMs: Double = 30_000) {
        self.baseMs = max(0, baseMs)
        self.capMs = max(0, capMs)
    }

    /// The longest wait before attempt `attempt` (0-based): `min(cap, base × 2^attempt)`.
    public func ceilingMs(attempt: Int) -> Double {
        // 2^31 × any base is past any cap: stop doubling there so that the product never overflows.
        let doubled = baseMs * Double(1 << min(max(0, attempt), 31))
        return min(capMs, doubled)
    }

    /// The wait before attempt `attempt`, for `random` drawn uniformly from `[0, 1)`.
    public func delayMs(attempt: Int, random: Double) -> Double {
        ceilingMs(attempt: attempt) * min(max(0, random), 1)
    }
}
