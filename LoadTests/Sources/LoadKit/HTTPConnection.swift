import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 client connection on NIO, one request at a time (signers and triggers).
public final class HTTPConnection: @unchecked Sendable {
    /// A response: status and body.
    public struct Response: Sendable {
        public var status: Int
        public var body: String
        /// The `Set-Cookie` values (`name=value; …`).
        public var setCookies: [String] = []

        /// `name=value` of every cookie set, for a `Cookie` header.
        public var cookies: String {
            setCookies.compactMap { $0.split(separator: ";").first.map(String.init) }.joined(separator: "; ")
        }
    }

    public enum ConnectionError: Error { case closed }

    private let channel: any Channel
    private let collector: ResponseCollector
    private let host: String

    private init(channel: any Channel, collector: ResponseCollector, host: String) {
        self.channel = channel
        self.collector = collector
        self.host = host
    }

    public static func connect(host: String, port: Int, group: any EventLoopGroup) async throws -> HTTPConnection {
        let collector = ResponseCollector()
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: host, port: port).get()
        return HTTPConnection(channel: channel, collector: collector, host: "\(host):\(port)")
    }

    /// Sends one request and waits for its whole response.
    public func request(_ method: HTTPMethod, _ path: String, json body: String? = nil, cookie: String? = nil) async throws -> Response {
        try await start(method, path, json: body, cookie: cookie).get()
    }

    /// Sends one request without waiting: requests started one after another on a connection are pipelined, and
    /// HTTP/1.1 servers answer them in order.
    public func start(_ method: HTTPMethod, _ path: String, json body: String? = nil, cookie: String? = nil) -> EventLoopFuture<Response> {
        let promise = channel.eventLoop.makePromise(of: Response.self)
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: host)
        head.headers.add(name: "Content-Length", value: String(body?.utf8.count ?? 0))
        if body != nil { head.headers.add(name: "Content-Type", value: "application/json") }
        if let cookie { head.headers.add(name: "Cookie", value: cookie) }
        let channel = self.channel, collector = self.collector
        channel.eventLoop.execute {
            guard channel.isActive else { return promise.fail(ConnectionError.closed) }
            collector.waiting.append(promise)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(string: body))), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        return promise.futureResult
    }

    /// The loop this connection runs on.
    public var eventLoop: any EventLoop { channel.eventLoop }

    public func close() async {
        try? await channel.close()
    }
}

/// Completes the oldest waiting promise with each response. Confined to the channel's loop.
final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    var waiting = CircularBuffer<EventLoopPromise<HTTPConnection.Response>>()
    private var status = 0
    private var body: ByteBuffer?
    private var setCookies: [String] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            body = nil
            setCookies = head.headers["set-cookie"]
        case .body(var part):
            if body == nil { body = part } else { body!.writeBuffer(&part) }
        case .end:
            let response = HTTPConnection.Response(status: status, body: body.map { String(buffer: $0) } ?? "", setCookies: setCookies)
            waiting.popFirst()?.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        while let promise = waiting.popFirst() { promise.fail(HTTPConnection.ConnectionError.closed) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        while let promise = waiting.popFirst() { promise.fail(error) }
        context.close(promise: nil)
    }
}
