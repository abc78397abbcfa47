import HemicycleCore
import HemicycleHub
import Logging
import NIOCore
import NIOPosix
import Testing

/// The hub of one of several nodes: topics numbered by the shared event log (`declare(at:)`, `ingest`), presence from
/// every node (`.shared`), and a resync after a lost history.
@Suite struct HubIngestTests {
    let sitting = Topic.sitting(.init(1))
    let helper = HubTests()

    func makeHub() async -> Hub {
        var configuration = HubConfiguration(tick: .milliseconds(50), historyCapacity: 4)
        configuration.presence = .shared
        let hub = Hub(eventLoopGroup: helper.group, configuration: configuration, logger: Logger(label: "test"), encodeFrame: { ByteBuffer(bytes: $0) })
        await hub.declare(sitting, snapshot: .object([("questions", .array([]))]), tracksPresence: true, at: ResumePosition(epoch: "db-epoch", offset: 10))
        return hub
    }

    func entry(_ offset: UInt64, _ kind: BusEntry.Kind, _ name: String, _ data: JSONValue, _ snapshot: BusEntry.SnapshotChange = .mergeData) -> BusEntry {
        BusEntry(topic: sitting, offset: offset, kind: kind, name: name, data: data, snapshot: snapshot, node: "other")
    }

    @Test func entriesGoOutAtTheirOffsetsAndResumeAcrossGaps() async throws {
        let hub = await makeHub()
        let c = try await helper.connect(hub, id: 1)
        _ = try await helper.subscribe(hub, c, [sitting])
        await hub.ingest([
            entry(11, .reliable, "question", .object([("id", 1)]), .replace(.object([("questions", .array([1]))]))),
            entry(13, .conflated, "viewers", .object([("viewers", 7), ("peak_viewers", 9)])),
            entry(12, .reliable, "question", .object([("id", 0)])),  // behind: a duplicate, dropped
            entry(14, .declare, "", .object([("questions", .array([1])), ("title", "Renamed")])),
            entry(15, .reliable, "question", .object([("id", 2)]), .replace(.object([("questions", .array([1, 2]))]))),
        ], epochs: [sitting: "db-epoch"])
        try await helper.eventually { try await helper.events(c.messages(), sitting).count == 3 }
        #expect(helper.events(try await c.messages(), sitting).map(\.0) == [11, 13, 15], "at the log's offsets; a declaration sends nothing")
        let state = try #require(await hub.state(of: sitting))
        #expect(state.epoch == "db-epoch" && state.offset == 15)
        #expect(state.data["questions"] == .array([1, 2]))
        #expect(state.data["viewers"]?.intValue == 7 && state.data["peak_viewers"]?.intValue == 9, "presence is every node's")
        #expect(await hub.presence(of: sitting)?.viewers == 7)
        #expect(await hub.localPresence()[sitting] == 1, "what this node reports: its own subscriber")

        // A client that left at 12 (a gap here) resumes with 13 and 15; one from before the node joined gets a snapshot.
        let back = try await helper.connect(hub, id: 2)
        _ = try await helper.subscribe(hub, back, [sitting], resume: [sitting: ResumePosition(epoch: "db-epoch", offset: 12)])
        try await helper.eventually { try await helper.events(back.messages(), sitting).count == 2 }
        #expect(helper.events(try await back.messages(), sitting).map(\.0) == [13, 15])
        let old = try await helper.connect(hub, id: 3)
        _ = try await helper.subscribe(hub, old, [sitting], resume: [sitting: ResumePosition(epoch: "db-epoch", offset: 9)])
        try await helper.eventually {
            try await old.messages().contains { if case .snapshot = $0 { true } else { false } }
        }
    }

    @Test func aResyncSendsEverySubscriberTheSnapshot() async throws {
        let hub = await makeHub()
        let c = try await helper.connect(hub, id: 1)
        _ = try await helper.subscribe(hub, c, [sitting])
        await hub.resync(sitting, snapshot: .object([("questions", .array([5]))]), at: 40)
        try await helper.eventually {
            try await c.messages().filter { if case .snapshot = $0 { true } else { false } }.count == 2
        }
        guard case .snapshot(_, let epoch, let offset, let data) = try await c.messages().last else {
            Issue.record("the last message is not the snapshot")
            return
        }
        #expect(epoch == "db-epoch" && offset == 40 && data["questions"] == .array([5]))
    }
}
