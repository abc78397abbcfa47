import HemicycleCore
import Testing

@Suite struct ClusterCoreTests {
    func events(_ replay: TopicLog<Int>.Replay) -> [Int]? {
        if case .events(let e) = replay { return e }
        return nil
    }

    @Test func aLogNumberedElsewhereResumesAcrossGaps() {
        // A node joining at offset 10; offsets 12 and 14 were other nodes' counts superseded before it read them.
        var log = TopicLog<Int>(epoch: "e", capacity: 3, offset: 10)
        #expect(events(log.replay(from: .init(epoch: "e", offset: 9))) == nil, "before the node joined: snapshot")
        #expect(events(log.replay(from: .init(epoch: "e", offset: 10))) == [])
        let appended11 = log.append(11, at: 11)
        #expect(appended11)
        let appended13 = log.append(13, at: 13)
        #expect(appended13)
        let duplicate = log.append(12, at: 12)
        #expect(!duplicate, "behind the last offset: a duplicate, kept out")
        let appended15 = log.append(15, at: 15)
        #expect(appended15)
        #expect(events(log.replay(from: .init(epoch: "e", offset: 10))) == [11, 13, 15])
        #expect(events(log.replay(from: .init(epoch: "e", offset: 12))) == [13, 15], "inside a gap: what came after")
        let appended16 = log.append(16, at: 16)
        #expect(appended16)  // 11 leaves the history
        #expect(log.floor == 11)
        #expect(events(log.replay(from: .init(epoch: "e", offset: 10))) == nil, "11 is gone: snapshot")
        #expect(events(log.replay(from: .init(epoch: "e", offset: 11))) == [13, 15, 16])
        log.skip(to: 18)  // a declaration took 17 and 18: history kept
        #expect(events(log.replay(from: .init(epoch: "e", offset: 16))) == [])
        #expect(events(log.replay(from: .init(epoch: "e", offset: 13))) == [15, 16])
        log.restart(at: 30)
        #expect(events(log.replay(from: .init(epoch: "e", offset: 18))) == nil, "after a lost history: snapshot")
        #expect(events(log.replay(from: .init(epoch: "e", offset: 30))) == [])
    }

    @Test func conflationKeepsEveryReliableEntryAndTheLatestCount() {
        func entry(_ topic: Topic, _ offset: UInt64, _ kind: BusEntry.Kind, _ name: String) -> BusEntry {
            BusEntry(topic: topic, offset: offset, kind: kind, name: name, data: .int(Int64(offset)), node: "a")
        }
        let p1 = Topic.petition(.init(1)), s1 = Topic.sitting(.init(1))
        let read = [
            entry(p1, 1, .conflated, "count"), entry(p1, 2, .reliable, "threshold"), entry(p1, 3, .conflated, "count"),
            entry(s1, 7, .conflated, "votes"), entry(s1, 8, .conflated, "viewers"), entry(s1, 9, .reliable, "question"),
            entry(s1, 10, .conflated, "votes"),
        ]
        #expect(BusEntry.conflate(read).map(\.offset) == [2, 3, 8, 9, 10])
    }

    @Test func noticesCarryTopicsAndOffsetsWithinPostgresLimit() {
        var notice = BusNotice()
        notice.add(.petition(.init(1)), 42)
        notice.add(.petition(.init(1)), 41)
        notice.add(.sittingModeration(.init(3)), 7)
        #expect(notice.payload() == "petition:1=42 sitting:3:moderation=7")
        #expect(BusNotice(payload: notice.payload()) == notice)
        #expect(BusNotice(payload: "petition:1=4 junk x=1 sitting:abc=3 dashboard=-1 dashboard=9").offsets == [.petition(.init(1)): 4, .dashboard: 9])
        var many = BusNotice()
        for id in 1...2000 { many.add(.petition(.init(Int64(id))), UInt64(id) * 1_000) }
        #expect(many.payload() == "*", "too long for one NOTIFY: read everything")
        #expect(many.payload().utf8.count < 8000)
        #expect(BusNotice(payload: "*").everything)
    }

    @Test func presenceSumsFreshReportsAndKeepsThePeak() {
        let reports: [PresenceTally.Report] = [
            .init(node: "a", viewers: 10, at: 9_000), .init(node: "b", viewers: 5, at: 9_500), .init(node: "c", viewers: 7, at: 3_000),
            .init(node: "a", viewers: 8, at: 8_000),
        ]
        let tally = PresenceTally.tally(reports, now: 10_000, expiry: 5_000, knownPeak: 12)
        #expect(tally.viewers == 15, "a's newest and b; c stopped reporting 7 s ago")
        #expect(tally.peak == 15)
        let quiet = PresenceTally.tally(reports, now: 20_000, expiry: 5_000, knownPeak: 15)
        #expect(quiet.viewers == 0)
        #expect(quiet.peak == 15, "the peak never goes down")
    }
}
