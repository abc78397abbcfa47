import NIOCore
import NIOHTTP1

/// Closes a plain HTTP connection whose client is too slow to send a request (a slowloris): each request head must
/// arrive within `head` of the moment the server waits for it (the connection was set up, or the previous response
/// was written; so a kept-alive connection idle that long is closed too), and its body within `body` of the head.
/// While the server works on a request nothing is timed.
///
/// It sits after NIO's HTTP decoder on connections that were not upgraded; the first request's head is timed by
/// `PreRequestGuard` from the moment of `accept`, and `/live` sockets never get this handler (their heartbeat decides).
final class RequestDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    static let name = "hemicycle.request-deadlines"
    private let head: TimeAmount
    private let body: TimeAmount
    private var timer: Scheduled<Void>?
    private var readingBody = false
    /// Requests read in full and not answered yet.
    private var unanswered = 0

    init(head: TimeAmount, body: TimeAmount) {
        self.head = head
        self.body = body
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added while the first request's head is being decided: it arrives right after, and starts the body's time.
        arm(head, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            readingBody = true
            arm(body, context: context)
        case .body:
            break
        case .end:
            readingBody = false
            unanswered += 1
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            if unanswered == 0 && !readingBody { arm(head, context: context) }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
