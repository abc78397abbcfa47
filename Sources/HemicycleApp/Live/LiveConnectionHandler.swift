import HemicycleCore
import HemicycleHub
import Logging
import NIOCore
import NIOWebSocket
import Metrics
import Synchronization

private let nextConnectionID = Atomic<UInt64>(0)

/// One `/live` WebSocket connection: parses client messages, talks to the hub, and writes frames with the
/// slow-reader policy. The only per-connection object besides NIO's channel and frame decoder (no task, no timer,
/// no async stream per connection), which keeps an idle viewer small.
///
/// Outbound: frames go straight to the socket while it is writable; when it is not, they wait in a bounded
/// `OutboundQueue` where counts of the same topic collapse to the latest, and an overflow closes with 4002. Every
/// frame counts against that one bound, those that complete a subscription (snapshots, replayed events) included, so
/// what a connection can make the server hold for it is explicit: NIO's write buffer up to its high watermark
/// (`LiveSettings.writeBufferHigh`) plus the one frame that crossed it, and the queue (`queueMaxFrames`,
/// `queueMaxBytes`). A client that keeps asking for replays (subscribing again with `resume`) and never reads is
/// closed with 4002 like any other slow reader.
///
/// "Straight to the socket" means `send(2)` on the socket's descriptor (`DirectSocketWriter`) when it is known and
/// NIO holds nothing unwritten for the socket; whatever the kernel does not take goes to NIO, and every later frame
/// follows it through NIO until NIO has written it all, so frames (broadcasts, replies, pings, close) stay in order.
final class LiveConnectionHandler: ChannelInboundHandler, LiveConnection {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = ByteBuffer

    let connectionID: ConnectionID
    private(set) var isClosed = false
    private var context: ChannelHandlerContext?
    private var closing = false
    /// The channel's writability, as last reported: read on every broadcast write, so kept here rather than asked
    /// of the channel each time (an atomic load through two objects per socket per broadcast).
    private var writable = true
    private var lastHeard = NIODeadline.now()
    /// The socket's verified descriptor for direct writes, or -1 (TLS, unknown: everything goes through NIO).
    private let descriptor: CInt
    /// Writes handed to NIO whose promise has not completed yet: while any is pending, direct writes would overtake
    /// them, so every frame goes through NIO.
    private var unwrittenInNIO = 0
    private var topics = TopicList()
    private var queue: OutboundQueue<ByteBuffer>
    private var errors: ErrorRateLimiter
    private var message: ByteBuffer?
    private var messageIsBinary = false
    private var messageTooLarge = false

    private let environment: LiveConnectionEnvironment
    private var hub: Hub { environment.hub }
    private var settings: LiveSettings { environment.settings }
    private var metrics: LiveMetrics { environment.metrics }
    private var logger: Logger { environment.logger }
    private var idleTimeout: TimeAmount { environment.idleTimeout }

    convenience init(hub: Hub, settings: LiveSettings, metrics: LiveMetrics, logger: Logger) {
        self.init(environment: LiveConnectionEnvironment(hub: hub, settings: settings, metrics: metrics, logger: logger))
    }

    /// What this connection may read, from its cookies at the upgrade; narrowed (never widened) when its staff
    /// session ends or loses a role (`restrictAccess`).
    private var access: LiveAccess

    init(environment: LiveConnectionEnvironment, access: LiveAccess = .public, descriptor: CInt? = nil) {
        self.access = access
        self.descriptor = descriptor ?? -1
        self.connectionID = ConnectionID(nextConnectionID.add(1, ordering: .relaxed).newValue)
        self.environment = environment
        let settings = environment.settings
        self.queue = OutboundQueue(maxFrames: settings.queueMaxFrames, maxBytes: settings.queueMaxBytes)
        self.errors = ErrorRateLimiter(limit: settings.abuseErrors, window: settings.abuseWindow)
    }

    // MARK: - Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        metrics.connections.increment()
        hub.connectionOpened(self, on: context.eventLoop)
        if let session = access.staffSession, access.topics.hasStaffTopics {
            environment.staffSessions?.register(self, session: session, on: context.eventLoop)
        }
        let session = "s-" + String(connectionID.rawValue, radix: 16) + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let heartbeat = hub.configuration.heartbeat
        let welcome = ServerMessage.welcome(
            session: session, heartbeatMilliseconds: Int(heartbeat.components.seconds * 1000 + heartbeat.components.attoseconds / 1_000_000_000_000_000),
            maxMessageBytes: settings.maxMessageBytes, maxTopics: settings.maxTopics
        )
        // Through NIO: the 101 response may still be in NIO's buffer, and the welcome must follow it.
        writeThroughNIO(WebSocketWire.text(welcome.bytes), context: context)
        metrics.framesDirect.increment()
    }

    func channelInactive(context: ChannelHandlerContext) {
        markClosed(context: context)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        markClosed(context: context)
        self.context = nil
    }

    private func markClosed(context: ChannelHandlerContext) {
        guard !isClosed else { return }
        isClosed = true
        metrics.connections.decrement()
        hub.connectionClosed(connectionID, on: context.eventLoop)
        if access.staffSession != nil { environment.staffSessions?.unregister(connectionID) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            close(.goingAway)
        } else if let event = event as? ChannelEvent, event == .inputClosed {
            close(.normal)  // the client will send nothing more
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Once closing (a frame over the limit, say), the decoder reports every later read as an error: the close
        // frame is on its way and the socket closes when it is written (or after 5 s), so nothing more to do.
        guard !closing, !isClosed else { return }
        if let error = error as? NIOWebSocketError {
            close(error == .invalidFrameLength ? .messageTooBig : .protocolError)
        } else {
            logger.debug("live connection error", metadata: ["connection": "\(connectionID)", "error": "\(error)"])
            context.close(promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        writable = context.channel.isWritable
        if writable, !queue.isEmpty, !closing {
            for buffer in queue.drain() { writeNow(buffer, context: context) }
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        lastHeard = .now()
        guard frame.maskKey != nil else {
            close(.protocolError)  // RFC 6455 §5.1: a client must mask every frame.
            return
        }
        switch frame.opcode {
        case .text, .binary:
            guard message == nil else {
                close(.protocolError)  // a new data frame inside a fragmented message
                return
            }
            message = context.channel.allocator.buffer(capacity: 0)
            messageIsBinary = frame.opcode == .binary
            messageTooLarge = false
            append(frame)
        case .continuation:
            guard message != nil else {
                close(.protocolError)
                return
            }
            append(frame)
        case .ping:
            guard frame.fin, frame.length <= 125 else {
                close(.protocolError)
                return
            }
            // Answer only while the socket drains (RFC 6455 §5.5.3 allows answering just the latest ping), so a client
            // that floods pings and never reads cannot grow our write buffer.
            if queue.isEmpty, writable, !closing {
                writeNow(WebSocketWire.frame(.pong, payload: frame.unmaskedData.readableBytesView), context: context)
            }
        case .pong:
            break
        case .connectionClose:
            close(.normal)
        default:
            close(.protocolError)
        }
    }

    private func append(_ frame: WebSocketFrame) {
        var data = frame.unmaskedData
        if !messageTooLarge, !messageIsBinary {
            if (message?.readableBytes ?? 0) + data.readableBytes > settings.maxMessageBytes {
                messageTooLarge = true
                message?.clear()
            } else {
                message?.writeBuffer(&data)
            }
        }
        guard frame.fin, let complete = message else { return }
        message = nil
        if messageIsBinary {
            report(ProtocolError(.binaryNotSupported, "Binary frames are not supported; send JSON text frames."))
        } else if messageTooLarge {
            report(ProtocolError(.messageTooLarge, "Messages are limited to \(settings.maxMessageBytes) bytes."))
        } else {
            handle(ClientMessage.decode(complete.readableBytesView))
        }
    }

    private func handle(_ decoded: Result<ClientMessage, ProtocolError>) {
        switch decoded {
        case .failure(let error):
            report(error)
        case .success(.ping(let ref)):
            send(.pong(ref: ref))
        case .success(let request):
            guard pendingRequests.count < Self.maxPendingRequests else {
                report(ProtocolError(.invalidMessage, ref: request.ref, "Too many subscribe/unsubscribe requests are waiting; wait for their replies."))
                return
            }
            pendingRequests.append(request)
            runNextRequest()
        }
    }

    /// Subscribe and unsubscribe requests waiting their turn. They run one at a time, in order: each waits for the
    /// hub, and its effects on this loop (registry, topic set, reply) happen in the hop back, so a quick
    /// subscribe-then-unsubscribe can never leave a subscription behind or deliver events after `unsubscribed`.
    private var pendingRequests: [ClientMessage] = []
    private var requestInFlight = false
    static let maxPendingRequests = 32

    private func runNextRequest() {
        guard !requestInFlight, !isClosed, !closing, let context, !pendingRequests.isEmpty else { return }
        let request = pendingRequests.removeFirst()
        let loop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: loop)
        let hub = self.hub
        let id = connectionID
        let access = access.topics
        switch request {
        case .subscribe(let ref, let requested, let resume):
            let added = requested.filter { !topics.contains($0) }
            guard topics.count + added.count <= settings.maxTopics else {
                report(ProtocolError(.tooManyTopics, ref: ref, "A connection may hold at most \(settings.maxTopics) topics."))
                runNextRequest()
                return
            }
            requestInFlight = true
            let connection = NIOLoopBound<any LiveConnection>(self, eventLoop: loop)
            let request = SubscribeRequest(connection: connection, id: id, topics: requested, resume: resume, ref: ref, access: access)
            // Batched with the other subscribes this loop read in the same turn. On success the hub has already
            // scheduled the snapshots and reply on this loop; the completion runs after.
            environment.subscribeBatcher(for: loop).submit(request) { outcome in
                if case .failure(let error) = outcome { handler.value.report(error) }
                handler.value.requestFinished()
            }
        case .unsubscribe(let ref, let requested):
            let left = requested.filter { topics.contains($0) }
            topics.subtract(left)
            hub.leaveOnLoop(id, on: loop, topics: left)
            requestInFlight = true
            Task(executorPreference: environment.taskExecutor(for: loop)) {
                await hub.unsubscribe(id: id, loop: loop, topics: left)
                loop.execute {
                    handler.value.send(.unsubscribed(ref: ref, topics: requested))
                    handler.value.requestFinished()
                }
            }
        case .ping:
            break
        }
    }

    private func requestFinished() {
        requestInFlight = false
        runNextRequest()
    }

    private func report(_ error: ProtocolError) {
        metrics.protocolError(error.code.rawValue)
        send(.error(error))
        if errors.record(now: .now) {
            metrics.abuseCloses.increment()
            close(.abuse)
        }
    }

    // MARK: - Outbound

    private func send(_ message: ServerMessage) {
        write(WebSocketWire.text(message.bytes), key: nil)
        metrics.framesDirect.increment()
    }

    func deliver(_ frame: BroadcastFrame) {
        // A broadcast that started before this connection left the topic may still be on its way to it.
        guard topics.contains(frame.topic) else { return }
        write(frame.bytes, key: frame.conflationKey)
    }

    func completeSubscription(topics subscribed: [Topic], frames: [BroadcastFrame]) {
        // Access may have been narrowed while the hub prepared this subscription: its topics that are no longer
        // allowed are dropped at once, and their frames (a moderation snapshot) are never written.
        let revoked = subscribed.filter { !access.topics.allows($0) }
        if !revoked.isEmpty, let context {
            hub.leaveOnLoop(connectionID, on: context.eventLoop, topics: revoked)
            let hub = hub, id = connectionID, loop = context.eventLoop
            Task { await hub.unsubscribe(id: id, loop: loop, topics: revoked) }
        }
        topics.formUnion(subscribed.filter { !revoked.contains($0) })
        // Counted against the slow-reader queue like every frame: a client that asks for replays faster than it
        // reads them is closed with 4002 instead of growing the server's memory (the reply is the last frame).
        let kept = frames.enumerated().filter { $0.offset == frames.count - 1 || !revoked.contains($0.element.topic) }.map(\.element)
        if kept.count > 1, queue.isEmpty, writable {
            // One write for the snapshot(s) and the reply: one syscall and one TCP segment instead of one per frame,
            // which counts when thousands of viewers subscribe at once (a reconnect storm).
            var joined = WebSocketWire.allocator.buffer(capacity: kept.reduce(0) { $0 + $1.bytes.readableBytes })
            for frame in kept { joined.writeImmutableBuffer(frame.bytes) }
            write(joined, key: nil)
        } else {
            for frame in kept { write(frame.bytes, key: nil) }
        }
        metrics.framesDirect.increment(by: frames.count)
        if !revoked.isEmpty { reportRevoked(revoked) }
    }

    func topicEnded(_ topic: Topic) {
        topics.subtract([topic])
    }

    /// Narrows what this connection may read to what its staff session grants now (`LiveStaffSessions`): the staff
    /// topics it holds and may no longer read are dropped, with an `access_revoked` error naming them.
    func restrictAccess(to current: TopicAccess) {
        guard let context, !isClosed else { return }
        let narrowed = access.topics.narrowed(to: current)
        guard narrowed != access.topics else { return }
        access.topics = narrowed
        if !narrowed.hasStaffTopics {
            environment.staffSessions?.unregister(connectionID)
            access.staffSession = nil
        }
        var revoked: [Topic] = []
        for topic in topics.all where !narrowed.allows(topic) { revoked.append(topic) }
        guard !revoked.isEmpty else { return }
        topics.subtract(revoked)
        hub.leaveOnLoop(connectionID, on: context.eventLoop, topics: revoked)
        let hub = hub, id = connectionID, loop = context.eventLoop
        Task { await hub.unsubscribe(id: id, loop: loop, topics: revoked) }
        reportRevoked(revoked)
    }

    /// Tells the client which staff topics it lost. Not a client error: it does not count toward the abuse limit.
    private func reportRevoked(_ revoked: [Topic]) {
        metrics.accessRevoked.increment()
        let names = revoked.map { "`\($0)`" }.joined(separator: ", ")
        send(.error(ProtocolError(
            .accessRevoked, "Your staff session ended or no longer grants \(names): the topic is closed. Log in again and reconnect to read it.",
            topics: revoked
        )))
    }

    private func write(_ bytes: ByteBuffer, key: String?) {
        guard let context, !isClosed, !closing else { return }
        if queue.isEmpty, writable {
            writeNow(bytes, context: context)
            return
        }
        switch queue.enqueue(bytes, bytes: bytes.readableBytes, key: key) {
        case .queued: break
        case .collapsed: metrics.collapsed.increment()
        case .overflow:
            metrics.slowConsumerCloses.increment()
            close(.slowConsumer)
        }
    }

    func heartbeat(ping: ByteBuffer, now: NIODeadline) -> Bool {
        guard let context, !isClosed, !closing else { return false }
        if now - lastHeard > idleTimeout {
            close(.idleTimeout)
            return true
        }
        if writable { writeNow(ping, context: context) }
        return false
    }

    /// Writes `bytes` now: with one `send(2)` when NIO holds nothing for this socket, else (or for what the kernel
    /// did not take) through NIO, behind what it holds.
    private func writeNow(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        guard descriptor >= 0, unwrittenInNIO == 0 else {
            writeThroughNIO(bytes, context: context)
            return
        }
        switch DirectSocketWriter.send(bytes, to: descriptor) {
        case .complete:
            return
        case .partial(let count):
            var rest = bytes
            rest.moveReaderIndex(forwardBy: count)
            writeThroughNIO(rest, context: context)
        case .failed:
            // NIO's own write meets the same error and closes the channel the usual way.
            writeThroughNIO(bytes, context: context)
        }
    }

    /// Hands `bytes` to NIO, counting it in `unwrittenInNIO` until NIO has written it (or failed: closing).
    private func writeThroughNIO(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        guard descriptor >= 0 else {
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
            return
        }
        unwrittenInNIO += 1
        let promise = context.eventLoop.makePromise(of: Void.self)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        promise.futureResult.whenComplete { _ in handler.value.unwrittenInNIO -= 1 }
        context.writeAndFlush(wrapOutboundOut(bytes), promise: promise)
    }

    /// Sends a close frame and closes the socket once it is written, or after 5 s if the frame is still stuck behind
    /// data the client does not read (so a stuck socket cannot hold up a shutdown).
    private func close(_ code: CloseCode) {
        guard let context, !closing, !isClosed else { return }
        closing = true
        let channel = context.channel
        context.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
        context.writeAndFlush(wrapOutboundOut(WebSocketWire.close(code.rawValue, reason: code.reason))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
