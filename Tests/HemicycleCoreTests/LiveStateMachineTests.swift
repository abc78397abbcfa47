import HemicycleCore
import Testing

@Suite struct ConflatorTests {
    let t0 = ContinuousClock.now

    func at(_ ms: Int) -> ContinuousClock.Instant { t0.advanced(by: .milliseconds(ms)) }

    @Test func isolatedChangeGoesOutAtOnce() {
        var c = Conflator(tick: .milliseconds(100))
        let first = c.change(now: at(0))
        let later = c.change(now: at(250))
        #expect(first == .sendNow)
        #expect(later == .sendNow)
    }

    @Test func changesThatComeTooSoonCollapseIntoOneFlush() {
        var c = Conflator(tick: .milliseconds(100))
        var decisions: [Conflator.Decision] = []
        for ms in [0, 10, 20, 40] { decisions.append(c.change(now: at(ms))) }
        // The second change may go out half a tick before its slot (100 ms).
        #expect(decisions == [.sendNow, .scheduleFlush(at: at(50)), .collapsed, .collapsed])
        #expect(c.hasPending)
        let fired = c.fire(now: at(50))
        let firedAgain = c.fire(now: at(51))
        #expect(fired)
        #expect(!firedAgain)
        // The flush booked the slot at 200 ms: a change before 150 ms waits for 150 ms.
        let next = c.change(now: at(120))
        #expect(next == .scheduleFlush(at: at(150)))
    }

    @Test func aBusyTopicAveragesOneSendPerTick() {
        var c = Conflator(tick: .milliseconds(100))
        var sends: [Int] = []
        var flushAt: Int?
        for ms in stride(from: 0, to: 1_000, by: 5) {
            if let due = flushAt, ms >= due, c.fire(now: at(ms)) { sends.append(ms); flushAt = nil }
            switch c.change(now: at(ms)) {
            case .sendNow: sends.append(ms)
            case .scheduleFlush(let instant): flushAt = Int((instant - t0) / .milliseconds(1))
            case .collapsed: break
            }
        }
        // 1 s of changes every 5 ms: 10 sends plus the early one, never two within half a tick.
        #expect(sends.count == 11)
        #expect(zip(sends, sends.dropFirst()).allSatisfy { $1 - $0 >= 50 })
    }

    @Test func lateFlushesAndJitterDoNotAddUp() {
        // Changes every 100 ms, alternately 3 ms early and late, and every flush timer 4 ms late: with a schedule
        // booked from actual send times the delay would grow by a few ms per change; here each goes out at once.
        var c = Conflator(tick: .milliseconds(100))
        for k in 0..<200 {
            let ms = k * 100 + (k % 2 == 0 ? 3 : -3)
            #expect(c.change(now: at(ms)) == .sendNow)
        }
    }
}

@Suite struct TopicLogTests {
    @Test func offsetsRiseByOne() {
        var log = TopicLog<Int>(epoch: "e", capacity: 3)
        #expect(log.offset == 0)
        #expect(log.append(10) == 1)
        #expect(log.append(11) == 2)
        #expect(log.offset == 2)
    }

    func events(_ replay: TopicLog<Int>.Replay) -> [Int]? {
        if case .events(let e) = replay { return e }
        return nil
    }

    @Test func replayServesWhatTheHistoryHolds() {
        var log = TopicLog<Int>(epoch: "e", capacity: 3)
        for v in 1...5 { log.append(v * 10) }  // offsets 1...5; history holds offsets 3, 4, 5
        #expect(events(log.replay(from: .init(epoch: "e", offset: 5))) == [])
        #expect(events(log.replay(from: .init(epoch: "e", offset: 4))) == [50])
        #expect(events(log.replay(from: .init(epoch: "e", offset: 2))) == [30, 40, 50])
        #expect(events(log.replay(from: .init(epoch: "e", offset: 1))) == nil, "offset 2 is gone: snapshot")
        #expect(events(log.replay(from: .init(epoch: "other", offset: 4))) == nil, "another epoch: snapshot")
        #expect(events(log.replay(from: .init(epoch: "e", offset: 9))) == nil, "from the future: snapshot")
    }
}

@Suite struct OutboundQueueTests {
    @Test func countsCollapseToTheLatestAndMoveToTheBack() {
        var q = OutboundQueue<String>(maxFrames: 10, maxBytes: 1000)
        #expect(q.enqueue("count 42", bytes: 10, key: "p1|count") == .queued)
        #expect(q.enqueue("threshold 43", bytes: 10, key: nil) == .queued)
        #expect(q.enqueue("count 44", bytes: 10, key: "p1|count") == .collapsed)
        #expect(q.count == 2)
        #expect(q.drain() == ["threshold 43", "count 44"])
        #expect(q.isEmpty)
        #expect(q.byteCount == 0)
    }

    @Test func reliableFramesOverflowTheBound() {
        var q = OutboundQueue<Int>(maxFrames: 2, maxBytes: 1000)
        #expect(q.enqueue(1, bytes: 1, key: nil) == .queued)
        #expect(q.enqueue(2, bytes: 1, key: nil) == .queued)
        #expect(q.enqueue(3, bytes: 1, key: nil) == .overflow)
        var bytes = OutboundQueue<Int>(maxFrames: 100, maxBytes: 100)
        #expect(bytes.enqueue(1, bytes: 60, key: nil) == .queued)
        #expect(bytes.enqueue(2, bytes: 60, key: nil) == .overflow)
    }
}

@Suite struct ErrorRateLimiterTests {
    @Test func tooManyErrorsInTheWindowIsAbuse() {
        let t0 = ContinuousClock.now
        var limiter = ErrorRateLimiter(limit: 3, window: .seconds(10))
        var results: [Bool] = []
        for seconds in [0.0, 5.0, 11.0, 12.0] { results.append(limiter.record(now: t0.advanced(by: .seconds(seconds)))) }
        // At 11 s the error at 0 s has left the window (two remain); at 12 s three errors lie within 10 s.
        #expect(results == [false, false, false, true])
    }
}
