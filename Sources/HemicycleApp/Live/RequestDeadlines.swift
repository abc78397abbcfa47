import NIOCore
import NIOHTTP1

/// Closes a plain HTTP connection whose client is too slow to send a request (a slowloris): a request head must
/// arrive within `head` of its first byte, and its body within `body` of the head. While the server works on a request,
/// and while a kept-alive connection waits for the next one, nothing is timed here (Hummingbird's idle timeout closes a
/// connection idle for 60 s).
///
/// It sits after NIO's HTTP decoder on connections that were not upgraded, with its `FirstByte` watcher before the
/// decoder (only raw bytes tell that a next head has started). The first request's head is timed by `PreRequestGuard`
/// from the moment of `accept`, and `/live` sockets never get these handlers (their heartbeat decides).
final class RequestDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    static let name = "hemicycle.request-deadlines"

    private enum Phase {
        /// Between requests: no deadline.
        case waiting
        /// Bytes of a head have arrived: it must be complete within `head`.
        case readingHead
        /// The head arrived: the body must be complete within `body`.
        case readingBody
        /// The request was read in full: the server is answering.
        case answering
    }

    private let head: TimeAmount
    private let body: TimeAmount
    private var phase = Phase.readingHead
    private var timer: Scheduled<Void>?
    /// Requests read in full and not answered yet.
    private var unanswered = 0
    private var channel: (any Channel)?

    init(head: TimeAmount, body: TimeAmount) {
        self.head = head
        self.body = body
    }

    /// The watcher to put before the HTTP decoder.
    func firstByteWatcher() -> FirstByte { FirstByte(deadlines: self) }

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
        // Added while the first request's head is being decided: it arrives right after, and starts the body's time.
        arm(head)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
        channel = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            phase = .readingBody
            arm(body)
        case .body:
            break
        case .end:
            phase = .answering
            unanswered += 1
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            if unanswered == 0 && phase == .answering { phase = .waiting }
        }
        context.write(data, promise: promise)
    }

    /// Bytes arrived before the decoder: while waiting, they start the next head's deadline.
    fileprivate func bytesArrived() {
        guard phase == .waiting else { return }
        phase = .readingHead
        arm(head)
    }

    private func arm(_ timeout: TimeAmount) {
        timer?.cancel()
        guard let channel else { return }
        timer = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }

    /// Tells `RequestDeadlines` when bytes arrive, so that a head trickled onto a kept-alive connection is timed
    /// from its first byte.
    final class FirstByte: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        static let name = "hemicycle.request-first-byte"
        private let deadlines: RequestDeadlines

        fileprivate init(deadlines: RequestDeadlines) {
            self.deadlines = deadlines
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            deadlines.bytesArrived()
            context.fireChannelRead(data)
        }
    }
}
