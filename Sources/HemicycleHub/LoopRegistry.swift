import HemicycleCore
import NIOCore

/// The connections of one event loop, by topic. Confined to its loop: the hub hops here once per broadcast and the
/// registry writes the shared bytes to each of its sockets, so a broadcast costs one hop per loop, not per socket.
// `@unchecked Sendable`: every member asserts it runs on `eventLoop`; only the reference crosses threads.
final class LoopRegistry: @unchecked Sendable {
    let eventLoop: any EventLoop
    private var byTopic: [Topic: [ConnectionID: any LiveConnection]] = [:]
    private var all: [ConnectionID: any LiveConnection] = [:]

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func register(_ connection: any LiveConnection) {
        eventLoop.assertInEventLoop()
        all[connection.connectionID] = connection
    }

    /// Removes the connection from every topic; returns the topics it was in.
    @discardableResult
    func unregister(_ id: ConnectionID) -> [Topic] {
        eventLoop.assertInEventLoop()
        all[id] = nil
        var left: [Topic] = []
        for (topic, members) in byTopic where members[id] != nil {
            left.append(topic)
        }
        for topic in left { remove(id, from: topic) }
        return left
    }

    func add(_ connection: any LiveConnection, to topic: Topic) {
        eventLoop.assertInEventLoop()
        byTopic[topic, default: [:]][connection.connectionID] = connection
    }

    func remove(_ id: ConnectionID, from topic: Topic) {
        eventLoop.assertInEventLoop()
        byTopic[topic]?[id] = nil
        if byTopic[topic]?.isEmpty == true { byTopic[topic] = nil }
    }

    /// Delivers a frame to every connection of this loop subscribed to its topic; returns how many.
    func deliver(_ frame: BroadcastFrame) -> Int {
        guard let members = byTopic[frame.topic] else { return 0 }
        for connection in members.values { connection.deliver(frame) }
        return members.count
    }

    /// One sweep of the heartbeat: pings every connection and lets idle ones close themselves.
    func heartbeat(ping: ByteBuffer) -> Int {
        let now = NIODeadline.now()
        var closed = 0
        for connection in Array(all.values) where connection.heartbeat(ping: ping, now: now) { closed += 1 }
        return closed
    }
}
