import Foundation
import LoadKit
import Testing

@Suite struct LegislationAnalysisTests {
    let ms: UInt64 = 1_000_000
    let base = LegislationAnalysis.markerBase

    func scan(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBytes { FrameScan.billValue(in: $0) }
    }

    @Test func aReaderLogsPublishedCommentsAndMarkerMovesToSections() {
        let comment = #"{"type":"event","topic":"bill:2","epoch":"e","offset":4,"event":"comment","data":{"id":17,"kind":"comment","state":"published","text":"x"}}"#
        #expect(scan(comment) == 17)
        let held = #"{"type":"event","topic":"bill:2:moderation","epoch":"e","offset":4,"event":"comment","data":{"id":18,"kind":"comment","state":"submitted"}}"#
        #expect(scan(held) == nil, "a held comment is not published")
        let marker = #"{"type":"event","topic":"bill:2","epoch":"e","offset":5,"event":"marker","data":{"marker":{"eId":"sec_42","key":"sec_42","version":1,"since":"t"}}}"#
        #expect(scan(marker) == base + 42)
        let below = #"{"type":"event","topic":"bill:2","epoch":"e","offset":6,"event":"marker","data":{"marker":{"eId":"sec_4__subsec_a","key":"k"}}}"#
        #expect(scan(below) == nil, "a provision below a section is not a section")
        #expect(scan(#"{"type":"event","topic":"bill:2","event":"marker","data":{"marker":null}}"#) == nil)
        #expect(scan(#"{"type":"event","topic":"bill:2","event":"clause_counts","data":{"counts":{"sec_1":{"comments":3}}}}"#) == nil)
        let staff = Array(held.utf8).withUnsafeBytes { FrameScan.billComment(in: $0) }
        #expect(staff?.id == 18 && staff.map { String(decoding: $0.state, as: UTF8.self) } == "submitted")
    }

    @Test func deliveriesAreExactAndTheLastReaderCounts() {
        // Comments 11 and 12 approved at 10 and 20 ms, the marker moved to section 3 at 15 ms.
        let approvals = [DeliveryAnalysis.Trigger(sentAt: 10 * ms, value: 11), .init(sentAt: 20 * ms, value: 12)]
        let markers = [DeliveryAnalysis.Trigger(sentAt: 15 * ms, value: base + 3)]
        let logs = [
            FrameLog.ViewerLog(slow: false, frames: [
                .init(value: 11, time: 12 * ms), .init(value: base + 3, time: 16 * ms), .init(value: 12, time: 25 * ms),
            ]),
            // Got 12 but never 11: unlike a count, a later comment does not stand for an earlier one.
            FrameLog.ViewerLog(slow: false, frames: [.init(value: base + 3, time: 40 * ms), .init(value: 12, time: 60 * ms)]),
            // A slow reader is left out.
            FrameLog.ViewerLog(slow: true, frames: []),
        ]
        let analysis = LegislationAnalysis(logs: logs, approvals: approvals, markers: markers)
        #expect(analysis.comments.expected == 4)
        #expect(analysis.comments.delivered == 3)
        #expect(analysis.comments.missing == 1)
        #expect(analysis.comments.incomplete == 1, "comment 11 missed a reader")
        #expect(analysis.comments.toEveryReader.count == 1, "only comment 12 reached every reader")
        #expect(analysis.comments.toEveryReader.max >= 39.9 && analysis.comments.toEveryReader.max <= 40.1)  // 60 - 20 ms
        #expect(analysis.comments.perReader.count == 3)
        #expect(analysis.markers.expected == 2 && analysis.markers.delivered == 2 && analysis.markers.incomplete == 0)
        #expect(analysis.markers.toEveryReader.p50 >= 24.9 && analysis.markers.toEveryReader.p50 <= 25.1)  // 40 - 15 ms
        #expect(analysis.markers.perReader.count == 2)
        let (comments, moves) = LegislationAnalysis.split(logs)
        #expect(comments[0].frames.map(\.value) == [11, 12])
        #expect(moves[1].frames.map(\.value) == [base + 3])
    }

    @Test func aRepeatedFrameCountsOnceAtItsFirstArrival() {
        let delivery = LegislationAnalysis.exact(
            logs: [FrameLog.ViewerLog(slow: false, frames: [.init(value: 5, time: 30 * ms), .init(value: 5, time: 10 * ms)])],
            triggers: [.init(sentAt: 0, value: 5)])
        #expect(delivery.delivered == 1 && delivery.expected == 1)
        #expect(delivery.perReader.max >= 9.9 && delivery.perReader.max <= 10.1)
        let nobody = LegislationAnalysis.exact(logs: [], triggers: [.init(sentAt: 0, value: 5)])
        #expect(nobody.expected == 0 && nobody.incomplete == 1, "no reader measured: nothing reached every reader")
    }

    @Test func theBillHasNumberedSectionsWithTheirEIds() {
        let text = LegislationBill.text(clauses: 200)
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("Section ") }
        #expect(headings.count == 200)
        #expect(headings.first == "Section 1. Provision 1" && headings.last == "Section 200. Provision 200")
        let json = #"{"bill":{"id":2},"marker":{"eId":"sec_3","key":"sec_3"},"provisions":[{"eId":"sec_1"},{"eId":"sec_2"},{"eId":"sec_2__subsec_a"},{"eId":"sec_3"}]}"#
        let (sections, marker) = LegislationScenario.sections(inBillJSON: json)
        #expect(sections == [1, 2, 3])
        #expect(marker == 3)
        #expect(LegislationScenario.sections(inBillJSON: "not json").sections.isEmpty)
    }
}
