import HemicycleCore

/// How many petitions may be started from one client address (IPv6: its /64) and with one creator email
/// (`--petition-create-limit`, `--petition-create-email-limit`; GCRA, in memory). Over a limit, starting a petition is
/// refused with 429 and `Retry-After`, and nothing is stored or mailed.
actor PetitionCreationLimits {
    private var perAddress: [RateLimiter<AddressKey>]
    private var perEmail: [RateLimiter<String>]

    init(perAddress: [PeriodLimit], perEmail: [PeriodLimit]) {
        self.perAddress = perAddress.map { RateLimiter(limit: $0.count, periodMilliseconds: $0.milliseconds) }
        self.perEmail = perEmail.map { RateLimiter(limit: $0.count, periodMilliseconds: $0.milliseconds) }
    }

    /// Whether one more petition from `address` with `email` is within every limit; if so it is recorded (whatever
    /// happens next, so a burst cannot pass between a check and a record), if not, how long to wait.
    func admit(address: String, email: String, now: Timestamp) -> RetryAfter? {
        let address = AddressKey(address), email = email.lowercased()
        var longest: RetryAfter?
        func note(_ result: Result<Void, RetryAfter>) {
            if case .failure(let wait) = result, wait.milliseconds > (longest?.milliseconds ?? 0) { longest = wait }
        }
        for limiter in perAddress { note(limiter.check(address, now: now)) }
        for limiter in perEmail { note(limiter.check(email, now: now)) }
        if let longest { return longest }
        for index in perAddress.indices { perAddress[index].record(address, now: now) }
        for index in perEmail.indices { perEmail[index].record(email, now: now) }
        return nil
    }
}
