import Foundation
import LoadKit
import NIOCore
import Testing

@Suite struct DeliveryAnalysisTests {
    let ms: UInt64 = 1_000_000

    @Test func aTriggerReachesAViewerAtTheFirstFrameThatIncludesIt() {
        // Two triggers (values 11 and 12); the first viewer sees both, the second only a conflated 12; the third
        // nothing after 10, and a slow viewer is left out.
        let logs = [
            FrameLog.ViewerLog(slow: false, frames: [.init(value: 11, time: 15 * ms), .init(value: 12, time: 130 * ms)]),
            FrameLog.ViewerLog(slow: false, frames: [.init(value: 12, time: 140 * ms)]),
            FrameLog.ViewerLog(slow: false, frames: [.init(value: 10, time: 1 * ms)]),
            FrameLog.ViewerLog(slow: true, frames: []),
        ]
        let triggers = [DeliveryAnalysis.Trigger(sentAt: 10 * ms, value: 11), .init(sentAt: 110 * ms, value: 12)]
        let analysis = DeliveryAnalysis(logs: logs, triggers: triggers, perTrigger: true)
        #expect(analysis.expected == 6)
        #expect(analysis.delivered == 4)
        #expect(analysis.perTrigger.map(\.count) == [2, 2])
        #expect(analysis.perTrigger[0].max >= 129 && analysis.perTrigger[0].max <= 131)  // 140 - 10 ms
        #expect(analysis.perTrigger[1].p50 >= 19.9 && analysis.perTrigger[1].p50 <= 20.1)  // 130 - 110 ms
        #expect(analysis.frames == 3)
    }

    @Test func ackLagIsMeasuredToTheLastViewer() {
        let logs = [
            FrameLog.ViewerLog(slow: false, frames: [.init(value: 5, time: 100 * ms), .init(value: 9, time: 200 * ms)]),
            FrameLog.ViewerLog(slow: false, frames: [.init(value: 9, time: 300 * ms)]),
        ]
        let (lag, unseen) = DeliveryAnalysis.ackToAllViewers(
            logs: logs, acks: [(ackedAt: 50 * ms, value: 4), (ackedAt: 150 * ms, value: 9), (ackedAt: 150 * ms, value: 10)])
        #expect(unseen == 1)
        #expect(lag.count == 2)
        #expect(lag.max >= 249 && lag.max <= 251)  // value 4: the second viewer first held >= 4 at 300 ms
        #expect(lag.p50 >= 149 && lag.p50 <= 151)  // value 9: at 300 ms, acked at 150 ms
    }

    @Test func frameLogsRoundTrip() throws {
        let logs = [
            FrameLog.ViewerLog(slow: true, frames: [.init(value: -1, time: 0), .init(value: .max, time: .max)]),
            FrameLog.ViewerLog(slow: false, frames: []),
        ]
        let path = NSTemporaryDirectory() + "frame-log-\(UUID().uuidString).hlf"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FrameLog.write(logs, to: path)
        #expect(try FrameLog.read(from: path) == logs)
    }

    @Test func serverFramesAreParsedInPlaceAndClientFramesMasked() throws {
        var buffer = ByteBuffer(string: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
        buffer.writeBytes([0x81, 0x02, 0x68, 0x69, 0x89, 0x00, 0x81])  // "hi", an empty ping, half a frame
        #expect(try WebSocketClientWire.readUpgradeResponse(&buffer))
        let text = try #require(try WebSocketClientWire.nextFrame(&buffer))
        #expect(text.opcode == 1 && String(buffer: text.payload) == "hi")
        #expect(try WebSocketClientWire.nextFrame(&buffer)?.opcode == 9)
        #expect(try WebSocketClientWire.nextFrame(&buffer) == nil, "an incomplete frame waits for more bytes")

        var refused = ByteBuffer(string: "HTTP/1.1 403 Forbidden\r\n\r\n")
        #expect(throws: WebSocketClientWire.WireError.self) { try WebSocketClientWire.readUpgradeResponse(&refused) }

        let masked = WebSocketClientWire.clientFrame(opcode: 1, payload: Array("ok".utf8), allocator: .init())
        let bytes = Array(masked.readableBytesView)
        #expect(bytes[0] == 0x81 && bytes[1] == 0x82)
        #expect([bytes[6] ^ bytes[2], bytes[7] ^ bytes[3]] == Array("ok".utf8))
        #expect(ScenarioOptions.parseSources("127.0.0.2-127.0.0.4,10.0.0.1") == ["127.0.0.2", "127.0.0.3", "127.0.0.4", "10.0.0.1"])
    }
}
