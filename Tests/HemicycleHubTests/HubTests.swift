import HemicycleCore
import HemicycleHub
import Logging
import NIOCore
import NIOPosix
import Testing

@Suite struct HubTests {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let petition = Topic.petition(.init(1))
    let sitting = Topic.sitting(.init(1))

    func makeHub(tick: Duration = .milliseconds(100), history: Int = 256, chunk: Int = 512, busySlice: Duration? = nil) async -> Hub {
        var configuration = HubConfiguration(tick: tick, historyCapacity: history)
        configuration.broadcastChunk = chunk
        if let busySlice {
            configuration.busyRequests = 1
            configuration.busyBroadcastSlice = busySlice
        }
        let hub = Hub(
            eventLoopGroup: group, configuration: configuration, logger: Logger(label: "test"),
            encodeFrame: { ByteBuffer(bytes: $0) }
        )
        await hub.declare(petition, snapshot: .object([("signature_count", 0)]))
        await hub.declare(sitting, snapshot: .object([("title", "A hearing")]), tracksPresence: true)
        return hub
    }

    func connect(_ hub: Hub, id: UInt64, loop: Int = 0) async throws -> FakeConnection {
        let loops = Array(group.makeIterator())
        let connection = FakeConnection(id: id, eventLoop: loops[loop % loops.count])
        try await connection.open(on: hub)
        return connection
    }

    func subscribe(_ hub: Hub, _ c: FakeConnection, _ topics: [Topic], resume: [Topic: ResumePosition] = [:]) async throws -> SubscribeOutcome {
        await hub.subscribe(try await c.bound, id: c.connectionID, topics: topics, resume: resume, ref: "r")
    }

    /// Events of a topic as (offset, data) pairs.
    func events(_ messages: [ServerMessage], _ topic: Topic) -> [(UInt64, String, JSONValue)] {
        messages.compactMap {
            if case .event(let t, _, let offset, let name, let data) = $0, t == topic { return (offset, name, data) }
            return nil
        }
    }

    func eventually(_ check: () async throws -> Bool) async throws {
        for _ in 0..<100 {
            if try await check() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met within 2 s")
    }

    @Test func unknownAndForbiddenTopicsChangeNothing() async throws {
        let hub = await makeHub()
        let c = try await connect(hub, id: 1)
        let unknown = try await subscribe(hub, c, [petition, .petition(.init(9))])
        #expect(unknown.failureCode == .unknownTopic)
        let forbidden = try await subscribe(hub, c, [.sittingModeration(.init(1))])
        #expect(forbidden.failureCode == .forbiddenTopic)
        #expect(await hub.presence(of: sitting)?.viewers == 0)
        await hub.publish(petition, event: "count", data: .object([("signature_count", 1)]), delivery: .reliable)
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await c.messages().isEmpty, "the failed subscribe must not have subscribed petition:1")
    }

    @Test func aRetiredTopicSendsItsLastEventThenServesNothing() async throws {
        let hub = await makeHub(chunk: 1)
        // One subscriber on each loop, and enough on loop 0 that its broadcast is queued in chunks: the topic ends for
        // each only after the last event was written to it.
        var connections: [FakeConnection] = []
        for id in 1...40 { connections.append(try await connect(hub, id: UInt64(id), loop: id == 2 ? 1 : 0)) }
        for c in connections { _ = try await subscribe(hub, c, [petition]) }
        await hub.publish(petition, event: "threshold", data: .object([("n", 1)]), delivery: .reliable)
        await hub.retire(petition, event: "state", data: .object([("state", "hidden")]))
        for c in connections {
            try await eventually { try await c.endedTopics() == [petition] }
            let names = events(try await c.messages(), petition).map(\.1)
            #expect(names == ["threshold", "state"], "the state event is the last, after the earlier ones")
        }
        #expect(await hub.state(of: petition) == nil, "no snapshot is kept")
        let late = try await connect(hub, id: 99)
        #expect(try await subscribe(hub, late, [petition]).failureCode == .unknownTopic)
        await hub.publish(petition, event: "count", data: .object([("signature_count", 5)]), delivery: .reliable)
        try await Task.sleep(for: .milliseconds(50))
        #expect(events(try await connections[0].messages(), petition).count == 2, "nothing after the end")
        // Declared again (a petition shown again), it is a new stream.
        await hub.declare(petition, snapshot: .object([("signature_count", 0)]))
        #expect(try await subscribe(hub, late, [petition]).failureCode == nil)
    }

    @Test func snapshotThenReplyThenEventsInOffsetOrderOnEveryLoop() async throws {
        let hub = await makeHub()
        let a = try await connect(hub, id: 1, loop: 0)
        let b = try await connect(hub, id: 2, loop: 1)
        _ = try await subscribe(hub, a, [petition])
        _ = try await subscribe(hub, b, [petition])
        for n in 1...5 {
            await hub.publish(petition, event: "threshold", data: .object([("n", .int(Int64(n)))]), delivery: .reliable)
        }
        for c in [a, b] {
            try await eventually { try await events(c.messages(), petition).count == 5 }
            let messages = try await c.messages()
            guard case .snapshot(_, _, 0, _) = messages[0], case .subscribed = messages[1] else {
                Issue.record("expected snapshot then subscribed, got \(messages.prefix(2))")
                continue
            }
            #expect(events(messages, petition).map(\.0) == [1, 2, 3, 4, 5])
        }
    }

    @Test func broadcastsInChunksKeepEveryConnectionsOrder() async throws {
        // Three sockets per turn of the loop: each broadcast to ten connections takes four turns, and the next
        // broadcast waits for it, so every connection still sees 1...6 in order.
        let hub = await makeHub(chunk: 3)
        var connections: [FakeConnection] = []
        for id in 1...10 { connections.append(try await connect(hub, id: UInt64(id), loop: 0)) }
        for c in connections { _ = try await subscribe(hub, c, [petition]) }
        for n in 1...6 {
            await hub.publish(petition, event: "threshold", data: .object([("n", .int(Int64(n)))]), delivery: .reliable)
        }
        for c in connections {
            try await eventually { try await events(c.messages(), petition).count == 6 }
            #expect(events(try await c.messages(), petition).map(\.0) == [1, 2, 3, 4, 5, 6])
        }
    }

    @Test func countsAreConflatedLeadingEdgeAndNeverGoBackwards() async throws {
        let hub = await makeHub(tick: .milliseconds(100))
        let c = try await connect(hub, id: 1)
        _ = try await subscribe(hub, c, [petition])
        for n in 1...50 {
            await hub.publish(petition, event: "count", data: .object([("signature_count", .int(Int64(n)))]), delivery: .conflated)
        }
        try await eventually { try await events(c.messages(), petition).count == 2 }
        try await Task.sleep(for: .milliseconds(250))
        let counts = events(try await c.messages(), petition)
        #expect(counts.map(\.0) == [1, 2], "two events: the leading edge and one flush")
        #expect(counts.map { $0.2["signature_count"]?.intValue } == [1, 50], "the flush carries the latest value")
        #expect(await hub.state(of: petition)?.data["signature_count"]?.intValue == 50)

        // An isolated change after a quiet tick goes out at once.
        await hub.publish(petition, event: "count", data: .object([("signature_count", 51)]), delivery: .conflated)
        try await eventually { try await events(c.messages(), petition).count == 3 }
    }

    @Test func resumeReplaysMissedEventsOrFallsBackToASnapshot() async throws {
        let hub = await makeHub(history: 3)
        let first = try await connect(hub, id: 1)
        _ = try await subscribe(hub, first, [petition])
        await hub.publish(petition, event: "threshold", data: .object([("n", 1)]), delivery: .reliable)
        let (_, epoch, offset) = try #require(await hub.state(of: petition))
        #expect(offset == 1)
        await hub.publish(petition, event: "threshold", data: .object([("n", 2)]), delivery: .reliable)
        await hub.publish(petition, event: "threshold", data: .object([("n", 3)]), delivery: .reliable)

        let resumed = try await connect(hub, id: 2)
        let outcome = try await subscribe(hub, resumed, [petition], resume: [petition: .init(epoch: epoch, offset: 1)])
        #expect((try? outcome.get())?.first?.recovered == true)
        try await eventually { try await resumed.messages().count == 3 }
        #expect(events(try await resumed.messages(), petition).map(\.0) == [2, 3])

        for n in 4...6 { await hub.publish(petition, event: "threshold", data: .object([("n", .int(Int64(n)))]), delivery: .reliable) }
        let late = try await connect(hub, id: 3)
        let lateOutcome = try await subscribe(hub, late, [petition], resume: [petition: .init(epoch: epoch, offset: 1)])
        #expect((try? lateOutcome.get())?.first?.recovered == false, "offset 2 left the 3-event history")
        let wrongEpoch = try await connect(hub, id: 4)
        let wrongOutcome = try await subscribe(hub, wrongEpoch, [petition], resume: [petition: .init(epoch: "old", offset: 6)])
        #expect((try? wrongOutcome.get())?.first?.recovered == false)
        try await eventually { try await late.messages().count == 2 }
        guard case .snapshot(_, _, 6, _) = try await late.messages()[0] else {
            Issue.record("expected a snapshot at offset 6")
            return
        }
    }

    @Test func presenceCountsViewersAndKeepsOffsetsContiguous() async throws {
        let hub = await makeHub(tick: .milliseconds(20))
        let a = try await connect(hub, id: 1, loop: 0)
        _ = try await subscribe(hub, a, [sitting])
        let b = try await connect(hub, id: 2, loop: 1)
        _ = try await subscribe(hub, b, [sitting])
        #expect(await hub.presence(of: sitting)?.viewers == 2)
        try await eventually { try await events(a.messages(), sitting).last?.2["viewers"]?.intValue == 2 }
        // b's snapshot already counts b: it must start at the offset its snapshot names, with no gap.
        let bMessages = try await b.messages()
        guard case .snapshot(_, _, let snapOffset, let data) = bMessages[0] else {
            Issue.record("expected a snapshot first")
            return
        }
        #expect(data["viewers"]?.intValue == 2)
        for (index, event) in events(try await b.messages(), sitting).enumerated() {
            #expect(event.0 == snapOffset + UInt64(index) + 1)
        }
        try await b.eventLoop.submit { hub.connectionClosed(b.connectionID, on: b.eventLoop) }.get()
        try await eventually { await hub.presence(of: sitting)?.viewers == 1 }
        #expect(await hub.presence(of: sitting)?.peak == 2)
    }

    @Test func unsubscribedConnectionsReceiveNothingMore() async throws {
        let hub = await makeHub()
        let c = try await connect(hub, id: 1)
        _ = try await subscribe(hub, c, [petition])
        try await c.eventLoop.submit { hub.leaveOnLoop(c.connectionID, on: c.eventLoop, topics: [self.petition]) }.get()
        await hub.unsubscribe(id: c.connectionID, loop: c.eventLoop, topics: [petition])
        await hub.publish(petition, event: "threshold", data: .object([("n", 1)]), delivery: .reliable)
        try await Task.sleep(for: .milliseconds(50))
        #expect(events(try await c.messages(), petition).isEmpty)
    }

    @Test func aBatchOfSubscribesKeepsEachAllOrNothingAndEveryOffset() async throws {
        // Presence events caused by one request of the batch reach the connections subscribed earlier in it: each
        // connection's snapshot is followed by every later offset, none missing, none repeated.
        let hub = await makeHub(tick: .milliseconds(1))
        var connections: [FakeConnection] = []
        for id in 1...30 { connections.append(try await connect(hub, id: UInt64(id), loop: 0)) }
        let stranger = try await connect(hub, id: 99, loop: 0)
        var requests: [SubscribeRequest] = []
        for (index, c) in connections.enumerated() {
            requests.append(SubscribeRequest(connection: try await c.bound, id: c.connectionID, topics: [sitting], resume: [:], ref: "r\(index)"))
            if index == 10 {
                // A request that fails in the middle of the batch changes nothing, for it or the others.
                requests.append(SubscribeRequest(
                    connection: try await stranger.bound, id: stranger.connectionID, topics: [sitting, .petition(.init(9))], resume: [:], ref: "bad"))
            }
        }
        let outcomes = await hub.subscribe(batch: requests)
        #expect(outcomes.count == 31)
        #expect(outcomes[11].failureCode == .unknownTopic)
        #expect(outcomes.enumerated().filter { $0.offset != 11 }.allSatisfy { $0.element.failureCode == nil })
        #expect(await hub.presence(of: sitting)?.viewers == 30)
        try await Task.sleep(for: .milliseconds(50))  // the conflated presence events have gone out
        for n in 1...3 {
            await hub.publish(sitting, event: "threshold", data: .object([("n", .int(Int64(n)))]), delivery: .reliable)
        }
        let last = try #require(await hub.state(of: sitting)?.offset)
        for c in connections {
            try await eventually { try await (events(c.messages(), sitting).last?.0 ?? 0) >= last }
            let messages = try await c.messages()
            guard case .snapshot(_, _, let snapOffset, _) = messages.first, case .subscribed = messages.dropFirst().first else {
                Issue.record("expected a snapshot then the reply, got \(messages.prefix(2))")
                continue
            }
            // Every offset after the snapshot's, once, in order (a late presence event may follow the last one read).
            let offsets = events(messages, sitting).map(\.0)
            #expect(offsets == Array(stride(from: snapOffset + 1, through: offsets.last ?? snapOffset, by: 1)))
        }
        #expect(try await stranger.messages().isEmpty, "the failed request subscribed nothing")
    }

    @Test func busyBroadcastsBoundedByTimeKeepEveryConnectionsOrder() async throws {
        // Busy (one HTTP request in progress is enough here), with a slice so short that every turn ends after one
        // stride of sockets: broadcasts to 150 connections take several turns each, in order.
        let hub = await makeHub(chunk: 1, busySlice: .nanoseconds(1))
        hub.fanoutPace.requestStarted()
        defer { hub.fanoutPace.requestFinished() }
        #expect(hub.fanoutPace.isBusy)
        var connections: [FakeConnection] = []
        for id in 1...150 { connections.append(try await connect(hub, id: UInt64(id), loop: 0)) }
        for c in connections { _ = try await subscribe(hub, c, [petition]) }
        for n in 1...4 {
            await hub.publish(petition, event: "threshold", data: .object([("n", .int(Int64(n)))]), delivery: .reliable)
        }
        for c in connections {
            try await eventually { try await events(c.messages(), petition).count == 4 }
            #expect(events(try await c.messages(), petition).map(\.0) == [1, 2, 3, 4])
        }
    }
}

extension Result where Failure == ProtocolError {
    var failureCode: ProtocolErrorCode? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}

@Suite struct FanoutPaceTests {
    @Test func theBusyRegimeFollowsRequestsInProgress() {
        let pace = FanoutPace(factor: 1, busyFactor: 2.5, busyRequests: 2)
        pace.record(.milliseconds(300))
        #expect(!pace.isBusy)
        #expect(pace.spacing(tick: .milliseconds(100)) == .milliseconds(300))
        pace.requestStarted()
        #expect(!pace.isBusy, "one request is not a flood")
        pace.requestStarted()
        #expect(pace.isBusy)
        #expect(pace.spacing(tick: .milliseconds(100)) == .milliseconds(750))
        pace.requestFinished()
        #expect(!pace.isBusy)
        #expect(pace.spacing(tick: .seconds(1)) == .seconds(1), "never below the tick")
    }

    @Test func zeroRequestsMeansNeverBusy() {
        let pace = FanoutPace(busyRequests: 0)
        for _ in 0..<100 { pace.requestStarted() }
        #expect(!pace.isBusy)
    }
}
