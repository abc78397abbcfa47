import LoadKit
import Testing

@Suite struct FrameScanTests {
    private func scan<T>(_ text: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        Array(text.utf8).withUnsafeBytes(body)
    }

    @Test func readsHemicycleEventFields() {
        let event = #"{"type":"event","topic":"petition:1","epoch":"e7f3a9c2","offset":42,"event":"count","data":{"signature_count":9951}}"#
        #expect(scan(event) { FrameScan.type(in: $0).map { String(decoding: $0, as: UTF8.self) } } == "event")
        #expect(scan(event) { FrameScan.count(in: $0) } == 9951)
        #expect(scan(event) { FrameScan.offset(in: $0) } == 42)
        #expect(scan(event) { FrameScan.epoch(in: $0).map { String(decoding: $0, as: UTF8.self) } } == "e7f3a9c2")
    }

    @Test func readsPeerFrameCount() {
        let frame = #"{"type":"count","petition":1,"count":17,"t":1764412345678,"peer":"c-epoll","note":"x"}"#
        #expect(scan(frame) { FrameScan.count(in: $0) } == 17)
    }

    @Test func recoveredFlag() {
        #expect(scan(#"{"type":"subscribed","topics":[{"topic":"petition:1","recovered":true}]}"#) { FrameScan.recovered(in: $0) })
        #expect(!scan(#"{"type":"subscribed","topics":[{"topic":"petition:1","recovered":false}]}"#) { FrameScan.recovered(in: $0) })
    }

    @Test func missingFieldsAreNil() {
        #expect(scan(#"{"type":"pong"}"#) { FrameScan.count(in: $0) } == nil)
        #expect(scan(#"{"count":"x"}"#) { FrameScan.count(in: $0) } == nil)
        #expect(scan("") { FrameScan.type(in: $0) } == nil)
    }
}
