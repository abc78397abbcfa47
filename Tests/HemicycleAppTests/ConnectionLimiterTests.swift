import HemicycleCore
import Testing

@testable import HemicycleApp

/// `--max-connections-per-address` counts: per `AddressKey`, places given back on close, trusted proxies not counted.
@Suite struct ConnectionLimiterTests {
    @Test func countsPerAddressAndGivesPlacesBack() throws {
        let limiter = ConnectionLimiter(limit: 2, exempt: TrustedProxies(ranges: []))
        let first = try #require(limiter.acquire("198.51.100.7"))
        _ = try #require(limiter.acquire("198.51.100.7"))
        #expect(limiter.acquire("198.51.100.7") == nil, "a third from the same address")
        #expect(limiter.acquire("198.51.100.8") != nil, "another address has its own count")
        limiter.release(first)
        #expect(limiter.acquire("198.51.100.7") != nil, "a closed connection's place comes back")
    }

    @Test func anIPv6NetworkIsOneAddress() {
        let limiter = ConnectionLimiter(limit: 1, exempt: TrustedProxies(ranges: []))
        #expect(limiter.acquire("2001:db8:1:2::1") != nil)
        #expect(limiter.acquire("2001:db8:1:2::ffff") == nil, "the same /64")
        #expect(limiter.acquire("2001:db8:1:3::1") != nil)
    }

    @Test func trustedProxiesAreNotCounted() {
        let limiter = ConnectionLimiter(limit: 1, exempt: TrustedProxies(ranges: [IPAddressRange("10.0.0.0/8")!]))
        for _ in 0..<100 {
            guard case .unlimited? = limiter.acquire("10.1.2.3") else {
                Issue.record("a trusted proxy's connections are not counted")
                return
            }
        }
        #expect(limiter.acquire("198.51.100.7") != nil)
        #expect(limiter.acquire("198.51.100.7") == nil)
    }
}
