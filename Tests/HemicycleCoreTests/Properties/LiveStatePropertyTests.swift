import HemicycleCore
import PropertyBased
import Testing

/// Random streams through the live path's state machines (issue 17): conflation never loses the latest count nor sends
/// one out of order, and offsets with resume give a client that was away exactly what it missed, or a snapshot.
@Suite struct LiveStatePropertyTests {
    /// Changes of a count at random gaps (ms), the flushes fired when scheduled: the values sent never go backwards,
    /// the last one sent is the latest count, two sends are at least half a tick apart, and a held change goes out
    /// within a tick.
    @Test func conflationSendsTheLatestCountInOrderAndNeverLosesIt() async {
        var flushes = 0, collapsed = 0
        await propertyCheck(count: 300, input: Gen.int(in: 0...250).array(of: 1...120)) { gaps in
            let tick = Duration.milliseconds(100)
            let start = ContinuousClock.now
            var conflator = Conflator(tick: tick)
            var count = 0
            var sent: [(at: ContinuousClock.Instant, value: Int)] = []
            var flushAt: ContinuousClock.Instant?
            var now = start
            func fireIfDue(upTo instant: ContinuousClock.Instant) {
                if let due = flushAt, due <= instant {
                    flushAt = nil
                    if conflator.fire(now: due) { sent.append((due, count)) }
                }
            }
            for gap in gaps {
                now = now + .milliseconds(gap)
                fireIfDue(upTo: now)
                count += 1
                switch conflator.change(now: now) {
                case .sendNow:
                    sent.append((now, count))
                case .scheduleFlush(let at):
                    #expect(flushAt == nil, "one flush at a time")
                    #expect(at <= now + tick, "a held change goes out within a tick")
                    flushAt = at
                    flushes += 1
                case .collapsed:
                    collapsed += 1
                    #expect(flushAt != nil, "a change is collapsed only into a scheduled flush")
                }
            }
            fireIfDue(upTo: now + tick)
            #expect(!conflator.hasPending, "nothing is left pending after the last flush")
            #expect(sent.last?.value == count, "the latest count is always sent")
            for (a, b) in zip(sent, sent.dropFirst()) {
                #expect(b.value > a.value, "a count sent never goes backwards")
                #expect(b.at - a.at >= tick / 2, "two sends are at least half a tick apart")
            }
        }
        #expect(flushes > 0 && collapsed > 0, "the streams held (\(flushes)) and collapsed (\(collapsed)) changes")
    }

    /// A topic's log after random appends, and a client that stopped at a random offset (of this epoch or another):
    /// the replay is exactly the events it missed, in order, with consecutive offsets, or a snapshot when the history no
    /// longer reaches back (or the epoch or offset is not this log's); a client that applies the replay ends where a
    /// client that never left is.
    @Test func resumeGivesExactlyWhatWasMissedOrASnapshot() async {
        var replays = 0, snapshots = 0
        await propertyCheck(count: 500, input: Gen.int(in: 0...600), Gen.int(in: 1...300), Gen.int(in: 0...610), Gen.bool) {
            appended, capacity, stoppedAt, sameEpoch in
            var log = TopicLog<UInt64>(epoch: "now", capacity: capacity)
            var offsets: [UInt64] = []
            for _ in 0..<appended { offsets.append(log.append(log.offset + 1)) }
            #expect(offsets == Array((0..<UInt64(appended)).map { $0 + 1 }), "offsets rise by one from 1")
            #expect(log.offset == UInt64(appended))
            let position = ResumePosition(epoch: sameEpoch ? "now" : "before", offset: UInt64(stoppedAt))
            switch log.replay(from: position) {
            case .events(let events):
                #expect(sameEpoch && stoppedAt <= appended, "a replay only within this epoch and its offsets")
                #expect(appended - stoppedAt <= capacity, "a replay only when the history holds every missed event")
                // Each entry is its own offset: the client applies exactly stoppedAt+1 ... appended.
                let missed: [UInt64] = stoppedAt < appended ? Array(UInt64(stoppedAt + 1)...UInt64(appended)) : []
                #expect(events == missed, "the replay is the missed events, in order")
                let resumedAt = events.reduce(UInt64(stoppedAt)) { held, event in event > held ? event : held }
                #expect(resumedAt == log.offset, "the resumed client is where one that never left is")
                replays += 1
            case .snapshot:
                #expect(!sameEpoch || stoppedAt > appended || appended - stoppedAt > capacity,
                        "a snapshot only when the replay cannot be served")
                snapshots += 1
            }
        }
        #expect(replays > 0 && snapshots > 0, "both replays (\(replays)) and snapshots (\(snapshots)) were checked")
    }
}
