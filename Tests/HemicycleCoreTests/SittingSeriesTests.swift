import HemicycleCore
import Testing

@Suite struct SittingSeriesTests {
    static let t0 = Timestamp(millisecondsSince1970: 1_795_000_000_000 - 1_795_000_000_000 % 60_000)
    func at(_ seconds: Int64) -> Timestamp { Timestamp(millisecondsSince1970: Self.t0.millisecondsSince1970 + seconds * 1000) }

    @Test func oneEntryPerMinuteWithItsHighestAudienceAndLatestQuestions() {
        var series = SittingSeries()
        series.record(viewers: 10, submitted: 1, approved: 0, answered: 0, at: at(0))
        series.record(viewers: 25, submitted: 2, approved: 1, answered: 0, at: at(20))
        series.record(viewers: 12, submitted: 0, approved: 3, answered: 0, at: at(59))
        series.record(viewers: 8, submitted: 0, approved: 2, answered: 1, at: at(61))
        #expect(series.minutes == [
            .init(start: at(0), viewers: 25, submitted: 0, approved: 3, answered: 0),
            .init(start: at(60), viewers: 8, submitted: 0, approved: 2, answered: 1),
        ])
        #expect(series.peak?.start == at(0))
        #expect(series.peak?.viewers == 25)
    }

    @Test func aFinishedMinuteThatChangedNothingIsDropped() {
        var series = SittingSeries()
        for minute in 0..<5 { series.record(viewers: 3, submitted: 1, approved: 0, answered: 0, at: at(Int64(minute) * 60 + 5)) }
        #expect(series.minutes.map(\.start) == [at(0), at(240)], "the first and the current minute; the same values held between")
        series.record(viewers: 4, submitted: 1, approved: 0, answered: 0, at: at(300))
        #expect(series.minutes.map(\.start) == [at(0), at(300)], "minute 4 repeated minute 0 and is dropped once it is over")
        series.record(viewers: 4, submitted: 2, approved: 0, answered: 0, at: at(310))
        #expect(series.minutes.last?.submitted == 2, "the current minute follows the latest counts")
    }

    @Test func aClockStepBackIsIgnoredAndTheSeriesIsBounded() {
        var series = SittingSeries(capacity: 3)
        for minute in 0..<6 { series.record(viewers: minute, submitted: 0, approved: 0, answered: 0, at: at(Int64(minute) * 60)) }
        #expect(series.minutes.map(\.viewers) == [3, 4, 5])
        series.record(viewers: 99, submitted: 0, approved: 0, answered: 0, at: at(0))
        #expect(series.minutes.map(\.viewers) == [3, 4, 5])
        #expect(series.peak?.viewers == 5)
        series.prune(before: at(240))
        #expect(series.minutes.map(\.viewers) == [4, 5])
        #expect(SittingSeries().peak == nil)
        var quiet = SittingSeries()
        quiet.record(viewers: 0, submitted: 0, approved: 0, answered: 0, at: at(0))
        #expect(quiet.peak == nil, "no viewers: no peak")
        #expect(SittingSeries(capacity: 0).capacity == 1)
    }
}
