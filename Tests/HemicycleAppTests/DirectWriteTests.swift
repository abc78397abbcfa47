@testable import HemicycleApp
import HemicycleCore
import HemicycleHub
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The direct write path of `LiveConnectionHandler` (`DirectSocketWriter`) on a real socket pair, and the descriptor
/// lookup (`SocketDescriptor`) on real NIO sockets.
@Suite struct DirectWriteTests {
    let topic = Topic.petition(.init(1))

    /// Holds every write (and its promise) until `release`, like NIO's buffer for a socket the kernel does not drain.
    final class HeldWrites: ChannelOutboundHandler, @unchecked Sendable {
        typealias OutboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        var held: [(ByteBuffer, EventLoopPromise<Void>?)] = []
        var holding = false
        var context: ChannelHandlerContext?

        func handlerAdded(context: ChannelHandlerContext) { self.context = context }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if holding { held.append((unwrapOutboundIn(data), promise)) } else { context.write(data, promise: promise) }
        }

        func release() {
            holding = false
            for (buffer, promise) in held { context?.write(wrapOutboundOut(buffer), promise: promise) }
            held = []
            context?.flush()
        }
    }

    /// A non-blocking UNIX socket pair: the handler writes to `[0]`, the test reads `[1]`.
    func socketPair() throws -> (CInt, CInt) {
        var fds: [CInt] = [0, 0]
        #if canImport(Glibc)
        let kind = Int32(SOCK_STREAM.rawValue)
        #else
        let kind = SOCK_STREAM
        #endif
        try #require(socketpair(AF_UNIX, kind, 0, &fds) == 0)
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        // A small send buffer, so that the test can fill it.
        var size: CInt = 4096
        _ = setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<CInt>.size))
        return (fds[0], fds[1])
    }

    func readAll(_ fd: CInt) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    func frame(_ n: Int, size: Int = 40) -> BroadcastFrame {
        let message = ServerMessage.event(
            topic: topic, epoch: "e", offset: UInt64(n), event: "count", data: .object([("pad", .string(String(repeating: "x", count: size)))]))
        return BroadcastFrame(bytes: WebSocketWire.text(message.bytes), topic: topic, conflationKey: nil)
    }

    func makeChannel(descriptor: CInt) throws -> (EmbeddedChannel, LiveConnectionHandler, HeldWrites) {
        let loop = EmbeddedEventLoop()
        let hub = Hub(eventLoopGroup: loop, logger: Logger(label: "test"), encodeFrame: WebSocketWire.text)
        let environment = LiveConnectionEnvironment(hub: hub, settings: LiveSettings(), metrics: LiveMetrics(), logger: Logger(label: "test"))
        let held = HeldWrites()
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandler(held)
        let handler = LiveConnectionHandler(environment: environment, descriptor: descriptor)
        try channel.pipeline.syncOperations.addHandler(handler)
        handler.completeSubscription(topics: [topic], frames: [])
        return (channel, handler, held)
    }

    /// Everything the client would read: the socket's bytes, then NIO's (for the test, the embedded outbound).
    func nioBytes(_ channel: EmbeddedChannel) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        return bytes
    }

    @Test func broadcastsGoStraightToTheSocketOnceNIOHoldsNothing() throws {
        let (server, client) = try socketPair()
        defer { close(server); close(client) }
        let (channel, handler, _) = try makeChannel(descriptor: server)
        let welcome = try nioBytes(channel)
        #expect(!welcome.isEmpty, "the welcome goes through NIO, behind the 101")
        #expect(readAll(client).isEmpty)
        handler.deliver(frame(1))
        handler.deliver(frame(2))
        #expect(try nioBytes(channel).isEmpty, "nothing through NIO")
        #expect(readAll(client) == Array(frame(1).bytes.readableBytesView) + Array(frame(2).bytes.readableBytesView))
    }

    @Test func whatTheKernelDoesNotTakeGoesThroughNIOAndLaterFramesFollowIt() throws {
        let (server, client) = try socketPair()
        defer { close(server); close(client) }
        let (channel, handler, held) = try makeChannel(descriptor: server)
        _ = try nioBytes(channel)
        held.holding = true  // NIO cannot write either, as for a socket whose buffer is full
        var expected: [UInt8] = []
        var n = 0
        // Fill the socket until a frame is cut: its rest goes to NIO.
        while held.held.isEmpty, n < 10_000 {
            n += 1
            let next = frame(n, size: 900)
            expected += next.bytes.readableBytesView
            handler.deliver(next)
        }
        try #require(!held.held.isEmpty, "the socket filled up")
        var received = readAll(client)  // the client reads: the kernel has room again
        // NIO still holds the rest of a frame: these must not overtake it.
        for m in (n + 1)...(n + 3) {
            expected += frame(m).bytes.readableBytesView
            handler.deliver(frame(m))
        }
        #expect(readAll(client).isEmpty, "nothing jumps ahead of what NIO holds")
        held.release()
        received += try nioBytes(channel)
        #expect(received == expected, "every byte, in order")
        // NIO has written everything: direct again.
        handler.deliver(frame(n + 4))
        #expect(try nioBytes(channel).isEmpty)
        #expect(readAll(client) == Array(frame(n + 4).bytes.readableBytesView))
    }

    @Test func withoutADescriptorEverythingGoesThroughNIO() throws {
        let loop = EmbeddedEventLoop()
        let hub = Hub(eventLoopGroup: loop, logger: Logger(label: "test"), encodeFrame: WebSocketWire.text)
        let handler = LiveConnectionHandler(hub: hub, settings: LiveSettings(), metrics: LiveMetrics(), logger: Logger(label: "test"))
        let channel = EmbeddedChannel(handler: handler, loop: loop)
        handler.completeSubscription(topics: [topic], frames: [])
        _ = try nioBytes(channel)
        handler.deliver(frame(1))
        #expect(try nioBytes(channel) == Array(frame(1).bytes.readableBytesView))
    }

    final class InboundOnly: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
    }

    /// A TLS wrapper (Hummingbird's `TLSChannel`) adds its handler before Hemicycle's setup runs: such a channel must
    /// never be written to directly. `HeldWrites` (outbound) and `InboundOnly` stand in for such a handler.
    @Test func onlyABareSocketUnderTheGuardCountsAsPlainTransport() throws {
        func channel(_ first: (any ChannelHandler & Sendable)?) throws -> EmbeddedChannel {
            let channel = EmbeddedChannel()
            if let first { try channel.pipeline.syncOperations.addHandler(first) }
            try channel.pipeline.syncOperations.addHandler(PreRequestGuard(timeout: .seconds(10)), name: PreRequestGuard.name)
            return channel
        }
        let bare = try channel(nil)
        #expect(LiveServerChannel.isPlainTransport(bare))
        let wrapped = try channel(HeldWrites())
        #expect(!LiveServerChannel.isPlainTransport(wrapped))
        let inbound = try channel(InboundOnly())
        #expect(!LiveServerChannel.isPlainTransport(inbound), "any handler before the guard: not a bare socket")
        for channel in [bare, wrapped, inbound] { _ = try? channel.finish() }
    }

    @Test func theDescriptorIsParsedFromNIOsDescription() {
        #expect(SocketDescriptor.parse("SocketChannel { BaseSocket { fd=17 }, active = true }") == 17)
        #expect(SocketDescriptor.parse("SocketChannel { BaseSocket { descriptor } }") == nil)
        #expect(SocketDescriptor.parse("fd=") == nil)
        #expect(SocketDescriptor.parse("fd=99999999999") == nil)
    }

    /// Looks the descriptor up once the channel is active, as the upgrade does.
    final class Probe: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let found: EventLoopPromise<CInt?>
        init(found: EventLoopPromise<CInt?>) { self.found = found }
        func channelActive(context: ChannelHandlerContext) { found.succeed(SocketDescriptor.of(context.channel)) }
    }

    @Test func theDescriptorOfAnAcceptedChannelIsItsSocket() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let accepted = group.next().makePromise(of: CInt?.self)
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Probe(found: accepted)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ClientBootstrap(group: group).connect(to: try #require(server.localAddress)).get()
        let descriptor = try #require(try await accepted.futureResult.get())
        // The descriptor's peer is the client's own address.
        let peer = try #require(SocketDescriptor.peer(of: descriptor))
        #expect(Int(peer.port) == client.localAddress?.port)
        try await client.close()
        try await server.close()
        try await group.shutdownGracefully()
    }
}
