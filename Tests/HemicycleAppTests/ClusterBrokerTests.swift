import Foundation
@testable import HemicycleApp
import HemicycleCore
import HemicycleHub
import HemicyclePostgres
import HemicyclePostgresTesting
import HemicycleStorage
import Logging
import NIOCore
import NIOPosix
import Testing

/// Two nodes on one PostgreSQL database: each a hub and a `ClusterBroker` on its own `PostgresLiveBus`. What one
/// publishes reaches the other's hub at the same offsets; counts read from the database never go backwards; presence
/// adds up; a history pruned past a node's offset is reported lost.
@Suite(.enabled(if: TestCluster.isAvailable || TestCluster.required, Comment(rawValue: TestCluster.absentReason)))
struct ClusterBrokerTests {
    static var logger: Logger {
        var logger = Logger(label: "cluster-test")
        logger.logLevel = .warning
        return logger
    }

    struct Node {
        let hub: Hub
        let broker: ClusterBroker
        let bus: PostgresLiveBus
        let running: Task<Void, any Error>
    }

    static func node(_ url: PostgresURL, name: String, topics: [(Topic, JSONValue)]) async throws -> Node {
        var configuration = HubConfiguration(tick: .milliseconds(50))
        configuration.presence = .shared
        let hub = Hub(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration, logger: logger, encodeFrame: { ByteBuffer(bytes: $0) })
        let bus = try await PostgresLiveBus.open(url: url, node: name, logger: logger)
        try await bus.prepare()
        var settings = ClusterSettings(log: bus)
        settings.presenceInterval = .milliseconds(200)
        settings.presenceExpiry = .seconds(1)
        let broker = ClusterBroker(hub: hub, settings: settings, tick: .milliseconds(50), logger: logger)
        for (topic, snapshot) in topics { await broker.declare(topic, snapshot: snapshot, tracksPresence: Hub.tracksPresence(topic)) }
        let running = Task { try await broker.run() }
        return Node(hub: hub, broker: broker, bus: bus, running: running)
    }

    /// Waits (up to 10 s) until `condition` holds.
    static func eventually(_ what: Comment, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record(what)
    }

    /// A store migrated and seeded (petition 1), for the count the bus reads.
    static func database() async throws -> (PostgresURL, PostgresStore) {
        let url = try await TestCluster.newDatabase()
        let store = try await PostgresStore.open(url: url, poolSize: 4, logger: logger)
        try await store.migrate()
        _ = try await store.seedDemoIfEmpty(.standard(now: Timestamp(millisecondsSince1970: 1_800_000_000_000)))
        return (url, store)
    }

    @Test func whatOneNodePublishesReachesTheOtherAtTheSameOffsets() async throws {
        let (url, store) = try await Self.database()
        let petition = Topic.petition(.init(1)), sitting = Topic.sitting(.init(1))
        let topics: [(Topic, JSONValue)] = [(petition, .object([("signature_count", 0)])), (sitting, .object([("questions", .array([]))]))]
        let a = try await Self.node(url, name: "a", topics: topics)
        let b = try await Self.node(url, name: "b", topics: topics)
        #expect(await a.hub.state(of: petition)?.epoch == b.hub.state(of: petition)?.epoch, "one epoch per topic, from the database")

        await a.broker.publish(sitting, event: "question", data: .object([("id", 7)]), delivery: .reliable, snapshot: .object([("questions", .array([7]))]))
        await b.broker.publish(sitting, event: "question", data: .object([("id", 8)]), delivery: .reliable, snapshot: .object([("questions", .array([7, 8]))]))
        await a.broker.publish(petition, event: "count", data: .object([("signature_count", 999)]), delivery: .conflated)
        for node in [a, b] {
            try await Self.eventually("both sitting events reached every node") { await node.hub.state(of: sitting)?.offset == 2 }
            #expect(await node.hub.state(of: sitting)?.data["questions"] == .array([7, 8]))
            // The count is the database's (the demo petition's), not the 999 the publisher passed.
            try await Self.eventually("the count reached every node") { await node.hub.state(of: petition)?.offset == 1 }
            let count = await node.hub.state(of: petition)?.data["signature_count"]?.intValue
            let stored = try await store.petition(.init(1))?.signatureCount
            #expect(count == stored.map(Int64.init))
        }
        a.running.cancel()
        b.running.cancel()
        try await store.close()
    }

    /// A node that starts after events were published (a restart, or a node added) takes the shared log's recent
    /// entries as its history: a client that was on another node, or on this one before it died, resumes here
    /// without a snapshot, with what it missed.
    @Test func aNodeStartedLaterResumesFromTheSharedHistory() async throws {
        let (url, store) = try await Self.database()
        let sitting = Topic.sitting(.init(1))
        let topics: [(Topic, JSONValue)] = [(sitting, .object([("questions", .array([]))]))]
        let a = try await Self.node(url, name: "a", topics: topics)
        for id in 1...3 {
            await a.broker.publish(sitting, event: "question", data: .object([("id", .int(Int64(id)))]), delivery: .reliable,
                                   snapshot: .object([("questions", .array((1...id).map { .int(Int64($0)) }))]))
        }
        try await Self.eventually("a published its three events") { await a.hub.state(of: sitting)?.offset == 3 }
        guard let epoch = await a.hub.state(of: sitting)?.epoch else { return }
        let later = try await Self.node(url, name: "c", topics: [(sitting, .object([("questions", .array([1, 2, 3]))]))])
        #expect(await later.hub.state(of: sitting)?.offset == 3)
        #expect(await later.hub.state(of: sitting)?.data["questions"] == .array([1, 2, 3]), "the snapshot given, not an older one")
        #expect(await later.hub.replayCount(sitting, from: ResumePosition(epoch: epoch, offset: 1)) == 2)
        #expect(await later.hub.replayCount(sitting, from: ResumePosition(epoch: epoch, offset: 0)) == 3)
        #expect(await later.hub.replayCount(sitting, from: ResumePosition(epoch: "another", offset: 1)) == nil)
        a.running.cancel()
        later.running.cancel()
        try await store.close()
    }

    @Test func countsNumberedByTheDatabaseNeverGoBackwards() async throws {
        let (url, store) = try await Self.database()
        let a = try await PostgresLiveBus.open(url: url, node: "a", logger: Self.logger)
        let b = try await PostgresLiveBus.open(url: url, node: "b", logger: Self.logger)
        try await a.prepare()
        let petition = Topic.petition(.init(1))
        _ = try await a.positions(of: [petition])
        // Signatures commit while both nodes append counts: whatever the interleaving, a later offset never carries a
        // lower count.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for n in 0..<30 {
                    let signature = try SignatureRequest(name: "Signer \(n)", email: "s\(n)@example.org").validated().get()
                    let pending = PendingSignature(petitionID: .init(1), signature: signature)
                    _ = try await store.commitSignatures([pending], now: Timestamp(millisecondsSince1970: 1_800_000_000_000))
                }
            }
            for bus in [a, b] {
                group.addTask {
                    for _ in 0..<30 { _ = try await bus.append([BusDraft(topic: petition, kind: .conflated, name: "count", data: .petitionCount(.init(1)))]) }
                }
            }
            try await group.waitForAll()
        }
        let read = try await a.entries(after: [petition: 0])
        let counts = read.entries.map { $0.data["signature_count"]?.intValue ?? -1 }
        #expect(read.entries.map(\.offset) == Array(1...60).map(UInt64.init), "offsets without holes, in order")
        #expect(counts == counts.sorted(), "never backwards: \(counts)")
        try await store.close()
    }

    @Test func presenceAddsUpAndASilentNodeDropsOut() async throws {
        let (url, store) = try await Self.database()
        let a = try await PostgresLiveBus.open(url: url, node: "a", logger: Self.logger)
        let b = try await PostgresLiveBus.open(url: url, node: "b", logger: Self.logger)
        try await a.prepare()
        let sitting = Topic.sitting(.init(1))
        _ = try await a.positions(of: [sitting])
        _ = try await a.reportPresence([sitting: 3], expiryMilliseconds: 1000)
        let both = try await b.reportPresence([sitting: 4], expiryMilliseconds: 1000)
        #expect(both[sitting] == PresenceTally(viewers: 7, peak: 7))
        try await Task.sleep(for: .milliseconds(1200))
        // A stopped reporting (killed): only B is left, the peak stays.
        let alone = try await b.reportPresence([sitting: 4], expiryMilliseconds: 1000)
        #expect(alone[sitting] == PresenceTally(viewers: 4, peak: 7))
        try await store.close()
    }

    @Test func aHistoryPrunedPastANodeIsReportedLost() async throws {
        let (url, store) = try await Self.database()
        let bus = try await PostgresLiveBus.open(url: url, node: "a", logger: Self.logger)
        try await bus.prepare()
        let sitting = Topic.sitting(.init(1))
        _ = try await bus.positions(of: [sitting])
        for n in 1...5 { _ = try await bus.append([BusDraft(topic: sitting, kind: .reliable, name: "question", data: .value(.int(Int64(n))))]) }
        #expect(try await bus.prune(keep: 2, olderThanMilliseconds: 3_600_000) == 3)
        let behind = try await bus.entries(after: [sitting: 1])
        #expect(behind.lost == [sitting])
        #expect(behind.entries.isEmpty)
        let close = try await bus.entries(after: [sitting: 3])
        #expect(close.lost.isEmpty)
        #expect(close.entries.map(\.offset) == [4, 5])
        try await store.close()
    }
}
