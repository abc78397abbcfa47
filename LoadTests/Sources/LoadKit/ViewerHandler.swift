import NIOCore

/// The channel handler of one viewer connection: upgrade, then frames parsed in place from the read buffer.
///
/// Hemicycle: on `welcome` it subscribes (with `resume` when it holds an epoch and offset), tracks offsets to count
/// missed events, and is ready on `subscribed`. Peers: ready on the 101 response.
final class ViewerHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let viewer: Viewer
    private let fleet: ViewerFleet
    private var buffer: ByteBuffer?
    private var upgraded = false

    init(viewer: Viewer, fleet: ViewerFleet) {
        self.viewer = viewer
        self.fleet = fleet
    }

    func channelActive(context: ChannelHandlerContext) {
        let request = WebSocketClientWire.upgradeRequest(
            host: fleet.configuration.host, port: fleet.configuration.port, path: fleet.configuration.kind.webSocketPath)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = MonotonicClock.nanos()
        var incoming = unwrapInboundIn(data)
        if var pending = buffer, pending.readableBytes > 0 {
            pending.writeBuffer(&incoming)
            buffer = pending
        } else {
            buffer = incoming
        }
        do {
            try process(context: context, now: now)
        } catch {
            fleet.protocolFailure(viewer, error)
            context.close(promise: nil)
        }
        if buffer?.readableBytes == 0 { buffer = nil }
    }

    private func process(context: ChannelHandlerContext, now: UInt64) throws {
        guard var pending = buffer else { return }
        defer { buffer = pending }
        if !upgraded {
            guard try WebSocketClientWire.readUpgradeResponse(&pending) else { return }
            upgraded = true
            if fleet.configuration.kind == .peer { fleet.viewerReady(viewer, recovered: nil) }
        }
        while let frame = try WebSocketClientWire.nextFrame(&pending) {
            switch frame.opcode {
            case 0x1:
                frame.payload.withUnsafeReadableBytes { text($0, context: context, now: now) }
            case 0x8:
                let code = frame.payload.getInteger(at: frame.payload.readerIndex, as: UInt16.self)
                fleet.serverClosed(viewer, code: code.map(Int.init) ?? 1005)
                let close = WebSocketClientWire.clientFrame(opcode: 0x8, payload: [UInt8](), allocator: context.channel.allocator)
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(close)).whenComplete { _ in channel.close(promise: nil) }
            case 0x9:
                let payload = Array(frame.payload.readableBytesView)
                let pong = WebSocketClientWire.clientFrame(opcode: 0xA, payload: payload, allocator: context.channel.allocator)
                context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            default:
                break
            }
        }
    }

    private func text(_ payload: UnsafeRawBufferPointer, context: ChannelHandlerContext, now: UInt64) {
        fleet.framesReceived += 1
        guard fleet.configuration.kind == .hemicycle else {
            if let value = FrameScan.count(in: payload) { fleet.valueSeen(viewer, previous: viewer.record(value, at: now)) }
            return
        }
        guard let type = FrameScan.type(in: payload) else { return }
        switch String(decoding: type, as: UTF8.self) {
        case "event":
            if let offset = FrameScan.offset(in: payload) {
                if offset <= viewer.offset { return }  // a duplicate after a resume
                if viewer.offset >= 0 && offset > viewer.offset + 1 { viewer.missedEvents += Int(offset - viewer.offset - 1) }
                viewer.offset = offset
            }
            if fleet.configuration.watchesQuestions {
                // A hearing: the value is the id of each question published (ids grow in approval order here).
                if let question = FrameScan.question(in: payload), question.state.elementsEqual(FrameScan.approved) {
                    fleet.valueSeen(viewer, previous: viewer.record(question.id, at: now))
                }
            } else if fleet.configuration.watchesBill {
                // A bill: published comments (ids grow in approval order here) and marker moves, logged apart.
                if let value = FrameScan.billValue(in: payload) { fleet.valueSeen(viewer, previous: viewer.record(value, at: now)) }
            } else if let value = FrameScan.count(in: payload) {
                fleet.valueSeen(viewer, previous: viewer.record(value, at: now))
            }
        case "snapshot":
            viewer.epoch = FrameScan.epoch(in: payload)
            viewer.offset = FrameScan.offset(in: payload) ?? -1
            if !fleet.configuration.watchesQuestions, !fleet.configuration.watchesBill, let value = FrameScan.count(in: payload) {
                viewer.snapshotValue = value
                fleet.valueSeen(viewer, previous: viewer.record(value, at: now))
            }
        case "subscribed":
            fleet.viewerReady(viewer, recovered: viewer.askedResume ? FrameScan.recovered(in: payload) : nil)
        case "welcome":
            subscribe(context: context)
        case "error":
            fleet.serverErrors += 1
        default:
            break
        }
    }

    private func subscribe(context: ChannelHandlerContext) {
        let topic = fleet.configuration.topic
        var message = #"{"type":"subscribe","topics":[""# + topic + #""],"ref":"load""#
        if let epoch = viewer.epoch, viewer.offset >= 0 {
            viewer.askedResume = true
            message += #","resume":{""# + topic + #"":{"epoch":""# + String(decoding: epoch, as: UTF8.self)
                + #"","offset":"# + String(viewer.offset) + "}}"
        } else {
            viewer.askedResume = false
        }
        message += "}"
        let frame = WebSocketClientWire.clientFrame(opcode: 0x1, payload: Array(message.utf8), allocator: context.channel.allocator)
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fleet.viewerClosed(viewer)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
