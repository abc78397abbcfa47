import HemicycleCore
import HemicycleHub
import NIOCore

/// A subscriber that records what the hub sends it. Used on its event loop only; read through `messages()`.
final class FakeConnection: LiveConnection, @unchecked Sendable {
    let connectionID: ConnectionID
    let eventLoop: any EventLoop
    var isClosed = false
    private var received: [ServerMessage] = []
    private var ended: [Topic] = []

    init(id: UInt64, eventLoop: any EventLoop) {
        self.connectionID = ConnectionID(id)
        self.eventLoop = eventLoop
    }

    func deliver(_ frame: BroadcastFrame) {
        received.append(Self.decode(frame))
    }

    func completeSubscription(topics: [Topic], frames: [BroadcastFrame]) {
        received.append(contentsOf: frames.map(Self.decode))
    }

    func topicEnded(_ topic: Topic) { ended.append(topic) }

    func heartbeat(ping: ByteBuffer, now: NIODeadline) -> Bool { false }

    /// The topics the hub ended for this connection so far.
    func endedTopics() async throws -> [Topic] {
        try await eventLoop.submit { self.ended }.get()
    }

    static func decode(_ frame: BroadcastFrame) -> ServerMessage {
        (try? ServerMessage.decode(Array(frame.bytes.readableBytesView))) ?? .pong(ref: "undecodable")
    }

    /// Everything received so far (waits for the loop to run what is queued).
    func messages() async throws -> [ServerMessage] {
        try await eventLoop.submit { self.received }.get()
    }

    func open(on hub: Hub) async throws {
        try await eventLoop.submit { hub.connectionOpened(self, on: self.eventLoop) }.get()
    }

    var bound: NIOLoopBound<any LiveConnection> {
        get async throws {
            try await eventLoop.submit { NIOLoopBound<any LiveConnection>(self, eventLoop: self.eventLoop) }.get()
        }
    }
}
