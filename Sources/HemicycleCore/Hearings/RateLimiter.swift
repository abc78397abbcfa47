/// A GCRA rate limiter per key: at most `limit` actions per `periodMilliseconds`, with bursts of up to `limit`.
/// Pure: the caller passes the time. Keys that have fully recovered are dropped, so memory follows the active keys.
public struct RateLimiter<Key: Hashable & Sendable>: Sendable {
    public let limit: Int
    public let periodMilliseconds: Int64
    private var theoreticalArrival: [Key: Int64] = [:]
    private var sweeps = 0

    public init(limit: Int, periodMilliseconds: Int64) {
        self.limit = max(1, limit)
        self.periodMilliseconds = periodMilliseconds
    }

    private var interval: Int64 { max(1, periodMilliseconds / Int64(limit)) }

    /// Whether one more action by `key` at `now` stays within the limit; if not, how many milliseconds to wait.
    public func check(_ key: Key, now: Timestamp) -> Result<Void, RetryAfter> {
        let t = now.millisecondsSince1970
        let tat = max(theoreticalArrival[key] ?? t, t)
        let allowedAt = tat + interval - periodMilliseconds
        if t < allowedAt { return .failure(RetryAfter(milliseconds: allowedAt - t)) }
        return .success(())
    }

    /// Checks and records in one step: the action counts whether or not it then succeeds, so that a burst of
    /// concurrent attempts cannot all pass the check before the first is recorded.
    public mutating func take(_ key: Key, now: Timestamp) -> Result<Void, RetryAfter> {
        if case .failure(let wait) = check(key, now: now) { return .failure(wait) }
        record(key, now: now)
        return .success(())
    }

    /// Gives back one action taken at `now` (the attempt turned out not to count: it succeeded, or was never tried).
    public mutating func refund(_ key: Key, now: Timestamp) {
        guard let tat = theoreticalArrival[key] else { return }
        let t = now.millisecondsSince1970
        let back = tat - interval
        if back <= t { theoreticalArrival[key] = nil } else { theoreticalArrival[key] = back }
    }

    /// Records one action by `key` at `now` (call after `check` succeeded and the action happened).
    public mutating func record(_ key: Key, now: Timestamp) {
        let t = now.millisecondsSince1970
        theoreticalArrival[key] = max(theoreticalArrival[key] ?? t, t) + interval
        sweeps += 1
        if sweeps >= 10_000 {
            sweeps = 0
            theoreticalArrival = theoreticalArrival.filter { $0.value > t }
        }
    }
}

/// How long to wait before retrying.
public struct RetryAfter: Error, Sendable, Equatable {
    public let milliseconds: Int64
    /// Whole seconds, at least 1 (for `Retry-After`).
    public var seconds: Int { Int(max(1, (milliseconds + 999) / 1000)) }
}
