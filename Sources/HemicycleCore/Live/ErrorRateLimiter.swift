/// Counts a connection's protocol errors in a sliding window; too many means abuse, and the connection is closed
/// with `CloseCode.abuse`.
public struct ErrorRateLimiter: Sendable {
    public let limit: Int
    public let window: Duration
    private var times: [ContinuousClock.Instant] = []

    public init(limit: Int, window: Duration) {
        self.limit = max(1, limit)
        self.window = window
    }

    /// Records one error. Returns `true` when this error makes `limit` errors within `window`.
    public mutating func record(now: ContinuousClock.Instant) -> Bool {
        times.removeAll { $0.advanced(by: window) <= now }
        times.append(now)
        return times.count >= limit
    }
}
