import HemicycleCore

/// Per-address limits on signing (`--sign-rate-limit N/SECONDS`, repeatable; none by default). A signature over any
/// limit is not refused: it is stored held for review (`SignatureState.held`) and reported to the signer.
actor SignatureRateLimits {
    /// At most `count` signatures per `seconds` from one address.
    struct Limit: Sendable, Equatable, CustomStringConvertible {
        var count: Int
        var seconds: Int

        /// Parses `N/SECONDS` (`5/300`); nil when malformed or not positive.
        init?(_ text: String) {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let count = Int(parts[0]), let seconds = Int(parts[1]), count > 0, seconds > 0 else { return nil }
            self.count = count
            self.seconds = seconds
        }

        init(count: Int, seconds: Int) {
            self.count = count
            self.seconds = seconds
        }

        var description: String { "\(count)/\(seconds)" }
    }

    private var limiters: [RateLimiter<AddressKey>]
    /// Whether any limit is set (read without a hop onto the actor: with none, signing never waits here).
    nonisolated let isActive: Bool

    init(_ limits: [Limit]) {
        limiters = limits.map { RateLimiter(limit: $0.count, periodMilliseconds: Int64($0.seconds) * 1000) }
        isActive = !limits.isEmpty
    }

    /// Whether a signature from `address` at `now` is within every limit; records it if so. Held signatures are not
    /// recorded, so a flood does not push the address's next good signature further away.
    func admit(_ address: String, now: Timestamp) -> Bool {
        guard !limiters.isEmpty else { return true }
        let address = AddressKey(address)
        for limiter in limiters {
            if case .failure = limiter.check(address, now: now) { return false }
        }
        for index in limiters.indices { limiters[index].record(address, now: now) }
        return true
    }
}
