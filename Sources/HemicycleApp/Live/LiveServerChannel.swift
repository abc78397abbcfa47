import HTTPTypes
import HemicycleCore
import HemicycleHub
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Metrics
import NIOWebSocket

/// Hummingbird's child channel for Hemicycle: HTTP/1.1 for everything, and the upgrade of `GET /live` to the live
/// pipeline. Modelled on hummingbird-websocket's `HTTP1WebSocketUpgradeChannel`, which we cannot use as is because
/// it runs a task and an async channel per WebSocket (see `LiveWebSocketUpgrader`).
struct LiveServerChannel: ServerChildChannel, HTTPChannelHandler {
    /// What became of a new connection.
    enum Outcome: Sendable {
        /// Upgraded; `LiveConnectionHandler` owns it now.
        case live
        /// Plain HTTP.
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// An upgrade was refused; answer with this status and JSON error, then close.
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, Refusal)
        /// Over `--max-connections-per-address`: answered 429 and closed at once.
        case dropped
    }

    struct Refusal: Sendable {
        var status: HTTPResponse.Status
        var code: String
        var message: String
    }

    struct Value: ServerChildChannelValue {
        let outcome: EventLoopFuture<Outcome>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let hub: Hub
    let settings: LiveSettings
    let originPolicy: OriginPolicy
    let accessResolver: LiveAccessResolver
    let metrics: LiveMetrics
    let logger: Logger
    /// Shared by every connection's handler.
    let environment: LiveConnectionEnvironment
    /// Which `Host` values are the site's (checked on the upgrade; plain HTTP is checked by `HostGuardMiddleware`).
    let site: SiteAddress
    let headTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    /// `--max-connections-per-address`, when set.
    let connections: ConnectionLimiter?
    /// Whether the connection arrives through TLS (`TLSServerChannel`): requests' scheme is then https.
    let secure: Bool

    init(
        responder: @escaping HTTPChannelHandler.Responder, hub: Hub, settings: LiveSettings, originPolicy: OriginPolicy,
        accessResolver: LiveAccessResolver, site: SiteAddress, headTimeout: Duration, bodyTimeout: Duration, connections: ConnectionLimiter?,
        staffSessions: LiveStaffSessions? = nil, secure: Bool = false, logger: Logger
    ) {
        self.responder = responder
        self.secure = secure
        self.site = site
        self.headTimeout = TimeAmount(headTimeout)
        self.bodyTimeout = TimeAmount(bodyTimeout)
        self.connections = connections
        self.accessResolver = accessResolver
        self.hub = hub
        self.settings = settings
        self.originPolicy = originPolicy
        self.logger = logger
        let metrics = LiveMetrics()
        self.metrics = metrics
        self.environment = LiveConnectionEnvironment(hub: hub, settings: settings, metrics: metrics, logger: logger, staffSessions: staffSessions)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        if let connections {
            guard let place = connections.acquire(channel.remoteAddress?.ipAddress ?? "unknown") else {
                return Self.drop(channel)
            }
            channel.closeFuture.whenComplete { _ in connections.release(place) }
        }
        return channel.eventLoop.makeCompletedFuture {
            // NIO keeps each channel's last receive buffer for reuse, for the channel's whole life. Its default first
            // buffer is 2 KiB, most of the memory of an idle viewer; 512 bytes hold an HTTP request or a client
            // message, and the allocator still grows for larger reads.
            try channel.syncOptions?.setOption(
                ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65_536))
            try channel.pipeline.syncOperations.addHandler(PreRequestGuard(timeout: headTimeout), name: PreRequestGuard.name)
            // A wrapper that transforms the bytes (Hummingbird's `TLSChannel` adds its TLS handler, then calls this
            // setup) leaves a handler before ours, and then nothing is ever written to the descriptor behind it.
            let direct = settings.directSocketWrites && Self.isPlainTransport(channel)
            let refusal = NIOLoopBoundBox<Refusal?>(nil, eventLoop: channel.eventLoop)
            let policy = originPolicy
            let site = site
            let deadlines = (head: headTimeout, body: bodyTimeout)
            let secure = secure
            let metrics = metrics
            let resolver = accessResolver
            let access = NIOLoopBoundBox<LiveAccess>(.public, eventLoop: channel.eventLoop)
            let upgrader = LiveWebSocketUpgrader(environment: environment, access: access, directWrites: direct) { channel, head in
                let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
                guard path == "/live" else {
                    refusal.value = Refusal(status: .notFound, code: "not_found", message: "There is no WebSocket endpoint at \(path); use /live.")
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                switch site.check(hosts: head.headers["host"]) {
                case .allowed:
                    break
                case .invalid:
                    refusal.value = Refusal(status: .badRequest, code: "invalid_host", message: "Send one Host header naming this site.")
                    return channel.eventLoop.makeSucceededFuture(nil)
                case .notAllowed:
                    refusal.value = Refusal(status: .misdirectedRequest, code: "host_not_allowed", message: "This server does not answer for that host.")
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                guard policy.allows(origin: head.headers.first(name: "origin")) else {
                    metrics.refusedUpgrades.increment()
                    refusal.value = Refusal(
                        status: .forbidden, code: "origin_not_allowed",
                        message: "WebSocket connections from this origin are not allowed."
                    )
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                let cookies = head.headers["cookie"]
                return resolver.access(cookieHeader: cookies.isEmpty ? nil : cookies.joined(separator: "; "), on: channel.eventLoop).map { resolved in
                    access.value = resolved
                    return HTTPHeaders()
                }
            }
            let upgradeConfiguration = NIOTypedHTTPServerUpgradeConfiguration<Outcome>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        PreRequestGuard.remove(from: channel)
                        let requestDeadlines = RequestDeadlines(head: deadlines.head, body: deadlines.body)
                        try channel.pipeline.syncOperations.addHandler(
                            requestDeadlines.firstByteWatcher(), name: RequestDeadlines.FirstByte.name, position: .first)
                        try channel.pipeline.syncOperations.addHandler(requestDeadlines, name: RequestDeadlines.name)
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: secure))
                        try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: .seconds(60), logger: logger))
                        let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)
                        )
                        if let refused = refusal.value { return .refused(asyncChannel, refused) }
                        return .http(asyncChannel)
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Outcome>(upgradeConfiguration: upgradeConfiguration)
            configuration.enablePipelining = false
            configuration.enableErrorHandling = false
            configuration.enableResponseHeaderValidation = false
            let outcome = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            return Value(outcome: outcome, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.outcome.get() {
            case .live, .dropped:
                // The NIO handler owns a live socket from here: no task is kept per live connection. A dropped one is
                // closed already.
                return
            case .http(let asyncChannel):
                await handleHTTP(asyncChannel: asyncChannel, logger: logger)
            case .refused(let asyncChannel, let refusal):
                try await asyncChannel.executeThenClose { _, outbound in
                    var body = ByteBuffer()
                    body.writeString(APIErrorBody.json(code: refusal.code, message: refusal.message))
                    let head = HTTPResponse(
                        status: refusal.status,
                        headerFields: [.connection: "close", .contentType: "application/json; charset=utf-8", .contentLength: "\(body.readableBytes)"]
                    )
                    try await outbound.write(contentsOf: [.head(head), .body(body), .end(nil)])
                }
            }
        } catch {
            logger.debug("connection ended during setup", metadata: ["error": "\(error)"])
        }
    }

    /// Whether `PreRequestGuard` is the only handler in `channel`'s pipeline: a bare socket under it, so nothing (such
    /// as TLS) would transform the bytes we write. Read from NIO's `debugDescription`, the only public view of a
    /// pipeline's handlers: a header line and one line per handler, each with "↓↑". Call it on the channel's event
    /// loop right after adding `PreRequestGuard`: that description traps on a pipeline without an inbound handler
    /// (swift-nio 2.x pads the header with a negative count), which the guard, an inbound handler, rules out.
    /// Anything but exactly that one handler counts as not plain, so a change in NIO's text only switches direct
    /// writes off.
    static func isPlainTransport(_ channel: any Channel) -> Bool {
        let lines = channel.pipeline.debugDescription.split(separator: "\n").filter { $0.contains("↓↑") }
        return lines.count == 2 && lines[1].hasSuffix("[\(PreRequestGuard.name)]")
    }

    /// Answers a connection over `--max-connections-per-address` with 429 (before reading anything: the client may
    /// not see it if it is still sending) and closes it.
    private static func drop(_ channel: any Channel) -> EventLoopFuture<Value> {
        droppedConnections.increment()
        let body = APIErrorBody.json(code: "too_many_connections", message: "Too many connections from your address at once; close some and retry.")
        let response = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Retry-After: 1\r\nConnection: close\r\n\r\n" + body
        channel.writeAndFlush(ByteBuffer(string: response)).whenComplete { _ in channel.close(promise: nil) }
        return channel.eventLoop.makeSucceededFuture(Value(outcome: channel.eventLoop.makeSucceededFuture(.dropped), channel: channel))
    }
}

/// Connections refused by `--max-connections-per-address` since start (`/metrics`).
private let droppedConnections = Counter(label: "hemicycle_connections_refused_total")
