import HemicycleCore
import HemicycleHub
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Upgrades `GET /live` to the lean live pipeline: NIO's frame decoder and one `LiveConnectionHandler`.
///
/// It reuses NIO's WebSocket upgrader for the handshake (key checks, `Sec-WebSocket-Accept`) but installs its own
/// handlers: no `WebSocketFrameEncoder` (frames are pre-encoded once per broadcast) and no async channel or task per
/// connection. Hummingbird's own WebSocket path costs ~27-32 KB per connection; this one keeps an idle viewer to
/// NIO's channel plus one small handler.
struct LiveWebSocketUpgrader: NIOTypedHTTPServerProtocolUpgrader {
    typealias UpgradeResult = LiveServerChannel.Outcome

    private let handshake: NIOTypedWebSocketServerUpgrader<UpgradeResult>
    private let environment: LiveConnectionEnvironment
    /// Set by `shouldUpgrade` from the request's cookies; read when the pipeline is built.
    private let access: NIOLoopBoundBox<LiveAccess>
    /// `--live-direct-writes` and a plain TCP transport (`LiveServerChannel.isPlainTransport`).
    private let directWrites: Bool
    private var settings: LiveSettings { environment.settings }

    /// - Parameter shouldUpgrade: decides on the request head; `nil` refuses (the HTTP side then answers).
    init(
        environment: LiveConnectionEnvironment,
        access: NIOLoopBoundBox<LiveAccess>,
        directWrites: Bool,
        shouldUpgrade: @escaping @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?>
    ) {
        self.environment = environment
        self.access = access
        self.directWrites = directWrites
        self.handshake = NIOTypedWebSocketServerUpgrader(
            maxFrameSize: environment.settings.maxFrameBytes, enableAutomaticErrorHandling: false, shouldUpgrade: shouldUpgrade,
            upgradePipelineHandler: { channel, _ in channel.eventLoop.makeCompletedFuture(.success(.live)) }
        )
    }

    var supportedProtocol: String { handshake.supportedProtocol }
    var requiredUpgradeHeaders: [String] { handshake.requiredUpgradeHeaders }

    func buildUpgradeResponse(channel: any Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders)
        -> EventLoopFuture<HTTPHeaders>
    {
        handshake.buildUpgradeResponse(channel: channel, upgradeRequest: upgradeRequest, initialResponseHeaders: initialResponseHeaders)
    }

    func upgrade(channel: any Channel, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<UpgradeResult> {
        let settings = settings
        let environment = environment
        let access = access
        let directWrites = directWrites
        return channel.eventLoop.makeCompletedFuture {
            PreRequestGuard.remove(from: channel)
            try channel.syncOptions?.setOption(
                ChannelOptions.writeBufferWaterMark, value: .init(low: settings.writeBufferLow, high: settings.writeBufferHigh)
            )
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: settings.maxFrameBytes)))
            // Only on a plain TCP transport (checked before the HTTP handlers went in): broadcasts may then go
            // straight to the descriptor.
            let descriptor = directWrites ? SocketDescriptor.of(channel) : nil
            try channel.pipeline.syncOperations.addHandler(
                LiveConnectionHandler(environment: environment, access: access.value, descriptor: descriptor))
            return .live
        }
    }
}
