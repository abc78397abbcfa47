import Foundation
import HemicycleCore
import NIOCore
import NIOPosix
import NIOWebSocket
import Synchronization

/// A WebSocket client for tests: connects to `/live`, sends masked frames, and collects what arrives in a buffer
/// that `next` polls with a timeout (so a missing message fails the test instead of hanging it).
/// Its timeouts (20 s) are liveness bounds for a loaded 2-core CI machine running the whole suite at once, never
/// performance assertions.
///
/// It does the handshake and frame parsing itself over a plain TCP channel: NIO's client upgrade handler can drop
/// frames that arrive in the same read as the `101` response (the server's `welcome` often does).
final class TestLiveClient: Sendable {
    enum Failure: Error, CustomStringConvertible {
        case notUpgraded(String)
        case timedOut(String)
        case closed(UInt16?)
        var description: String {
            switch self {
            case .notUpgraded(let status): "the server did not upgrade: \(status)"
            case .timedOut(let what): "timed out waiting for \(what)"
            case .closed(let code): "the server closed the connection (code \(code.map(String.init) ?? "none"))"
            }
        }
    }

    /// One frame as received.
    struct Frame: Sendable {
        var opcode: WebSocketOpcode
        var payload: [UInt8]
        var text: String { String(decoding: payload, as: UTF8.self) }
    }

    /// The reader's state, shared with the reader task by reference.
    private final class Inbox: Sendable {
        struct State {
            var bytes: [UInt8] = []
            var handshake: String?
            var frames: [Frame] = []
            var ended = false
            var pings = 0
        }
        let state = Mutex(State())

        func receive(_ chunk: ByteBuffer) {
            state.withLock { state in
                state.bytes.append(contentsOf: chunk.readableBytesView)
                if state.handshake == nil {
                    guard let end = state.bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
                    state.handshake = String(decoding: state.bytes[..<end.lowerBound], as: UTF8.self)
                    state.bytes.removeSubrange(..<end.upperBound)
                }
                while let (frame, used) = Self.parse(state.bytes) {
                    if frame.opcode == .ping { state.pings += 1 }
                    state.frames.append(frame)
                    state.bytes.removeFirst(used)
                }
            }
        }

        static func parse(_ b: [UInt8]) -> (Frame, Int)? {
            guard b.count >= 2 else { return nil }
            var length = Int(b[1] & 0x7F)
            var offset = 2
            if length == 126 {
                guard b.count >= 4 else { return nil }
                length = Int(b[2]) << 8 | Int(b[3])
                offset = 4
            } else if length == 127 {
                guard b.count >= 10 else { return nil }
                length = b[2..<10].reduce(0) { $0 << 8 | Int($1) }
                offset = 10
            }
            guard b.count >= offset + length else { return nil }
            return (Frame(opcode: WebSocketOpcode(encodedWebSocketOpcode: b[0] & 0x0F) ?? .text, payload: Array(b[offset..<offset + length])), offset + length)
        }
    }

    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let inbox = Inbox()
    private let reader: Task<Void, Never>

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
        let inbox = self.inbox
        reader = Task {
            do {
                for try await chunk in channel.inbound { inbox.receive(chunk) }
            } catch {}
            inbox.state.withLock { $0.ended = true }
        }
    }

    static func connect(port: Int, origin: String? = nil, host: String = "127.0.0.1", cookie: String? = nil) async throws -> TestLiveClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        let client = TestLiveClient(channel: channel)
        var request = "GET /live HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if let origin { request += "Origin: \(origin)\r\n" }
        if let cookie { request += "Cookie: \(cookie)\r\n" }
        try await channel.outbound.write(ByteBuffer(string: request + "\r\n"))
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while ContinuousClock.now < deadline {
            if let head = client.inbox.state.withLock({ $0.handshake }) {
                let status = head.split(separator: "\r\n").first.map(String.init) ?? ""
                guard status.contains(" 101 ") else {
                    await client.close()
                    throw Failure.notUpgraded(status)
                }
                return client
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw Failure.timedOut("the handshake")
    }

    // MARK: - Sending

    /// Sends one masked frame.
    func send(opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true) async throws {
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | Self.code(opcode)]
        if payload.count < 126 {
            bytes.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            bytes += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            bytes.append(0x80 | 127)
            bytes += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try await channel.outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends only the header of a masked frame announcing `length` payload bytes, then `payloadPrefix` (masked): a
    /// client that never sends the rest.
    func sendFrameHeader(opcode: WebSocketOpcode, length: Int, payloadPrefix: [UInt8]) async throws {
        let mask: [UInt8] = [1, 2, 3, 4]
        var bytes: [UInt8] = [0x80 | Self.code(opcode)]
        if length < 126 {
            bytes.append(0x80 | UInt8(length))
        } else if length <= 0xFFFF {
            bytes += [0x80 | 126, UInt8(length >> 8), UInt8(length & 0xFF)]
        } else {
            bytes.append(0x80 | 127)
            bytes += (0..<8).reversed().map { UInt8((length >> ($0 * 8)) & 0xFF) }
        }
        bytes += mask
        bytes += payloadPrefix.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try await channel.outbound.write(ByteBuffer(bytes: bytes))
    }

    static func code(_ opcode: WebSocketOpcode) -> UInt8 {
        switch opcode {
        case .continuation: 0x0
        case .text: 0x1
        case .binary: 0x2
        case .connectionClose: 0x8
        case .ping: 0x9
        case .pong: 0xA
        default: 0x3
        }
    }

    func sendText(_ text: String) async throws {
        try await send(opcode: .text, Array(text.utf8))
    }

    func send(_ message: ClientMessage) async throws {
        try await sendText(JSONWriter.string(message.json))
    }

    // MARK: - Receiving

    /// How many ping frames the server has sent so far (they are counted, never answered: see the idle test).
    var pingsReceived: Int { inbox.state.withLock { $0.pings } }

    /// The next data or close frame (pings and pongs are skipped).
    func nextFrame(timeout: Duration = .seconds(20)) async throws -> Frame {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let (frame, ended): (Frame?, Bool) = inbox.state.withLock { state in
                while let first = state.frames.first, first.opcode == .ping || first.opcode == .pong { state.frames.removeFirst() }
                return (state.frames.isEmpty ? nil : state.frames.removeFirst(), state.ended)
            }
            if let frame {
                if ProcessInfo.processInfo.environment["LIVE_DEBUG"] != nil { print("LIVE_DEBUG <-", frame.opcode, frame.text.prefix(150)) }
                return frame
            }
            if ended { throw Failure.closed(nil) }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw Failure.timedOut("a frame")
    }

    /// The next message; throws `closed` on a close frame.
    func next(timeout: Duration = .seconds(20)) async throws -> ServerMessage {
        let frame = try await nextFrame(timeout: timeout)
        guard frame.opcode == .text else {
            let code = frame.opcode == .connectionClose && frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : nil
            throw Failure.closed(code)
        }
        return try ServerMessage.decode(frame.payload)
    }

    /// Reads until a message matches, returning it.
    func next(timeout: Duration = .seconds(20), where match: (ServerMessage) -> Bool) async throws -> ServerMessage {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw Failure.timedOut("a matching message") }
            let message = try await next(timeout: remaining)
            if match(message) { return message }
        }
    }

    /// Reads until the server closes; returns the close code it sent.
    func closeCode(timeout: Duration = .seconds(20)) async throws -> UInt16? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw Failure.timedOut("the close") }
            do {
                _ = try await next(timeout: remaining)
            } catch Failure.closed(let code) {
                return code
            }
        }
    }

    func close() async {
        try? await channel.channel.close()
        reader.cancel()
    }
}
