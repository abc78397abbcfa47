import HemicycleCore
import Testing

@Suite struct RateLimiterTests {
    func t(_ ms: Int64) -> Timestamp { Timestamp(millisecondsSince1970: ms) }

    @Test func allowsABurstOfTheLimitThenSpacesActions() {
        var limiter = RateLimiter<String>(limit: 3, periodMilliseconds: 60_000)
        for _ in 0..<3 {
            #expect((try? limiter.check("p", now: t(0)).get()) != nil)
            limiter.record("p", now: t(0))
        }
        guard case .failure(let wait) = limiter.check("p", now: t(0)) else {
            Issue.record("the fourth action within a minute must wait")
            return
        }
        #expect(wait.milliseconds == 20_000, "one action per 20 s comes back")
        #expect(wait.seconds == 20)
        #expect((try? limiter.check("other", now: t(0)).get()) != nil, "limits are per key")
        #expect((try? limiter.check("p", now: t(20_000)).get()) != nil)
    }

    @Test func checkingAloneRecordsNothing() {
        let limiter = RateLimiter<String>(limit: 1, periodMilliseconds: 1000)
        for _ in 0..<5 { #expect((try? limiter.check("p", now: t(0)).get()) != nil) }
    }
}

@Suite struct RateLimiterTakeTests {
    func t(_ ms: Int64) -> Timestamp { Timestamp(millisecondsSince1970: ms) }

    @Test func takeChecksAndRecordsAtOnceAndRefundGivesBack() {
        var limiter = RateLimiter<String>(limit: 2, periodMilliseconds: 60_000)
        #expect((try? limiter.take("k", now: t(0)).get()) != nil)
        #expect((try? limiter.take("k", now: t(0)).get()) != nil)
        #expect((try? limiter.take("k", now: t(0)).get()) == nil, "the third take within the period is refused")
        limiter.refund("k", now: t(0))
        #expect((try? limiter.take("k", now: t(0)).get()) != nil, "a refund makes room for one more")
        limiter.refund("other", now: t(0))
        #expect((try? limiter.take("other", now: t(0)).get()) != nil)
    }
}
