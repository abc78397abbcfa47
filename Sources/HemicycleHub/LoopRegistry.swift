import HemicycleCore
import NIOCore

/// The connections of one event loop, by topic. Confined to its loop: the hub hops here once per broadcast and the
/// registry writes the shared bytes to each of its sockets, so a broadcast costs one hop per loop, not per socket.
// `@unchecked Sendable`: every member asserts it runs on `eventLoop`; only the reference crosses threads.
final class LoopRegistry: @unchecked Sendable {
    let eventLoop: any EventLoop
    private var byTopic: [Topic: [ConnectionID: any LiveConnection]] = [:]
    private var all: [ConnectionID: any LiveConnection] = [:]
    /// Broadcasts not yet written to every member, oldest first.
    private var pending = CircularBuffer<PendingBroadcast>()
    private var draining = false
    /// Sockets written per turn of the event loop before other work gets a turn.
    let chunkSize: Int
    private let pace: FanoutPace
    /// Topics with at most this many members on the loop are written at once rather than queued.
    static let smallTopic = 32

    private struct PendingBroadcast {
        let frame: BroadcastFrame
        /// The topic's last frame: once it is written to every member, they leave the topic.
        let endsTopic: Bool
        var members: [any LiveConnection]?
        var next = 0
        var started = NIODeadline.now()

        init(frame: BroadcastFrame, endsTopic: Bool) {
            self.frame = frame
            self.endsTopic = endsTopic
        }
    }

    init(eventLoop: any EventLoop, chunkSize: Int = 512, pace: FanoutPace = FanoutPace()) {
        self.eventLoop = eventLoop
        self.chunkSize = max(1, chunkSize)
        self.pace = pace
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

    /// Queues a broadcast for this loop's members of its topic and returns how many there are.
    ///
    /// Broadcasts go out in order, in chunks of `chunkSize` sockets per turn of the event loop: a broadcast to 19,000
    /// viewers costs hundreds of milliseconds of socket writes on a busy core, and HTTP requests on the same loop
    /// (signatures) must not wait for all of it. Members are read when a broadcast starts, so a connection that
    /// subscribed in the meantime gets it too (a duplicate offset at worst, which clients ignore); a connection that
    /// left the topic since is skipped by `LiveConnection.deliver`.
    ///
    /// With `endingTopic`, the frame is the topic's last (`Hub.retire`): the members it was written to then leave the
    /// topic, here and in their connection (`LiveConnection.topicEnded`).
    func deliver(_ frame: BroadcastFrame, endingTopic: Bool = false) -> Int {
        eventLoop.assertInEventLoop()
        guard let members = byTopic[frame.topic] else { return 0 }
        // A topic with few members (a moderation queue, a quiet petition) costs almost nothing to write now, and
        // must not wait behind a big broadcast in progress: it jumps the queue, unless an earlier frame of the same
        // topic is still queued (each topic's frames stay in order).
        if members.count <= Self.smallTopic, !pending.contains(where: { $0.frame.topic == frame.topic }) {
            let written = Array(members.values)
            for member in written { member.deliver(frame) }
            if endingTopic { end(frame.topic, for: written) }
            return members.count
        }
        pending.append(PendingBroadcast(frame: frame, endsTopic: endingTopic))
        if !draining {
            draining = true
            drain()
        }
        return members.count
    }

    /// Sockets written between two readings of the clock when the turn is bounded by time.
    private static let clockStride = 64

    private func drain() {
        // Busy (an HTTP flood, see `FanoutPace`): bounded by time, not by count.
        let busy = pace.isBusy
        var budget = busy ? Int.max : chunkSize
        let turnEnds: NIODeadline? = busy ? NIODeadline.now() + pace.busySlice : nil
        while budget > 0, var current = pending.first {
            if current.members == nil {
                current.members = byTopic[current.frame.topic].map { Array($0.values) } ?? []
                current.started = .now()
            }
            let members = current.members ?? []
            var end = current.next + min(members.count - current.next, budget)
            if let turnEnds {
                // Bounded by time too: write in strides, reading the clock between them.
                var index = current.next
                while index < end {
                    let strideEnd = min(end, index + Self.clockStride)
                    while index < strideEnd {
                        members[index].deliver(current.frame)
                        index += 1
                    }
                    if index < end, NIODeadline.now() >= turnEnds { end = index }
                }
                budget = NIODeadline.now() >= turnEnds ? 0 : budget - (end - current.next)
            } else {
                for index in current.next..<end { members[index].deliver(current.frame) }
                budget -= end - current.next
            }
            current.next = end
            if end == members.count {
                pending.removeFirst()
                if current.endsTopic { self.end(current.frame.topic, for: members) }
                pace.record(NIODeadline.now() - current.started)
            } else {
                pending[pending.startIndex] = current
            }
        }
        if pending.isEmpty {
            draining = false
        } else {
            // Not `execute`: NIO runs tasks queued by a running task in the same loop tick, before any I/O. A task
            // due a moment from now ends the tick, so the loop reads and writes its sockets (HTTP) in between chunks.
            eventLoop.scheduleTask(in: .microseconds(50)) { self.drain() }
        }
    }

    /// Takes `members` out of `topic` after its last frame was written to them.
    private func end(_ topic: Topic, for members: [any LiveConnection]) {
        for member in members {
            remove(member.connectionID, from: topic)
            member.topicEnded(topic)
        }
    }

    /// Pings the connections of one slice (`connectionID % slices == slice`) and closes those silent for too long;
    /// returns how many it closed.
    func heartbeat(ping: ByteBuffer, slice: Int, of slices: Int) -> Int {
        let now = NIODeadline.now()
        var closed = 0
        let due = all.values.filter { Int($0.connectionID.rawValue % UInt64(max(1, slices))) == slice }
        for connection in due where connection.heartbeat(ping: ping, now: now) { closed += 1 }
        return closed
    }
}
