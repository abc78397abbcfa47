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
/// `OutboundQueue` where counts of the same topic collapse to the latest, and an overflow closes with 4002.
final class LiveConnectionHandler: ChannelInboundHandler, LiveConnection {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = ByteBuffer

    let connectionID: ConnectionID
    private(set) var isClosed = false
    private let hub: Hub
    private let settings: LiveSettings
    private let metrics: LiveMetrics
    private let logger: Logger
    private let idleTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var closing = false
    private var lastHeard = NIODeadline.now()
    private var topics: Set<Topic> = []
    private var queue: OutboundQueue<ByteBuffer>
    private var errors: ErrorRateLimiter
    private var message: ByteBuffer?
    private var messageIsBinary = false
    private var messageTooLarge = false

    init(hub: Hub, settings: LiveSettings, metrics: LiveMetrics, logger: Logger) {
        self.connectionID = ConnectionID(nextConnectionID.add(1, ordering: .relaxed).newValue)
        self.hub = hub
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        let heartbeat = hub.configuration.heartbeat
        let heartbeatNanos = heartbeat.components.seconds * 1_000_000_000 + heartbeat.components.attoseconds / 1_000_000_000
        self.idleTimeout = .nanoseconds(2 * heartbeatNanos + 5_000_000_000)
        self.queue = OutboundQueue(maxFrames: settings.queueMaxFrames, maxBytes: settings.queueMaxBytes)
        self.errors = ErrorRateLimiter(limit: settings.abuseErrors, window: settings.abuseWindow)
    }

    // MARK: - Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        metrics.connections.increment()
        hub.connectionOpened(self, on: context.eventLoop)
        let session = "s-" + String(connectionID.rawValue, radix: 16) + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let heartbeat = hub.configuration.heartbeat
        let welcome = ServerMessage.welcome(
            session: session, heartbeatMilliseconds: Int(heartbeat.components.seconds * 1000 + heartbeat.components.attoseconds / 1_000_000_000_000_000),
            maxMessageBytes: settings.maxMessageBytes, maxTopics: settings.maxTopics
        )
        send(welcome)
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
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            close(.goingAway)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOWebSocketError {
            close(error == .invalidFrameLength ? .messageTooBig : .protocolError)
        } else {
            logger.debug("live connection error", metadata: ["connection": "\(connectionID)", "error": "\(error)"])
            context.close(promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, !queue.isEmpty {
            for buffer in queue.drain() { context.write(wrapOutboundOut(buffer), promise: nil) }
            context.flush()
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
            context.writeAndFlush(wrapOutboundOut(WebSocketWire.frame(.pong, payload: frame.unmaskedData.readableBytesView)), promise: nil)
        case .pong:
            break
        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self).flatMap(CloseCode.init(rawValue:)) ?? .normal
            close(code == .goingAway ? .normal : code)
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
        case .success(.subscribe(let ref, let requested, let resume)):
            subscribe(ref: ref, requested: requested, resume: resume)
        case .success(.unsubscribe(let ref, let requested)):
            let left = requested.filter { topics.contains($0) }
            topics.subtract(left)
            if let context, !left.isEmpty { hub.connectionLeft(connectionID, on: context.eventLoop, topics: left) }
            send(.unsubscribed(ref: ref, topics: requested))
        }
    }

    private func subscribe(ref: String?, requested: [Topic], resume: [Topic: ResumePosition]) {
        guard let context else { return }
        let added = requested.filter { !topics.contains($0) }
        guard topics.count + added.count <= settings.maxTopics else {
            report(ProtocolError(.tooManyTopics, ref: ref, "A connection may hold at most \(settings.maxTopics) topics."))
            return
        }
        // Reserve the topics now so that a burst of subscribes cannot overshoot the limit; released on failure.
        topics.formUnion(added)
        let loop = context.eventLoop
        let connection = NIOLoopBound<any LiveConnection>(self, eventLoop: loop)
        let handler = NIOLoopBound(self, eventLoop: loop)
        let hub = self.hub
        let id = connectionID
        Task {
            let outcome = await hub.subscribe(connection, id: id, topics: requested, resume: resume, ref: ref)
            if case .failure(let error) = outcome {
                loop.execute {
                    handler.value.topics.subtract(added)
                    handler.value.report(error)
                }
            }
        }
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
        write(frame.bytes, key: frame.conflationKey)
    }

    func completeSubscription(topics subscribed: [Topic], frames: [BroadcastFrame]) {
        for frame in frames { write(frame.bytes, key: nil) }
        metrics.framesDirect.increment(by: frames.count)
    }

    private func write(_ bytes: ByteBuffer, key: String?) {
        guard let context, !isClosed, !closing else { return }
        if queue.isEmpty, context.channel.isWritable {
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
            return
        }
        switch queue.enqueue(bytes, bytes: bytes.readableBytes, key: key) {
        case .queued: break
        case .collapsed: metrics.collapsed.increment()
        case .overflow:
            metrics.slowConsumerCloses.increment()
            close(.slowConsumer, force: true)
        }
    }

    func heartbeat(ping: ByteBuffer, now: NIODeadline) -> Bool {
        guard let context, !isClosed, !closing else { return false }
        if now - lastHeard > idleTimeout {
            close(.idleTimeout)
            return true
        }
        if context.channel.isWritable { context.writeAndFlush(wrapOutboundOut(ping), promise: nil) }
        return false
    }

    /// Sends a close frame and closes the socket once it is written. With `force` (a reader whose socket no longer
    /// drains) the socket is closed after 5 s even if the close frame is still waiting behind unread data.
    private func close(_ code: CloseCode, force: Bool = false) {
        guard let context, !closing, !isClosed else { return }
        closing = true
        let channel = context.channel
        if force {
            context.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
        }
        context.writeAndFlush(wrapOutboundOut(WebSocketWire.close(code.rawValue, reason: code.reason))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
