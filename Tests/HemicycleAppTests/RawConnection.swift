import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A plain TCP client for tests of the HTTP edge: sends exactly the bytes it is given (any `Host` or none, a head
/// trickled a few bytes at a time) and collects what comes back, and whether the server closed the connection.
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

    private final class Inbox: Sendable {
        struct State {
            var bytes: [UInt8] = []
            var ended = false
        }
        let state = Mutex(State())
    }

    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let inbox = Inbox()
    private let reader: Task<Void, Never>

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
        let inbox = self.inbox
        reader = Task {
            do {
                for try await chunk in channel.inbound { inbox.state.withLock { $0.bytes.append(contentsOf: chunk.readableBytesView) } }
            } catch {}
            inbox.state.withLock { $0.ended = true }
        }
    }

    /// Connects to 127.0.0.1:`port`, from `source` when given (another loopback address, e.g. 127.0.0.2, makes the
    /// connection come from another client address).
    static func connect(port: Int, source: String? = nil) async throws -> RawConnection {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        let channel = try await bootstrap.connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        return RawConnection(channel: channel)
    }

    /// Sends `text` as is.
    func send(_ text: String) async throws {
        try await channel.outbound.write(ByteBuffer(string: text))
    }

    /// A whole request (`Content-Length` set from the body), `Host: localhost` unless `headers` carry one or `host` is nil.
    func request(_ method: String, _ path: String, host: String? = "localhost", headers: [(String, String)] = [], body: String = "") async throws {
        var text = "\(method) \(path) HTTP/1.1\r\n"
        if let host { text += "Host: \(host)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        try await send(text + "\r\n" + body)
    }

    /// The next whole response (its head and `Content-Length` bytes of body), consumed from what arrived.
    func response(timeout: Duration = .seconds(10)) async throws -> Response {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let parsed: Response? = inbox.state.withLock { state in
                guard let end = state.bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
                let head = String(decoding: state.bytes[..<end.lowerBound], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                let headers = lines.compactMap { line -> (String, String)? in
                    guard let colon = line.firstIndex(of: ":") else { return nil }
                    return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                let length = Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
                guard state.bytes.count - end.upperBound >= length else { return nil }
                let body = String(decoding: state.bytes[end.upperBound..<end.upperBound + length], as: UTF8.self)
                state.bytes.removeSubrange(..<(end.upperBound + length))
                return Response(status: statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0, headers: headers, body: body)
            }
            if let parsed { return parsed }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw Failure.timedOut("a response")
    }

    /// Whether the server has closed the connection.
    var isClosed: Bool { inbox.state.withLock { $0.ended } }

    /// Waits until the server closes the connection; false if it is still open after `timeout`.
    func waitForClose(timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if isClosed { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return isClosed
    }

    /// Every byte received so far, as text.
    var received: String { inbox.state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }

    func close() async {
        try? await channel.channel.close()
        reader.cancel()
    }
}
