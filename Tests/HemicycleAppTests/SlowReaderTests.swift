@testable import HemicycleApp
import HemicycleCore
import HemicycleHub
import Logging
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

/// The slow-reader policy of `LiveConnectionHandler`, on an `EmbeddedChannel` whose writability the test controls.
@Suite struct SlowReaderTests {
    let loop = EmbeddedEventLoop()
    let topic = Topic.petition(.init(1))

    func makeChannel(maxFrames: Int) throws -> (EmbeddedChannel, LiveConnectionHandler) {
        let hub = Hub(eventLoopGroup: loop, logger: Logger(label: "test"), encodeFrame: WebSocketWire.text)
        var settings = LiveSettings()
        settings.queueMaxFrames = maxFrames
        let handler = LiveConnectionHandler(hub: hub, settings: settings, metrics: LiveMetrics(), logger: Logger(label: "test"))
        let channel = EmbeddedChannel(handler: handler, loop: loop)
        handler.completeSubscription(topics: [topic], frames: [])  // broadcasts reach members of their topic only
        return (channel, handler)
    }

    func frame(_ event: String, _ n: Int, conflated: Bool) -> BroadcastFrame {
        let message = ServerMessage.event(topic: topic, epoch: "e", offset: UInt64(n), event: event, data: .object([("n", .int(Int64(n)))]))
        return BroadcastFrame(bytes: WebSocketWire.text(message.bytes), topic: topic, conflationKey: conflated ? "\(topic)|\(event)" : nil)
    }

    /// Decodes the server frames written so far: text payloads as messages, a close frame as its code.
    func written(_ channel: EmbeddedChannel) throws -> (messages: [ServerMessage], closeCode: UInt16?) {
        var messages: [ServerMessage] = []
        var closeCode: UInt16?
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            let first = buffer.readInteger(as: UInt8.self) ?? 0
            var length = Int(buffer.readInteger(as: UInt8.self) ?? 0)
            if length == 126 { length = Int(buffer.readInteger(as: UInt16.self) ?? 0) }
            let payload = buffer.readBytes(length: length) ?? []
            switch first & 0x0F {
            case 0x1: messages.append(try ServerMessage.decode(payload))
            case 0x8: closeCode = UInt16(payload[0]) << 8 | UInt16(payload[1])
            default: break
            }
        }
        return (messages, closeCode)
    }

    func offsets(_ messages: [ServerMessage]) -> [UInt64] {
        messages.compactMap { if case .event(_, _, let offset, _, _) = $0 { offset } else { nil } }
    }

    @Test func countsCollapseWhileTheSocketIsFullAndOffsetsKeepRising() throws {
        let (channel, handler) = try makeChannel(maxFrames: 8)
        #expect(try written(channel).messages.first.map { if case .welcome = $0 { true } else { false } } == true)
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()  // as NIO does when a socket fills
        handler.deliver(frame("count", 1, conflated: true))
        handler.deliver(frame("threshold", 2, conflated: false))
        for n in 3...20 { handler.deliver(frame("count", n, conflated: true)) }
        #expect(try written(channel).messages.isEmpty, "nothing is written while the socket is full")
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        let (messages, close) = try written(channel)
        #expect(offsets(messages) == [2, 20], "the threshold, then only the latest count")
        #expect(close == nil)
    }

    @Test func aReaderThatCannotTakeReliableEventsIsClosedWith4002() throws {
        let (channel, handler) = try makeChannel(maxFrames: 4)
        _ = try written(channel)
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()  // as NIO does when a socket fills
        for n in 1...4 { handler.deliver(frame("threshold", n, conflated: false)) }
        #expect(try written(channel).closeCode == nil, "four frames fit the queue")
        handler.deliver(frame("threshold", 5, conflated: false))
        let (messages, close) = try written(channel)
        #expect(close == CloseCode.slowConsumer.rawValue)
        #expect(messages.isEmpty)
        handler.deliver(frame("threshold", 6, conflated: false))
        #expect(try written(channel).messages.isEmpty, "nothing more after the close")
    }

    @Test func snapshotsAndReplaysCountAgainstTheQueueSoAReplayFloodIsClosed() throws {
        let (channel, handler) = try makeChannel(maxFrames: 8)
        _ = try written(channel)
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()  // a client that does not read
        // Each subscribe-again-with-resume replays frames; none is read. Two rounds fill the queue, the third closes.
        var closedAt: Int?
        for round in 1...10 where closedAt == nil {
            handler.completeSubscription(topics: [topic], frames: (1...4).map { frame("threshold", $0, conflated: false) })
            if try written(channel).closeCode == CloseCode.slowConsumer.rawValue { closedAt = round }
        }
        #expect(closedAt == 3, "closed as soon as the replays outgrow the queue")
        handler.completeSubscription(topics: [topic], frames: [frame("threshold", 9, conflated: false)])
        #expect(try written(channel).messages.isEmpty, "nothing more is queued once closing")
    }

    @Test func aBroadcastForATopicTheConnectionLeftIsSkipped() throws {
        let (channel, handler) = try makeChannel(maxFrames: 4)
        _ = try written(channel)
        let other = Topic.petition(.init(2))
        let message = ServerMessage.event(topic: other, epoch: "e", offset: 1, event: "count", data: .object([]))
        handler.deliver(BroadcastFrame(bytes: WebSocketWire.text(message.bytes), topic: other, conflationKey: nil))
        #expect(try written(channel).messages.isEmpty)
        handler.deliver(frame("count", 1, conflated: true))
        #expect(offsets(try written(channel).messages) == [1])
    }

    @Test func pingsAreNotAnsweredWhileTheSocketIsFull() throws {
        let (channel, _) = try makeChannel(maxFrames: 4)
        _ = try written(channel)
        let ping = WebSocketFrame(fin: true, opcode: .ping, maskKey: .random(), data: ByteBuffer(string: "hi"))
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()  // as NIO does when a socket fills
        for _ in 0..<100 { try channel.writeInbound(ping) }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "no pong piles up for a reader that does not drain")
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        try channel.writeInbound(ping)
        #expect(try channel.readOutbound(as: ByteBuffer.self) != nil)
    }
}
