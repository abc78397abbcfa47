import NIOCore

/// The client side of RFC 6455, reduced to what a viewer needs.
///
/// Written by hand rather than with NIOWebSocket's client upgrader and frame codec: the generator holds up to 19,000
/// sockets per process on one core and must stay cheaper than the server it measures. Parsing frames in place from
/// the read buffer avoids a pipeline reconfiguration per connection and an allocation per frame; the server's side
/// of the protocol (the part under test) is validated by the server's own tests.
public enum WebSocketClientWire {
    /// A frame from the server.
    public struct Frame: Equatable {
        public var opcode: UInt8
        /// A slice of the parsed buffer (no copy).
        public var payload: ByteBuffer
    }

    /// Errors that end a viewer's connection.
    public enum WireError: Error, Equatable {
        case upgradeRefused(status: String)
        case maskedServerFrame
        case fragmentedFrame
    }

    /// The upgrade request, with a fixed key (the accept value is not checked: the server's tests check it).
    public static func upgradeRequest(host: String, port: Int, path: String, cookie: String? = nil) -> String {
        "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + (cookie.map { "Cookie: \($0)\r\n" } ?? "") + "\r\n"
    }

    /// Consumes the HTTP response head from `buffer` if it is complete; returns nil if more bytes are needed.
    /// Throws when the status is not 101.
    public static func readUpgradeResponse(_ buffer: inout ByteBuffer) throws -> Bool {
        let view = buffer.readableBytesView
        guard let end = view.firstRange(of: [13, 10, 13, 10]) else { return false }
        let headLength = end.upperBound - view.startIndex
        let head = buffer.readString(length: headLength) ?? ""
        let statusLine = head.prefix { $0 != "\r" }
        guard statusLine.hasPrefix("HTTP/1.1 101") else {
            throw WireError.upgradeRefused(status: String(statusLine))
        }
        return true
    }

    /// The next complete frame in `buffer` (moving the reader index past it), or nil if it is not complete yet.
    public static func nextFrame(_ buffer: inout ByteBuffer) throws -> Frame? {
        let start = buffer.readerIndex
        guard buffer.readableBytes >= 2,
            let first = buffer.getInteger(at: start, as: UInt8.self),
            let second = buffer.getInteger(at: start + 1, as: UInt8.self)
        else { return nil }
        if second & 0x80 != 0 { throw WireError.maskedServerFrame }
        if first & 0x80 == 0 || first & 0x0F == 0 { throw WireError.fragmentedFrame }
        var headerLength = 2
        var length = Int(second & 0x7F)
        if length == 126 {
            guard let extended = buffer.getInteger(at: start + 2, as: UInt16.self) else { return nil }
            length = Int(extended)
            headerLength = 4
        } else if length == 127 {
            guard let extended = buffer.getInteger(at: start + 2, as: UInt64.self) else { return nil }
            length = Int(extended)
            headerLength = 10
        }
        guard buffer.readableBytes >= headerLength + length,
            let payload = buffer.getSlice(at: start + headerLength, length: length)
        else { return nil }
        buffer.moveReaderIndex(forwardBy: headerLength + length)
        return Frame(opcode: first & 0x0F, payload: payload)
    }

    /// A masked client frame (FIN set). Every client frame must be masked (RFC 6455 5.3).
    public static func clientFrame(opcode: UInt8, payload: some Collection<UInt8>, allocator: ByteBufferAllocator) -> ByteBuffer {
        let mask: [UInt8] = [0x37, 0xfa, 0x21, 0x3d]
        var buffer = allocator.buffer(capacity: payload.count + 14)
        buffer.writeInteger(0x80 | opcode)
        if payload.count < 126 {
            buffer.writeInteger(UInt8(0x80 | payload.count))
        } else if payload.count <= 0xFFFF {
            buffer.writeInteger(UInt8(0x80 | 126))
            buffer.writeInteger(UInt16(payload.count))
        } else {
            buffer.writeInteger(UInt8(0x80 | 127))
            buffer.writeInteger(UInt64(payload.count))
        }
        buffer.writeBytes(mask)
        var index = 0
        for byte in payload {
            buffer.writeInteger(byte ^ mask[index & 3])
            index += 1
        }
        return buffer
    }
}
