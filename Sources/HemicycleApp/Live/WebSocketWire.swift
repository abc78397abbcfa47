import NIOCore

/// Builds complete server-to-client WebSocket frames (RFC 6455 §5.2: server frames are unmasked) as one buffer.
///
/// Written by hand rather than through NIO's `WebSocketFrameEncoder` because that encoder writes a fresh header per
/// socket: here a broadcast is framed once and the very same bytes are written to every socket.
enum WebSocketWire {
    enum Opcode: UInt8 {
        case text = 0x1
        case close = 0x8
        case ping = 0x9
        case pong = 0xA
    }

    static let allocator = ByteBufferAllocator()

    /// A final (FIN) frame with `payload`.
    static func frame(_ opcode: Opcode, payload: some Collection<UInt8>) -> ByteBuffer {
        let length = payload.count
        var buffer = allocator.buffer(capacity: length + 10)
        buffer.writeInteger(0x80 | opcode.rawValue)
        if length < 126 {
            buffer.writeInteger(UInt8(length))
        } else if length <= Int(UInt16.max) {
            buffer.writeInteger(UInt8(126))
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(UInt8(127))
            buffer.writeInteger(UInt64(length))
        }
        buffer.writeBytes(payload)
        return buffer
    }

    static func text(_ payload: [UInt8]) -> ByteBuffer { frame(.text, payload: payload) }

    static func close(_ code: UInt16, reason: String) -> ByteBuffer {
        var payload: [UInt8] = [UInt8(code >> 8), UInt8(code & 0xFF)]
        payload.append(contentsOf: Array(reason.utf8.prefix(120)))
        return frame(.close, payload: payload)
    }
}
