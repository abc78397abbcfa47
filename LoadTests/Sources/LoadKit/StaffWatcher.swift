import NIOCore
import NIOConcurrencyHelpers
import NIOPosix
import Synchronization

/// A moderator's screen in the `questions` and `legislation` scenarios: one WebSocket with the moderator's session
/// cookie, subscribed to `sitting:{id}:moderation` or `bill:{id}:moderation`, noting when each submitted question or
/// comment arrives (monotonic nanoseconds).
public final class StaffWatcher: Sendable {
    private let channel: any Channel
    private let state: StaffWatcherHandler

    private init(channel: any Channel, state: StaffWatcherHandler) {
        self.channel = channel
        self.state = state
    }

    /// Connects, subscribes, and returns once the subscription is confirmed (throws if it is refused).
    public static func connect(host: String, port: Int, cookie: String, sitting: Int, group: any EventLoopGroup) async throws -> StaffWatcher {
        try await connect(host: host, port: port, cookie: cookie, topic: "sitting:\(sitting):moderation", group: group)
    }

    /// The same on any moderation topic (`bill:{id}:moderation`: submitted comments, by id).
    public static func connect(host: String, port: Int, cookie: String, topic: String, group: any EventLoopGroup) async throws -> StaffWatcher {
        let handler = StaffWatcherHandler(host: host, port: port, cookie: cookie, topic: topic)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) } }
            .connect(host: host, port: port).get()
        let watcher = StaffWatcher(channel: channel, state: handler)
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while ContinuousClock.now < deadline {
            switch handler.status.withLock({ $0 }) {
            case .subscribed: return watcher
            case .refused(let why): throw StaffWatcherError.refused(why)
            case .connecting: try await Task.sleep(for: .milliseconds(10))
            }
        }
        throw StaffWatcherError.refused("no subscription within 10 s")
    }

    /// When each submitted question (by id) reached this screen.
    public var arrivals: [Int64: UInt64] { state.arrivals.withLock { $0 } }

    public func close() async {
        try? await channel.close()
    }
}

public enum StaffWatcherError: Error, CustomStringConvertible {
    case refused(String)
    public var description: String {
        switch self {
        case .refused(let why): "the moderation topic was refused: \(why)"
        }
    }
}

final class StaffWatcherHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Status: Sendable { case connecting, subscribed, refused(String) }

    let host: String, port: Int, cookie: String, topic: String
    let status = Mutex<Status>(.connecting)
    let arrivals = Mutex<[Int64: UInt64]>([:])
    /// Touched on the channel's loop only.
    private let buffer = NIOLockedValueBox<(bytes: ByteBuffer, upgraded: Bool)>((ByteBuffer(), false))

    init(host: String, port: Int, cookie: String, topic: String) {
        self.host = host
        self.port = port
        self.cookie = cookie
        self.topic = topic
    }

    func channelActive(context: ChannelHandlerContext) {
        let request = WebSocketClientWire.upgradeRequest(host: host, port: port, path: "/live", cookie: cookie)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: request)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        let now = MonotonicClock.nanos()
        buffer.withLockedValue { state in
            state.bytes.writeBuffer(&incoming)
            do {
                if !state.upgraded {
                    guard try WebSocketClientWire.readUpgradeResponse(&state.bytes) else { return }
                    state.upgraded = true
                }
                while let frame = try WebSocketClientWire.nextFrame(&state.bytes) {
                    guard frame.opcode == 0x1 else { continue }
                    handle(frame.payload, context: context, now: now)
                }
            } catch {
                status.withLock { $0 = .refused("\(error)") }
                context.close(promise: nil)
            }
        }
    }

    private func handle(_ payload: ByteBuffer, context: ChannelHandlerContext, now: UInt64) {
        payload.withUnsafeReadableBytes { bytes in
            guard let type = FrameScan.type(in: bytes) else { return }
            switch String(decoding: type, as: UTF8.self) {
            case "welcome":
                let message = #"{"type":"subscribe","topics":[""# + topic + #""]}"#
                let frame = WebSocketClientWire.clientFrame(opcode: 0x1, payload: Array(message.utf8), allocator: context.channel.allocator)
                context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
            case "subscribed":
                status.withLock { $0 = .subscribed }
            case "error":
                status.withLock { $0 = .refused(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[...]), as: UTF8.self)) }
            case "event":
                if let item = FrameScan.question(in: bytes) ?? FrameScan.billComment(in: bytes), item.state.elementsEqual(FrameScan.submitted) {
                    arrivals.withLock { if $0[item.id] == nil { $0[item.id] = now } }
                }
            default:
                break
            }
        }
    }
}
