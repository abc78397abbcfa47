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

    init(
        responder: @escaping HTTPChannelHandler.Responder, hub: Hub, settings: LiveSettings, originPolicy: OriginPolicy,
        accessResolver: LiveAccessResolver, staffSessions: LiveStaffSessions? = nil, logger: Logger
    ) {
        self.responder = responder
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
        channel.eventLoop.makeCompletedFuture {
            // NIO keeps each channel's last receive buffer for reuse, for the channel's whole life. Its default first
            // buffer is 2 KiB, most of the memory of an idle viewer; 512 bytes hold an HTTP request or a client
            // message, and the allocator still grows for larger reads.
            try channel.syncOptions?.setOption(
                ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65_536))
            try channel.pipeline.syncOperations.addHandler(PreRequestGuard(timeout: .seconds(30)), name: PreRequestGuard.name)
            let refusal = NIOLoopBoundBox<Refusal?>(nil, eventLoop: channel.eventLoop)
            let policy = originPolicy
            let metrics = metrics
            let resolver = accessResolver
            let access = NIOLoopBoundBox<LiveAccess>(.public, eventLoop: channel.eventLoop)
            let upgrader = LiveWebSocketUpgrader(environment: environment, access: access) { channel, head in
                let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
                guard path == "/live" else {
                    refusal.value = Refusal(status: .notFound, code: "not_found", message: "There is no WebSocket endpoint at \(path); use /live.")
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                guard policy.allows(origin: head.headers.first(name: "origin"), host: head.headers.first(name: "host")) else {
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
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
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
            case .live:
                // The NIO handler owns the socket from here: no task is kept per live connection.
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
}
