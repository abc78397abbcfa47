import Histogram

/// The analysis of the `legislation` scenario: what each reader of `bill:{id}` logged, split into published comments
/// and marker moves, matched exactly (a reader must get every approved comment and every marker move: a later one
/// does not stand for an earlier one, unlike a conflated count).
///
/// A reader logs a published comment as its id, and the marker moving to section N (`sec_N`) as `markerBase + N`.
public struct LegislationAnalysis: Sendable {
    /// Marker moves are logged above every comment id.
    public static let markerBase: Int64 = 1_000_000_000_000

    /// One kind of trigger (approvals, marker moves) against the readers' logs.
    public struct Delivery: Sendable, Equatable {
        /// Every (trigger, reader) pair that arrived: the delay from the trigger to that reader.
        public var perReader: LatencySummary
        /// Per trigger that reached every measured reader: the delay until the last of them had it.
        public var toEveryReader: LatencySummary
        public var delivered: Int
        public var expected: Int
        /// Triggers some measured reader never got.
        public var incomplete: Int

        public var missing: Int { expected - delivered }
    }

    public var comments: Delivery
    public var markers: Delivery

    /// - Parameters:
    ///   - approvals: each approved comment, sent at (the approval's send time) with its id as value.
    ///   - markers: each marker move, sent at, with `markerBase + N` as value.
    public init(logs: [FrameLog.ViewerLog], approvals: [DeliveryAnalysis.Trigger], markers: [DeliveryAnalysis.Trigger]) {
        let (commentLogs, markerLogs) = Self.split(logs)
        comments = Self.exact(logs: commentLogs, triggers: approvals)
        self.markers = Self.exact(logs: markerLogs, triggers: markers)
    }

    /// Each reader's log as two: comments (below `markerBase`) and marker moves.
    public static func split(_ logs: [FrameLog.ViewerLog]) -> (comments: [FrameLog.ViewerLog], markers: [FrameLog.ViewerLog]) {
        var comments: [FrameLog.ViewerLog] = [], markers: [FrameLog.ViewerLog] = []
        comments.reserveCapacity(logs.count)
        markers.reserveCapacity(logs.count)
        for log in logs {
            comments.append(.init(slow: log.slow, frames: log.frames.filter { $0.value < markerBase }))
            markers.append(.init(slow: log.slow, frames: log.frames.filter { $0.value >= markerBase }))
        }
        return (comments, markers)
    }

    /// Exact delivery: a trigger reached a reader at the first frame carrying its very value.
    public static func exact(logs: [FrameLog.ViewerLog], triggers: [DeliveryAnalysis.Trigger]) -> Delivery {
        var index: [Int64: Int] = [:]
        for (position, trigger) in triggers.enumerated() where index[trigger.value] == nil { index[trigger.value] = position }
        var last = [UInt64](repeating: 0, count: triggers.count)
        var seenBy = [Int](repeating: 0, count: triggers.count)
        var perReader = LatencySummary.makeHistogram()
        var delivered = 0, measured = 0
        var firstArrival = [UInt64](repeating: .max, count: triggers.count)
        for log in logs where !log.slow {
            measured += 1
            for i in firstArrival.indices { firstArrival[i] = .max }
            for frame in log.frames {
                guard let position = index[frame.value], frame.time < firstArrival[position] else { continue }
                firstArrival[position] = frame.time
            }
            for (position, trigger) in triggers.enumerated() {
                let arrival = firstArrival[position]
                guard arrival != .max else { continue }
                delivered += 1
                seenBy[position] += 1
                perReader.record(arrival > trigger.sentAt ? (arrival - trigger.sentAt) / 1000 : 0)
                if arrival > last[position] { last[position] = arrival }
            }
        }
        var everyReader = LatencySummary.makeHistogram()
        var incomplete = 0
        for (position, trigger) in triggers.enumerated() {
            guard measured > 0, seenBy[position] == measured else { incomplete += 1; continue }
            everyReader.record(last[position] > trigger.sentAt ? (last[position] - trigger.sentAt) / 1000 : 0)
        }
        return Delivery(
            perReader: LatencySummary(perReader), toEveryReader: LatencySummary(everyReader), delivered: delivered,
            expected: measured * triggers.count, incomplete: incomplete)
    }
}
