import Histogram

/// Turns triggers (when sent, which count value includes them) and the viewers' frame logs into latencies.
///
/// A trigger with value `v` reached a viewer at the first frame that viewer received with a count of at least `v`
/// (counts only grow, and a conflated count includes every trigger below it). Delay = that frame's arrival minus
/// the trigger's send time, on the shared monotonic clock.
public struct DeliveryAnalysis: Sendable {
    public struct Trigger: Sendable {
        public var sentAt: UInt64
        public var value: Int64

        public init(sentAt: UInt64, value: Int64) {
            self.sentAt = sentAt
            self.value = value
        }
    }

    /// Latency over every (trigger, viewer) pair.
    public var overall: LatencySummary
    /// One summary per trigger, in trigger order (only when asked for: the fan-out rounds).
    public var perTrigger: [LatencySummary]
    public var delivered: Int
    public var expected: Int
    /// Frames with a count received by the measured viewers from the first trigger to the last frame.
    public var frames: Int
    public var framesPerSecond: Double

    /// - Parameters:
    ///   - includeSlow: also measure viewers that stopped reading on purpose.
    ///   - perTrigger: keep one histogram per trigger (for a few dozen rounds, not for thousands of triggers).
    public init(logs: [FrameLog.ViewerLog], triggers: [Trigger], includeSlow: Bool = false, perTrigger: Bool = false) {
        let ordered = triggers.sorted { $0.value < $1.value }
        var overallHistogram = LatencySummary.makeHistogram()
        var histograms = perTrigger ? ordered.map { _ in LatencySummary.makeHistogram() } : []
        var delivered = 0, expected = 0, frames = 0
        let firstSent = triggers.map(\.sentAt).min() ?? 0
        var lastFrame = firstSent
        for log in logs where includeSlow || !log.slow {
            var frameIndex = 0
            for (index, trigger) in ordered.enumerated() {
                expected += 1
                while frameIndex < log.frames.count && log.frames[frameIndex].value < trigger.value { frameIndex += 1 }
                guard frameIndex < log.frames.count else { break }
                let arrival = log.frames[frameIndex].time
                let micros = arrival > trigger.sentAt ? (arrival - trigger.sentAt) / 1000 : 0
                overallHistogram.record(micros)
                if perTrigger { histograms[index].record(micros) }
                delivered += 1
            }
            for frame in log.frames where frame.time >= firstSent {
                frames += 1
                if frame.time > lastFrame { lastFrame = frame.time }
            }
        }
        // `expected` stopped counting at a viewer's first undelivered trigger: count the rest too.
        let measured = logs.filter { includeSlow || !$0.slow }.count
        expected = measured * ordered.count
        overall = LatencySummary(overallHistogram)
        self.perTrigger = histograms.map(LatencySummary.init)
        self.delivered = delivered
        self.expected = expected
        self.frames = frames
        let seconds = Double(lastFrame - firstSent) / 1e9
        framesPerSecond = seconds > 0 ? Double(frames) / seconds : 0
    }

    /// For each acknowledged trigger, the delay until the *last* measured viewer held a count including it.
    /// Acks whose value no viewer ever reached are counted in `unseen`.
    public static func ackToAllViewers(logs: [FrameLog.ViewerLog], acks: [(ackedAt: UInt64, value: Int64)])
        -> (lag: LatencySummary, unseen: Int)
    {
        let measured = logs.filter { !$0.slow }
        // Every distinct count any viewer received, ascending.
        var values = Set<Int64>()
        for log in measured { for frame in log.frames { values.insert(frame.value) } }
        let distinct = values.sorted()
        // allSeen[i]: when the last viewer first held a count >= distinct[i] (UInt64.max if some viewer never did).
        var allSeen = [UInt64](repeating: 0, count: distinct.count)
        for log in measured {
            var frameIndex = 0
            for (index, value) in distinct.enumerated() {
                while frameIndex < log.frames.count && log.frames[frameIndex].value < value { frameIndex += 1 }
                let time = frameIndex < log.frames.count ? log.frames[frameIndex].time : UInt64.max
                if time > allSeen[index] { allSeen[index] = time }
            }
        }
        var histogram = LatencySummary.makeHistogram()
        var unseen = 0
        for ack in acks {
            // The smallest distinct value that includes this ack.
            var low = 0, high = distinct.count
            while low < high {
                let middle = (low + high) / 2
                if distinct[middle] < ack.value { low = middle + 1 } else { high = middle }
            }
            guard low < distinct.count, allSeen[low] != UInt64.max else { unseen += 1; continue }
            let seen = allSeen[low]
            histogram.record(seen > ack.ackedAt ? (seen - ack.ackedAt) / 1000 : 0)
        }
        return (LatencySummary(histogram), unseen)
    }
}
