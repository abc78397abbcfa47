import HTTPTypes
import Hummingbird
import NIOCore

/// A response body writer that keeps what is written, to compress it whole.
final class ResponseBodyCollector: ResponseBodyWriter {
    var buffer: ByteBuffer?

    func write(_ part: ByteBuffer) async throws {
        guard var collected = buffer else {
            buffer = part
            return
        }
        var part = part
        collected.writeBuffer(&part)
        buffer = collected
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
