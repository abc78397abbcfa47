import HemicycleCore
import Testing

@Suite struct LoginLimitsTests {
    func t(_ ms: Int64) -> Timestamp { Timestamp(millisecondsSince1970: ms) }

    @Test func aBurstIsCutAtTheLimitBecauseEachAttemptCountsWhenItBegins() {
        var limits = LoginLimits()
        // 64 attempts begin before any password is checked (a concurrent burst): only 5 get through.
        let admitted = (0..<64).filter { _ in (try? limits.begin(email: "staff@example.org", address: "198.51.100.7", now: t(0)).get()) != nil }
        #expect(admitted.count == 5)
        guard case .failure(let wait) = limits.begin(email: "STAFF@example.org", address: "198.51.100.7", now: t(0)) else {
            Issue.record("the email is compared lowercased")
            return
        }
        #expect(wait.milliseconds == 60_000, "one attempt a minute comes back")
    }

    @Test func failuresFromOneAddressDoNotLockTheMemberOutFromAnother() {
        var limits = LoginLimits()
        for _ in 0..<50 { _ = limits.begin(email: "staff@example.org", address: "203.0.113.66", now: t(0)) }
        #expect(throws: RetryAfter.self) { try limits.begin(email: "staff@example.org", address: "203.0.113.66", now: t(0)).get() }
        #expect(throws: Never.self) { try limits.begin(email: "staff@example.org", address: "192.0.2.10", now: t(0)).get() }
    }

    @Test func anAddressIsLimitedWhateverTheEmailsItTries() {
        var limits = LoginLimits()
        for index in 0..<20 {
            #expect(throws: Never.self) { try limits.begin(email: "user\(index)@example.org", address: "203.0.113.66", now: t(0)).get() }
        }
        #expect(throws: RetryAfter.self) { try limits.begin(email: "fresh@example.org", address: "203.0.113.66", now: t(0)).get() }
    }

    @Test func anIPv6NetworkIsOneAddress() {
        var limits = LoginLimits()
        for host in 1...5 { _ = limits.begin(email: "staff@example.org", address: "2001:db8:1:2::\(host)", now: t(0)) }
        #expect(throws: RetryAfter.self) { try limits.begin(email: "staff@example.org", address: "2001:db8:1:2:ffff::1", now: t(0)).get() }
        #expect(throws: Never.self) { try limits.begin(email: "staff@example.org", address: "2001:db8:1:3::1", now: t(0)).get() }
    }

    @Test func successesAndUncheckedAttemptsAreGivenBack() throws {
        var limits = LoginLimits()
        for _ in 0..<20 {
            let attempt = try limits.begin(email: "staff@example.org", address: "198.51.100.7", now: t(0)).get()
            limits.giveBack(attempt, now: t(0))
        }
        for _ in 0..<5 { _ = try limits.begin(email: "staff@example.org", address: "198.51.100.7", now: t(0)).get() }
        #expect(throws: RetryAfter.self) { try limits.begin(email: "staff@example.org", address: "198.51.100.7", now: t(0)).get() }
    }

    @Test func refusedAttemptsAreNotCounted() {
        var limits = LoginLimits()
        for _ in 0..<5 { _ = limits.begin(email: "staff@example.org", address: "198.51.100.7", now: t(0)) }
        for _ in 0..<100 { _ = limits.begin(email: "staff@example.org", address: "198.51.100.7", now: t(0)) }
        #expect(throws: Never.self) { try limits.begin(email: "staff@example.org", address: "198.51.100.7", now: t(60_000)).get() }
    }
}
