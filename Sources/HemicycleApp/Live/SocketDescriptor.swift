import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file descriptor of an accepted TCP channel, for `DirectSocketWriter`, or `nil` when it cannot be known for sure.
///
/// NIO does not expose a channel's descriptor. The alternative the design weighed, accepting connections ourselves
/// and handing each socket to NIO (`ClientBootstrap.withConnectedSocket`), would mean replacing Hummingbird's server
/// (binding, accepting, quiescing, the child-channel task group) for one number. Instead the descriptor is read from
/// the channel's public `description` (NIOPosix prints `fd=N` there) and then *verified*: the socket at that
/// descriptor must have exactly the channel's local and remote address (one TCP connection per 4-tuple). Any other
/// answer, including a future NIO that prints something else, gives `nil`, and that connection simply keeps writing
/// through NIO. Call it on the channel's event loop while the channel is open (the descriptor cannot be closed and
/// reused meanwhile).
enum SocketDescriptor {
    static func of(_ channel: any Channel) -> CInt? {
        guard channel.isActive,
              let local = channel.localAddress, let remote = channel.remoteAddress,
              let fd = parse(String(describing: channel)), fd >= 0
        else { return nil }
        guard let peer = endpoint(fd, getpeername), let own = endpoint(fd, getsockname),
              peer == endpoint(of: remote), own == endpoint(of: local)
        else { return nil }
        return fd
    }

    /// The remote endpoint of the socket at `fd`.
    static func peer(of fd: CInt) -> Endpoint? { endpoint(fd, getpeername) }

    /// The number after the first `fd=` in NIO's description of a socket channel.
    static func parse(_ description: String) -> CInt? {
        let utf8 = Array(description.utf8)
        let marker = Array("fd=".utf8)
        guard let start = utf8.indices.first(where: { utf8[$0...].starts(with: marker) }) else { return nil }
        let digits = String(decoding: utf8[(start + marker.count)...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }, as: UTF8.self)
        guard !digits.isEmpty, digits.count < 10 else { return nil }
        return CInt(digits)
    }

    /// Family, port and address bytes of a socket address: what identifies an endpoint.
    struct Endpoint: Equatable {
        var family: Int32
        var port: UInt16
        var address: [UInt8]
    }

    private static func endpoint(of address: SocketAddress) -> Endpoint? {
        address.withSockAddr { pointer, _ in endpoint(pointer) }
    }

    private static func endpoint(
        _ fd: CInt, _ query: (CInt, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?) -> CInt
    ) -> Endpoint? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { query(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { endpoint($0) } }
    }

    /// Reads the raw layout (family, big-endian port, address) of `sockaddr_in` / `sockaddr_in6`.
    private static func endpoint(_ pointer: UnsafePointer<sockaddr>) -> Endpoint? {
        let raw = UnsafeRawPointer(pointer)
        let family = Int32(pointer.pointee.sa_family)
        let port = UInt16(raw.load(fromByteOffset: 2, as: UInt8.self)) << 8 | UInt16(raw.load(fromByteOffset: 3, as: UInt8.self))
        switch family {
        case AF_INET:
            return Endpoint(family: family, port: port, address: Array(UnsafeRawBufferPointer(start: raw + 4, count: 4)))
        case AF_INET6:
            return Endpoint(family: family, port: port, address: Array(UnsafeRawBufferPointer(start: raw + 8, count: 16)))
        default:
            return nil
        }
    }
}
