/// Signatures per minute from a series of counts: keeps one sample per second for the last minute and answers the
/// growth over it. Pure: the caller passes the time.
public struct RateWindow: Sendable, Equatable {
    private var samples: [(second: Int64, count: Int)] = []
    public let windowSeconds: Int64

    public init(windowSeconds: Int64 = 60) {
        self.windowSeconds = windowSeconds
    }

    public static func == (lhs: RateWindow, rhs: RateWindow) -> Bool {
        lhs.windowSeconds == rhs.windowSeconds && lhs.samples.elementsEqual(rhs.samples) { $0 == $1 }
    }

    /// Records the count seen at `now` and returns the growth over the last `windowSeconds` (0 at first).
    public mutating func record(_ count: Int, at now: Timestamp) -> Int {
        let second = now.millisecondsSince1970 / 1000
        if let last = samples.last, last.second == second {
            samples[samples.count - 1].count = count
        } else {
            samples.append((second, count))
        }
        while let first = samples.first, first.second < second - windowSeconds { samples.removeFirst() }
        guard let oldest = samples.first else { return 0 }
        return max(0, count - oldest.count)
    }
}
