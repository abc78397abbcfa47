import Histogram

/// Percentiles of a latency histogram recorded in microseconds, reported in milliseconds.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: UInt64
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var max: Double

    public init(_ histogram: Histogram<UInt64>) {
        count = histogram.totalCount
        guard count > 0 else {
            p50 = 0; p90 = 0; p99 = 0; max = 0
            return
        }
        p50 = Double(histogram.valueAtPercentile(50)) / 1000
        p90 = Double(histogram.valueAtPercentile(90)) / 1000
        p99 = Double(histogram.valueAtPercentile(99)) / 1000
        max = Double(histogram.max) / 1000
    }

    /// A histogram for latencies in microseconds, up to ten minutes.
    public static func makeHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }
}
