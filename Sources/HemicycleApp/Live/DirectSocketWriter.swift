import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a frame straight to a live socket's descriptor with one `send(2)`, for the broadcast hot path.
///
/// Why by hand: a broadcast writes the same few hundred bytes to tens of thousands of sockets, and NIO's write path
/// (pipeline, `PendingWritesManager`, promises, writability bookkeeping, half a dozen objects per channel) was about
/// a fifth of the fan-out's CPU on top of the kernel's own cost (`LoadTests/RESULTS.md`). No library offers a shared
/// buffer written to many NIO sockets: NIO's API is per channel. The caller (`LiveConnectionHandler`) uses this only
/// while NIO holds nothing unwritten for the socket, so bytes stay in order, and hands whatever the kernel did not
/// take to NIO, which then owns the rest (buffering, writability, errors and closing).
///
/// Plain TCP only: a socket with TLS (or any handler that transforms outbound bytes) must never be written here.
enum DirectSocketWriter {
    /// What one `send` did.
    enum Outcome: Equatable {
        /// Every byte is in the kernel.
        case complete
        /// The kernel took this many bytes (possibly 0: its buffer is full); the rest must go through NIO.
        case partial(Int)
        /// The socket failed (reset, closed by the peer); let NIO write it so it reports the error and closes.
        case failed
    }

    static func send(_ bytes: ByteBuffer, to fd: CInt) -> Outcome {
        bytes.withUnsafeReadableBytes { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return .complete }
            while true {
                #if canImport(Glibc)
                // MSG_NOSIGNAL: a reset socket must give EPIPE, not SIGPIPE.
                let written = Glibc.send(fd, base, buffer.count, Int32(MSG_NOSIGNAL))
                #else
                let written = Darwin.send(fd, base, buffer.count, 0)  // NIO sets SO_NOSIGPIPE on Darwin sockets
                #endif
                if written == buffer.count { return .complete }
                if written >= 0 { return .partial(written) }
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK: return .partial(0)
                default: return .failed
                }
            }
        }
    }
}
