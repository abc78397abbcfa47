import Foundation
import NIOCore
import NIOPosix

/// A plain TCP client for tests of the HTTP edge: sends exactly the bytes it is given (any `Host` or none, a head
/// trickled a few bytes at a time) and collects what comes back, and whether the server closed the connection.
///
/// Waiting is event-driven (a promise the reader fulfils when bytes or the close arrive, or a timer at the deadline),
/// not polling: a burst of 64 of these must not starve the other suites running in parallel.
final class RawConnection: Sendable {
    /// One HTTP response as read off the socket.
    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

        var errorCode: String? {
            guard let data = body.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return (object["error"] as? [String: Any])?["code"] as? String
        }
    }

    enum Failure: Error {
        case timedOut(String)
    }

    /// What arrived. Only ever touched on the channel's event loop (the handler's callbacks, and `wait`, which runs
    /// there), hence the unchecked conformance.
    private final class Reader: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var bytes: [UInt8] = []
        var ended = false
        /// Fulfilled at the next arrival (bytes or the close).
        var waiter: EventLoopPromise<Void>?

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            bytes.append(contentsOf: unwrapInboundIn(data).readableBytesView)
            wake()
        }

        func channelInactive(context: ChannelHandlerContext) {
            ended = true
            wake()
            context.fireChannelInactive()
        }

        private func wake() {
            waiter?.succeed()
            waiter = nil
        }
    }

    private let channel: any Channel
    private let reader: Reader

    private init(channel: any Channel, reader: Reader) {
        self.channel = channel
        self.reader = reader
    }

    /// Connects to 127.0.0.1:`port`, from `source` when given (another loopback address, e.g. 127.0.0.2, makes the
    /// connection come from another client address).
    static func connect(port: Int, source: String? = nil) async throws -> RawConnection {
        let reader = Reader()
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(reader) }
        }
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        let channel = try await bootstrap.connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, reader: reader)
    }

    /// Sends `text` as is.
    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// A whole request (`Content-Length` set from the body), `Host: localhost` unless `host` is nil.
    func request(_ method: String, _ path: String, host: String? = "localhost", headers: [(String, String)] = [], body: String = "") async throws {
        var text = "\(method) \(path) HTTP/1.1\r\n"
        if let host { text += "Host: \(host)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        try await send(text + "\r\n" + body)
    }

    /// The next whole response (its head and `Content-Length` bytes of body), consumed from what arrived.
    func response(timeout: Duration = .seconds(10)) async throws -> Response {
        guard let response = try await wait(timeout: timeout, Self.takeResponse) else { throw Failure.timedOut("a response") }
        return response
    }

    /// Whether the server has closed the connection.
    var isClosed: Bool { !channel.isActive }

    /// Waits until the server closes the connection; false if it is still open after `timeout`.
    func waitForClose(timeout: Duration) async throws -> Bool {
        try await wait(timeout: timeout) { $0.ended ? true : nil } ?? false
    }

    /// Every byte received so far, as text.
    func received() async throws -> String {
        let reader = reader
        return try await channel.eventLoop.submit { String(decoding: reader.bytes, as: UTF8.self) }.get()
    }

    func close() async {
        try? await channel.close()
    }

    /// Runs `ready` on the event loop at once and after each arrival until it gives a value, the connection ends, or
    /// `timeout` passes (then nil).
    private func wait<T: Sendable>(timeout: Duration, _ ready: @escaping @Sendable (Reader) -> T?) async throws -> T? {
        let loop = channel.eventLoop
        let reader = reader
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        while true {
            let step: Step<T> = try await loop.flatSubmit { () -> EventLoopFuture<Step<T>> in
                if let value = ready(reader) { return loop.makeSucceededFuture(.done(value)) }
                if reader.ended || NIODeadline.now() >= deadline { return loop.makeSucceededFuture(.done(nil)) }
                let promise = loop.makePromise(of: Void.self)
                reader.waiter = promise
                let timer = loop.scheduleTask(deadline: deadline) { promise.succeed() }
                return promise.futureResult.map {
                    timer.cancel()
                    return .again
                }
            }.get()
            if case .done(let value) = step { return value }
        }
    }

    private enum Step<T: Sendable>: Sendable {
        case done(T?)
        case again
    }

    /// Removes and returns the first whole response of `reader`'s bytes, if there is one.
    private static let takeResponse: @Sendable (Reader) -> Response? = { reader in
        guard let end = reader.bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: reader.bytes[..<end.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
        guard reader.bytes.count - end.upperBound >= length else { return nil }
        let body = String(decoding: reader.bytes[end.upperBound..<end.upperBound + length], as: UTF8.self)
        reader.bytes.removeSubrange(..<(end.upperBound + length))
        return Response(status: statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0, headers: headers, body: body)
    }
}
