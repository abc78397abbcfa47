import CZlib
import NIOCore

/// gzip (RFC 1952) through the system zlib, in one shot: a whole body in, a whole gzip member out.
enum Gzip {
    /// Fast enough per request for pages of tens of KB; static files are compressed once, at start, at `best`.
    static let dynamicLevel: Int32 = 6
    static let best: Int32 = 9

    /// The gzip of `input`, or nil if zlib failed (the caller then sends the body as it is).
    static func compress(_ input: ByteBuffer, level: Int32 = dynamicLevel) -> ByteBuffer? {
        var stream = z_stream()
        guard hemicycle_gzip_init(&stream, level) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.readableBytes))) + 32  // + the gzip header and trailer
        var output = ByteBufferAllocator().buffer(capacity: bound)
        var status = Z_STREAM_ERROR
        _ = input.withUnsafeReadableBytes { source in
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = target.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(target.count)
                status = deflate(&stream, Z_FINISH)  // the output has room for all of it: one call ends the stream
                return status == Z_STREAM_END ? target.count - Int(stream.avail_out) : 0
            }
        }
        guard status == Z_STREAM_END, output.readableBytes > 0 else { return nil }
        return output
    }
}
