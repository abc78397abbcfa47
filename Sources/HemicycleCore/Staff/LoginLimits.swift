/// How many staff login attempts are let through to the password check (a pure state machine: the caller passes the
/// time and keeps it behind a lock).
///
/// Contract:
/// - An attempt is counted when it begins, before the password is checked, so a burst of concurrent attempts is cut at
///   the limit instead of all passing the check before the first failure is recorded.
/// - Attempts count per (email, address) and per address, addresses under their `AddressKey` (an IPv6 /64). There
///   is deliberately no limit per email alone: failures from one address must not lock the staff member out from
///   another. What bounds a guesser with many addresses is the bcrypt work itself (`--max-concurrent-logins`
///   verifications at a time, server-wide).
/// - An attempt that succeeds, or that was never checked (the server was too busy), is given back.
/// - A refused attempt is not counted.
public struct LoginLimits: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Attempts per email from one address within `periodMilliseconds` (a burst of this many, then evenly spread).
        public var perAccountAndAddress = 5
        /// Attempts from one address, whatever the email.
        public var perAddress = 20
        public var periodMilliseconds: Int64 = 300_000
        public init() {}
    }

    /// One admitted attempt, to give back with `giveBack`.
    public struct Attempt: Sendable, Equatable {
        fileprivate let pair: Pair
        public var email: String { pair.email }
        public var address: AddressKey { pair.address }
    }

    fileprivate struct Pair: Hashable, Sendable {
        let email: String
        let address: AddressKey
    }

    private var pairs: RateLimiter<Pair>
    private var addresses: RateLimiter<AddressKey>

    public init(_ settings: Settings = Settings()) {
        pairs = RateLimiter(limit: settings.perAccountAndAddress, periodMilliseconds: settings.periodMilliseconds)
        addresses = RateLimiter(limit: settings.perAddress, periodMilliseconds: settings.periodMilliseconds)
    }

    /// Admits and counts one attempt for `email` (compared lowercased) from `address`, or says how long to wait.
    public mutating func begin(email: String, address: String, now: Timestamp) -> Result<Attempt, RetryAfter> {
        let pair = Pair(email: email.lowercased(), address: AddressKey(address))
        var waits: [RetryAfter] = []
        if case .failure(let wait) = pairs.check(pair, now: now) { waits.append(wait) }
        if case .failure(let wait) = addresses.check(pair.address, now: now) { waits.append(wait) }
        if let longest = waits.max(by: { $0.milliseconds < $1.milliseconds }) { return .failure(longest) }
        pairs.record(pair, now: now)
        addresses.record(pair.address, now: now)
        return .success(Attempt(pair: pair))
    }

    /// Gives an attempt back: it succeeded, or its password was never checked.
    public mutating func giveBack(_ attempt: Attempt, now: Timestamp) {
        pairs.refund(attempt.pair, now: now)
        addresses.refund(attempt.pair.address, now: now)
    }
}
