public import HemicycleCore
public import Logging
import Metrics
public import NIOCore

/// The live hub: owns every topic's state (snapshot, offsets, history, conflation, presence) and fans events out.
///
/// Contracts:
/// - Topics exist only once `declare(_:snapshot:tracksPresence:)` was called; subscribing to anything else is
///   `unknown_topic`. Declared topics are public unless `Topic.isPublic` says otherwise.
/// - `publish` encodes each event once; the bytes go to each event loop with subscribers in one hop and are written
///   there to every subscribed socket. Events of a topic reach every subscriber in offset order.
/// - A subscription's snapshot (or replayed events) and its `subscribed` reply are written before any later event of
///   that topic: both travel through the same loop's task queue, scheduled from this actor in order.
public actor Hub {
    /// Wraps a message's UTF-8 JSON in the transport's frame (the WebSocket header). Called once per broadcast.
    public typealias FrameEncoder = @Sendable ([UInt8]) -> ByteBuffer

    private struct TopicRecord {
        var log: TopicLog<BroadcastFrame>
        var snapshot: JSONValue
        var snapshotFrame: BroadcastFrame?
        var conflators: [String: Conflator] = [:]
        var pendingData: [String: JSONValue] = [:]
        /// Subscribers per event-loop index.
        var members: [Set<ConnectionID>]
        var tracksPresence: Bool
        var peakViewers = 0
        /// With `PresenceSource.shared`: the viewers and peak of every node, as the last `viewers` event said.
        var shared = PresenceTally()

        var localViewers: Int { members.reduce(0) { $0 + $1.count } }
    }

    public nonisolated let configuration: HubConfiguration
    /// The fan-out pacing, which the HTTP side tells about its requests in progress (`FanoutPace.requestStarted`).
    public nonisolated var fanoutPace: FanoutPace { pace }
    private let encodeFrame: FrameEncoder
    private let logger: Logger
    private let registries: [LoopRegistry]
    private let pace: FanoutPace
    private let loopIndex: [ObjectIdentifier: Int]
    private var topics: [Topic: TopicRecord] = [:]
    private let epochPrefix: String
    private var heartbeatTasks: [RepeatedTask] = []

    private let framesDelivered = Counter(label: "hemicycle_frames_sent_total", dimensions: [("kind", "broadcast")])
    private let collapsedCounter = Counter(label: "hemicycle_conflation_collapsed_total", dimensions: [("where", "topic")])
    private let subscriptionsGauge = Gauge(label: "hemicycle_subscriptions")
    private var subscriptionCount = 0

    /// - Parameters:
    ///   - eventLoopGroup: the loops that own the sockets; the hub keeps one registry per loop.
    ///   - encodeFrame: turns a JSON message into the bytes written to a socket.
    public init(eventLoopGroup: any EventLoopGroup, configuration: HubConfiguration = .init(), logger: Logger, encodeFrame: @escaping FrameEncoder) {
        var registries: [LoopRegistry] = []
        let pace = FanoutPace(
            factor: configuration.broadcastPacing, busyFactor: configuration.busyBroadcastPacing, busyRequests: configuration.busyRequests,
            busySlice: TimeAmount(configuration.busyBroadcastSlice))
        self.pace = pace
        var index: [ObjectIdentifier: Int] = [:]
        for loop in eventLoopGroup.makeIterator() {
            index[ObjectIdentifier(loop)] = registries.count
            registries.append(LoopRegistry(eventLoop: loop, chunkSize: configuration.broadcastChunk, pace: pace))
        }
        self.registries = registries
        self.loopIndex = index
        self.configuration = configuration
        self.logger = logger
        self.encodeFrame = encodeFrame
        self.epochPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    // MARK: - Topics

    /// Makes a topic subscribable with its current state, or replaces the state of a declared one (publishing no
    /// event). Topics that track presence get `viewers` and `peak_viewers` kept in their snapshot.
    public func declare(_ topic: Topic, snapshot: JSONValue, tracksPresence: Bool = false) {
        declare(topic, snapshot: snapshot, tracksPresence: tracksPresence, at: nil)
    }

    /// `declare`, numbered elsewhere (the shared event log of several nodes): a new topic starts at `position`; a
    /// declared one in the same epoch gets the snapshot and moves to `position.offset`, keeping its history (the
    /// offsets in between were not events); one in another epoch starts again at `position` and its subscribers get
    /// the new snapshot.
    public func declare(_ topic: Topic, snapshot: JSONValue, tracksPresence: Bool, at position: ResumePosition?) {
        if var record = topics[topic], position.map({ $0.epoch == record.log.epoch }) ?? true {
            record.snapshot = record.tracksPresence ? withPresence(snapshot, record) : snapshot
            record.snapshotFrame = nil
            if let position { record.log.skip(to: position.offset) }
            topics[topic] = record
            return
        }
        let epoch = position?.epoch ?? "\(epochPrefix)\(String(UInt16.random(in: 0...UInt16.max), radix: 16))"
        var record = TopicRecord(
            log: TopicLog(epoch: epoch, capacity: configuration.historyCapacity, offset: position?.offset ?? 0), snapshot: snapshot,
            members: topics[topic]?.members ?? Array(repeating: [], count: registries.count), tracksPresence: tracksPresence
        )
        if tracksPresence { record.snapshot = withPresence(snapshot, record) }
        let resend = topics[topic] != nil
        topics[topic] = record
        // A new epoch under existing subscribers: they get the new snapshot, which replaces what they hold
        // (Protocol/PROTOCOL.md 5.2).
        if resend { resync(topic, snapshot: snapshot, at: position?.offset ?? 0) }
    }

    /// Replaces a topic's state after a gap this node cannot fill (the shared history no longer holds what it
    /// missed): the history restarts at `offset` (a client from before it gets a snapshot) and every subscriber gets
    /// the snapshot now, which replaces what it holds.
    public func resync(_ topic: Topic, snapshot: JSONValue, at offset: UInt64) {
        guard var record = topics[topic] else { return }
        record.snapshot = record.tracksPresence ? withPresence(snapshot, record) : snapshot
        record.snapshotFrame = nil
        record.log.restart(at: offset)
        dispatch(snapshotFrame(&record, topic: topic), of: record)
        topics[topic] = record
    }

    /// Ends a topic: sends a last reliable `event` to its subscribers, then forgets it (snapshot, history, members),
    /// so that it serves nothing more: subscribing to it is `unknown_topic`, and each subscriber's connection drops it
    /// once that event is written (`LiveConnection.topicEnded`). For a petition that was hidden or rejected. Declaring
    /// the topic again starts a new epoch.
    public func retire(_ topic: Topic, event: String, data: JSONValue) {
        retire(topic, event: event, data: data, at: nil)
    }

    /// Replaces a topic's state with `snapshot` read again from the store (several nodes, after this node was cut off
    /// from the others), keeping its numbering and history. When it differs from the state held, every subscriber gets
    /// it now (a snapshot replaces what a client holds, Protocol/PROTOCOL.md 5.2): something changed that no event
    /// said. Returns whether it differed.
    @discardableResult
    public func refresh(_ topic: Topic, snapshot: JSONValue) -> Bool {
        guard var record = topics[topic] else { return false }
        let updated = record.tracksPresence ? withPresence(snapshot, record) : snapshot
        guard updated != record.snapshot else { return false }
        record.snapshot = updated
        record.snapshotFrame = nil
        dispatch(snapshotFrame(&record, topic: topic), of: record)
        topics[topic] = record
        return true
    }

    /// `retire` at an offset numbered elsewhere (the shared event log).
    public func retire(_ topic: Topic, event: String, data: JSONValue, at offset: UInt64?) {
        guard let record = topics.removeValue(forKey: topic) else { return }
        let message = ServerMessage.event(topic: topic, epoch: record.log.epoch, offset: offset ?? record.log.offset + 1, event: event, data: data)
        let frame = BroadcastFrame(bytes: encodeFrame(message.bytes), topic: topic, conflationKey: nil)
        subscriptionCount -= record.localViewers
        subscriptionsGauge.record(subscriptionCount)
        for (index, members) in record.members.enumerated() where !members.isEmpty {
            let registry = registries[index]
            let counter = framesDelivered
            registry.eventLoop.execute {
                counter.increment(by: registry.deliver(frame, endingTopic: true))
            }
        }
    }

    /// The current snapshot state of a topic and its offset, if declared.
    public func state(of topic: Topic) -> (data: JSONValue, epoch: String, offset: UInt64)? {
        topics[topic].map { ($0.snapshot, $0.log.epoch, $0.log.offset) }
    }

    /// How many events a client at `position` would be sent on resume, or nil when it would get a snapshot instead
    /// (another epoch, or before what this hub's history covers).
    public func replayCount(_ topic: Topic, from position: ResumePosition) -> Int? {
        guard let record = topics[topic], case .events(let missed) = record.log.replay(from: position) else { return nil }
        return missed.count
    }

    /// Publishes a change: merges `data` into the topic's snapshot and sends `event` to subscribers.
    /// - Parameters:
    ///   - delivery: `.conflated` events go out at most once per tick with the latest data; `.reliable` always.
    ///   - snapshotPatch: merged into the snapshot instead of `data` when given.
    ///   - snapshot: replaces the whole snapshot (presence fields are kept) instead of merging; for topics whose
    ///     state is more than a flat object (a sitting's question list).
    public func publish(_ topic: Topic, event: String, data: JSONValue, delivery: Delivery, snapshotPatch: JSONValue? = nil, snapshot: JSONValue? = nil) {
        guard var record = topics[topic] else {
            logger.debug("publish to undeclared topic", metadata: ["topic": "\(topic)"])
            return
        }
        if let snapshot {
            record.snapshot = record.tracksPresence ? withPresence(snapshot, record) : snapshot
        } else {
            record.snapshot = record.snapshot.merging(snapshotPatch ?? data)
        }
        record.snapshotFrame = nil
        switch delivery {
        case .reliable:
            emit(&record, topic: topic, event: event, data: data, conflationKey: nil)
        case .conflated:
            var conflator = record.conflators[event] ?? Conflator(tick: configuration.tick)
            conflator.tick = pace.spacing(tick: configuration.tick)
            switch conflator.change(now: .now) {
            case .sendNow:
                emit(&record, topic: topic, event: event, data: data, conflationKey: "\(topic)|\(event)")
            case .scheduleFlush(let deadline):
                record.pendingData[event] = data
                Task { [weak self] in
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    await self?.flush(topic, event: event)
                }
            case .collapsed:
                record.pendingData[event] = data
                collapsedCounter.increment()
            }
            record.conflators[event] = conflator
        }
        topics[topic] = record
    }

    /// Publishes several reliable events of one topic together, replacing its snapshot: each event gets its own
    /// offset (and is replayed alone on resume), but subscribers receive them in one buffer, one socket write each,
    /// instead of one write per event. For changes that always come together (a hearing question and its decision).
    public func publish(_ topic: Topic, batch events: [(event: String, data: JSONValue)], snapshot: JSONValue) {
        guard var record = topics[topic], !events.isEmpty else { return }
        record.snapshot = record.tracksPresence ? withPresence(snapshot, record) : snapshot
        record.snapshotFrame = nil
        var combined = ByteBuffer()
        for (event, data) in events {
            let offset = record.log.offset + 1
            let message = ServerMessage.event(topic: topic, epoch: record.log.epoch, offset: offset, event: event, data: data)
            let frame = BroadcastFrame(bytes: encodeFrame(message.bytes), topic: topic, conflationKey: nil)
            record.log.append(frame)
            var bytes = frame.bytes
            combined.writeBuffer(&bytes)
        }
        dispatch(BroadcastFrame(bytes: combined, topic: topic, conflationKey: nil), of: record)
        topics[topic] = record
    }

    /// Publishes entries of the shared event log (several nodes), in offset order, at their offsets: each is encoded
    /// once and handed to the loops like `publish`, without this hub's own conflation (the log's reader conflates per
    /// tick, `BusEntry.conflate`). Entries at or below the topic's offset are duplicates and skipped; a declaration
    /// or an end goes through `declare`/`retire`. With `PresenceSource.shared`, a `viewers` event sets the presence.
    ///
    /// `snapshots` replace, after the entries, the snapshots of those topics (new subscribers get them): the state as
    /// this node's caches hold it once they caught up with the store, which is never older than the entries. An
    /// entry's own snapshot was made by the node that wrote it from its caches, which can miss a change another node
    /// committed a moment before and numbered earlier; taken as is, it would set every node's snapshot back.
    public func ingest(_ entries: [BusEntry], epochs: [Topic: String], snapshots: [Topic: JSONValue] = [:]) {
        for entry in entries {
            let topic = entry.topic
            switch entry.kind {
            case .declare:
                declare(topic, snapshot: entry.data, tracksPresence: Self.tracksPresence(topic), at: ResumePosition(epoch: epochs[topic] ?? "", offset: entry.offset))
                continue
            case .retire:
                if let record = topics[topic], entry.offset > record.log.offset { retire(topic, event: entry.name, data: entry.data, at: entry.offset) }
                continue
            case .reliable, .conflated:
                break
            }
            guard var record = topics[topic], entry.offset > record.log.offset else { continue }
            if record.tracksPresence, entry.name == "viewers", configuration.presence == .shared {
                record.shared = PresenceTally(viewers: Int(entry.data["viewers"]?.intValue ?? 0), peak: Int(entry.data["peak_viewers"]?.intValue ?? 0))
            }
            switch entry.snapshot {
            case .replace(let snapshot): record.snapshot = record.tracksPresence ? withPresence(snapshot, record) : snapshot
            case .patch(let patch): record.snapshot = record.snapshot.merging(patch)
            case .mergeData: record.snapshot = record.snapshot.merging(entry.data)
            }
            record.snapshotFrame = nil
            let message = ServerMessage.event(topic: topic, epoch: record.log.epoch, offset: entry.offset, event: entry.name, data: entry.data)
            let frame = BroadcastFrame(
                bytes: encodeFrame(message.bytes), topic: topic, conflationKey: entry.kind == .conflated ? "\(topic)|\(entry.name)" : nil)
            record.log.append(frame, at: entry.offset)
            dispatch(frame, of: record)
            topics[topic] = record
        }
        for (topic, snapshot) in snapshots {
            guard var record = topics[topic] else { continue }
            record.snapshot = record.tracksPresence ? withPresence(snapshot, record) : snapshot
            record.snapshotFrame = nil
            topics[topic] = record
        }
    }

    /// Whether a topic counts its viewers (a sitting's public topic).
    public static func tracksPresence(_ topic: Topic) -> Bool {
        if case .sitting = topic { true } else { false }
    }

    /// This node's viewers of every topic that tracks presence (what it reports to the others).
    public func localPresence() -> [Topic: Int] {
        var counts: [Topic: Int] = [:]
        for (topic, record) in topics where record.tracksPresence { counts[topic] = record.localViewers }
        return counts
    }

    /// The epoch and offset of every declared topic (where a node's reader of the shared log stands).
    public func positions() -> [Topic: ResumePosition] {
        topics.mapValues { ResumePosition(epoch: $0.log.epoch, offset: $0.log.offset) }
    }

    private func flush(_ topic: Topic, event: String) {
        guard var record = topics[topic], var conflator = record.conflators[event] else { return }
        if conflator.fire(now: .now), let data = record.pendingData.removeValue(forKey: event) {
            emit(&record, topic: topic, event: event, data: data, conflationKey: "\(topic)|\(event)")
        }
        record.conflators[event] = conflator
        topics[topic] = record
    }

    private func emit(_ record: inout TopicRecord, topic: Topic, event: String, data: JSONValue, conflationKey: String?) {
        let offset = record.log.offset + 1
        let message = ServerMessage.event(topic: topic, epoch: record.log.epoch, offset: offset, event: event, data: data)
        let frame = BroadcastFrame(bytes: encodeFrame(message.bytes), topic: topic, conflationKey: conflationKey)
        record.log.append(frame)
        dispatch(frame, of: record)
    }

    /// Hands `frame` to every event loop that has members of its topic.
    private func dispatch(_ frame: BroadcastFrame, of record: TopicRecord) {
        for (index, members) in record.members.enumerated() where !members.isEmpty {
            let registry = registries[index]
            let counter = framesDelivered
            registry.eventLoop.execute {
                counter.increment(by: registry.deliver(frame))
            }
        }
    }

    // MARK: - Subscriptions

    /// Subscribes a connection to topics, all or nothing.
    ///
    /// On success, the snapshots (or, for a matching resume position, the missed events) and the `subscribed` reply
    /// are scheduled on the connection's loop, followed by every later event. On failure nothing changes.
    /// - Parameters:
    ///   - connection: the subscriber, bound to its loop.
    ///   - access: which staff-only topics the connection may read (decided at the upgrade, from its session).
    public func subscribe(
        _ connection: NIOLoopBound<any LiveConnection>, id: ConnectionID, topics requested: [Topic],
        resume: [Topic: ResumePosition], ref: String?, access: TopicAccess = .public
    ) -> SubscribeOutcome {
        let request = SubscribeRequest(connection: connection, id: id, topics: requested, resume: resume, ref: ref, access: access)
        let (outcome, completion) = prepare(request)
        if let completion { connection.eventLoop.execute(completion) }
        return outcome
    }

    /// Subscribes several connections, each all or nothing, as `subscribe` does one: one hop to the hub for the whole
    /// batch instead of one each, for the moments when thousands of viewers connect at once. Outcomes are in the order
    /// of `requests`. Each success's writes are scheduled on its loop as soon as it is prepared, as `subscribe` does,
    /// so that any event this actor sends to that loop afterwards (a presence change caused by the next request of
    /// the batch) finds the connection registered, and its snapshot cut before that event.
    public func subscribe(batch requests: [SubscribeRequest]) -> [SubscribeOutcome] {
        requests.map { request in
            let (outcome, completion) = prepare(request)
            if let completion { request.connection.eventLoop.execute(completion) }
            return outcome
        }
    }

    /// Checks and records one subscription; returns its outcome and, on success, the work to run on the connection's
    /// loop (registering it and writing its snapshots and reply), which the caller schedules there before anything
    /// else this actor schedules for that loop.
    private func prepare(_ request: SubscribeRequest) -> (SubscribeOutcome, (@Sendable () -> Void)?) {
        let requested = request.topics, ref = request.ref, id = request.id, connection = request.connection
        for topic in requested {
            guard request.access.allows(topic) else {
                return (.failure(ProtocolError(.forbiddenTopic, ref: ref, "`\(topic)` is for staff only.")), nil)
            }
            guard topics[topic] != nil else {
                return (.failure(ProtocolError(.unknownTopic, ref: ref, "`\(topic)` does not exist.")), nil)
            }
        }
        guard let index = loopIndex[ObjectIdentifier(connection.eventLoop)] else {
            return (.failure(ProtocolError(.invalidMessage, ref: ref, "This connection is not served by the hub.")), nil)
        }
        var frames: [BroadcastFrame] = []
        var replies: [ServerMessage.SubscribedTopic] = []
        for topic in requested {
            // Membership and presence first: a presence event this causes is then part of the state the new
            // subscriber's snapshot (or replay) is cut at, and the subscriber only receives later offsets.
            if topics[topic]?.members[index].insert(id).inserted == true {
                subscriptionCount += 1
                if topics[topic]?.tracksPresence == true { presenceChanged(topic) }
            }
            guard var record = topics[topic] else { continue }
            var recovered = false
            if let position = request.resume[topic], case .events(let missed) = record.log.replay(from: position) {
                frames.append(contentsOf: missed)
                recovered = true
            } else {
                frames.append(snapshotFrame(&record, topic: topic))
            }
            replies.append(.init(topic: topic, epoch: record.log.epoch, offset: record.log.offset, recovered: recovered))
            topics[topic] = record
        }
        subscriptionsGauge.record(subscriptionCount)
        let reply = ServerMessage.subscribed(ref: ref, topics: replies)
        frames.append(BroadcastFrame(bytes: encodeFrame(reply.bytes), topic: requested[0], conflationKey: nil))
        let registry = registries[index]
        let written = frames
        let completion: @Sendable () -> Void = {
            let connection = connection.value
            if connection.isClosed {
                Task { await self.unsubscribe(id: id, loop: registry.eventLoop, topics: requested) }
                return
            }
            for topic in requested { registry.add(connection, to: topic) }
            connection.completeSubscription(topics: requested, frames: written)
        }
        return (.success(replies), completion)
    }

    private func snapshotFrame(_ record: inout TopicRecord, topic: Topic) -> BroadcastFrame {
        if let cached = record.snapshotFrame { return cached }
        let message = ServerMessage.snapshot(topic: topic, epoch: record.log.epoch, offset: record.log.offset, data: record.snapshot)
        let frame = BroadcastFrame(bytes: encodeFrame(message.bytes), topic: topic, conflationKey: nil)
        record.snapshotFrame = frame
        return frame
    }

    /// Removes a connection from topics (ignoring those it is not in). Call on unsubscribe; the connection has
    /// already left the loop registry.
    public func unsubscribe(id: ConnectionID, loop: any EventLoop, topics left: [Topic]) {
        guard let index = loopIndex[ObjectIdentifier(loop)] else { return }
        for topic in left {
            if topics[topic]?.members[index].remove(id) != nil, let record = topics[topic] {
                subscriptionCount -= 1
                if record.tracksPresence { presenceChanged(topic) }
            }
        }
        subscriptionsGauge.record(subscriptionCount)
    }

    // MARK: - Presence

    private func withPresence(_ snapshot: JSONValue, _ record: TopicRecord) -> JSONValue {
        let (viewers, peak) = configuration.presence == .shared
            ? (record.shared.viewers, record.shared.peak) : (record.localViewers, record.peakViewers)
        return snapshot.setting("viewers", to: .int(Int64(viewers))).setting("peak_viewers", to: .int(Int64(peak)))
    }

    private func presenceChanged(_ topic: Topic) {
        // Shared presence is summed across nodes by the cluster broker, which reads `localPresence()`.
        guard configuration.presence == .local, var record = topics[topic] else { return }
        let viewers = record.localViewers
        record.peakViewers = max(record.peakViewers, viewers)
        topics[topic] = record
        let data: JSONValue = .object([("viewers", .int(Int64(viewers))), ("peak_viewers", .int(Int64(record.peakViewers)))])
        publish(topic, event: "viewers", data: data, delivery: .conflated)
    }

    /// How many connections read a topic now, and the most at once since the server started.
    public func presence(of topic: Topic) -> (viewers: Int, peak: Int)? {
        guard let record = topics[topic] else { return nil }
        return configuration.presence == .shared ? (record.shared.viewers, record.shared.peak) : (record.localViewers, record.peakViewers)
    }

    // MARK: - Connections

    /// The registry of the loop that owns `eventLoop`'s sockets. Connections register themselves on open.
    nonisolated func registry(for eventLoop: any EventLoop) -> LoopRegistry? {
        loopIndex[ObjectIdentifier(eventLoop)].map { registries[$0] }
    }

    /// Registers a new connection with its loop (for heartbeats). Call on the connection's loop.
    public nonisolated func connectionOpened(_ connection: any LiveConnection, on eventLoop: any EventLoop) {
        registry(for: eventLoop)?.register(connection)
    }

    /// Forgets a closed connection: leaves its loop's registry at once and the topics' membership soon after.
    /// Call on the connection's loop.
    public nonisolated func connectionClosed(_ id: ConnectionID, on eventLoop: any EventLoop) {
        guard let registry = registry(for: eventLoop) else { return }
        let left = registry.unregister(id)
        guard !left.isEmpty else { return }
        Task { await self.unsubscribe(id: id, loop: eventLoop, topics: left) }
    }

    /// Stops delivering topics to a connection at once; the caller then awaits `unsubscribe` for membership.
    /// Call on the connection's loop.
    public nonisolated func leaveOnLoop(_ id: ConnectionID, on eventLoop: any EventLoop, topics left: [Topic]) {
        guard let registry = registry(for: eventLoop) else { return }
        for topic in left { registry.remove(id, from: topic) }
    }

    /// Starts one heartbeat sweep per event loop (no per-connection timers): each pings all of its connections and
    /// closes those that have been silent too long.
    public func startHeartbeats(ping: ByteBuffer) {
        guard heartbeatTasks.isEmpty else { return }
        let interval = TimeAmount.nanoseconds(Int64(configuration.heartbeat.components.seconds) * 1_000_000_000
            + configuration.heartbeat.components.attoseconds / 1_000_000_000)
        let idleClosed = Counter(label: "hemicycle_idle_closes_total")
        // The sweep is spread over the interval in slices (one every 100 ms to 1 s): each connection is still pinged
        // once per interval, but a loop never writes a ping to all of its sockets at once, which with tens of
        // thousands of viewers would stall it for as long as a broadcast.
        let slices = max(1, min(25, Int(interval.nanoseconds / 100_000_000)))
        let step = TimeAmount.nanoseconds(interval.nanoseconds / Int64(slices))
        for registry in registries {
            let slice = NIOLoopBoundBox.makeBoxSendingValue(0, eventLoop: registry.eventLoop)
            heartbeatTasks.append(
                registry.eventLoop.scheduleRepeatedTask(initialDelay: step, delay: step) { _ in
                    idleClosed.increment(by: registry.heartbeat(ping: ping, slice: slice.value, of: slices))
                    slice.value = (slice.value + 1) % slices
                }
            )
        }
    }

    /// Stops the heartbeat sweeps.
    public func stopHeartbeats() {
        for task in heartbeatTasks { task.cancel() }
        heartbeatTasks.removeAll()
    }
}
