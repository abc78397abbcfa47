import NIOCore

/// Watches a new connection until its first request is decided (plain HTTP, or the `/live` upgrade): it closes a
/// connection that has not got there within `timeout` (a preconnect, a slowloris), and closes it at once when the
/// server starts shutting down. Hummingbird's own idle and shutdown handling only starts after the first request
/// head, so without this such a connection could hold a graceful shutdown open forever.
final class PreRequestGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    static let name = "hemicycle.pre-request-guard"
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Removes the guard from `channel`'s pipeline once the first request is decided.
    static func remove(from channel: any Channel) {
        channel.pipeline.removeHandler(name: name, promise: nil)
    }
}
