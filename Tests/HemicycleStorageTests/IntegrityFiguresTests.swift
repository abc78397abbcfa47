import HemicycleCore
import HemicycleStorage
import Testing

/// The integrity figures' arithmetic (`IntegrityFigures.compute`, which `InMemoryStore` uses; `SQLiteStore` computes
/// the same in SQL and both are checked by `SignatureIntegrityConformanceTests`).
@Suite struct IntegrityFiguresTests {
    @Test func integrityFiguresCountEachEventInItsPeriod() {
        let hour: Int64 = 3_600_000
        func t(_ h: Int64) -> Timestamp { Timestamp(millisecondsSince1970: h * hour + 5) }
        let figures = IntegrityFigures.compute([
            (t(0), t(0), false, nil, .counted),          // counted at once
            (t(0), t(2), false, nil, .counted),          // confirmed by email two hours later
            (t(1), nil, true, nil, .held),               // held, still waiting
            (t(1), t(3), true, nil, .counted),           // held, released later
            (t(1), t(1), false, t(3), .invalidated),     // counted, then invalidated
            (t(2), nil, false, nil, .pending),           // never confirmed
        ], bucketMilliseconds: hour)
        #expect(figures.totals == .init(created: 6, confirmed: 4, held: 2, invalidated: 1))
        #expect(figures.now == [.counted: 3, .held: 1, .invalidated: 1, .pending: 1])
        #expect(figures.buckets.map(\.start) == [t(0), t(1), t(2), t(3)].map { Timestamp(millisecondsSince1970: $0.millisecondsSince1970 - 5) })
        #expect(figures.buckets.map(\.figures) == [
            .init(created: 2, confirmed: 1), .init(created: 3, confirmed: 1, held: 2), .init(created: 1, confirmed: 1),
            .init(confirmed: 1, invalidated: 1),
        ])
    }
}
