/// A sitting's audience and questions minute by minute, for the dashboard's charts: the highest number of viewers seen
/// in each minute, and the questions waiting, approved and answered at its end. Pure: the caller passes the time.
///
/// Bounded: at most `capacity` minutes (12 hours by default), the oldest dropped first; `prune(before:)` drops
/// minutes older than a cut-off. A finished minute that repeats the one before it is dropped (its values hold until
/// the next entry), so a sitting nobody watches stores nothing while it does not change.
public struct SittingSeries: Sendable, Equatable {
    /// One minute of a sitting.
    public struct Minute: Sendable, Equatable {
        /// The minute's first millisecond.
        public var start: Timestamp
        /// The highest number of viewers seen during the minute.
        public var viewers: Int
        /// Questions waiting for moderation at the minute's end (or now, for the current minute).
        public var submitted: Int
        /// Questions approved (including the one on screen).
        public var approved: Int
        public var answered: Int

        public init(start: Timestamp, viewers: Int, submitted: Int, approved: Int, answered: Int) {
            self.start = start
            self.viewers = viewers
            self.submitted = submitted
            self.approved = approved
            self.answered = answered
        }

        func sameValues(as other: Minute) -> Bool {
            viewers == other.viewers && submitted == other.submitted && approved == other.approved && answered == other.answered
        }
    }

    public private(set) var minutes: [Minute] = []
    public let capacity: Int

    /// - Parameter capacity: the most minutes kept (at least 1).
    public init(capacity: Int = 720) {
        self.capacity = max(1, capacity)
    }

    /// Records what was seen at `now`. A time earlier than the newest minute is ignored (a clock step back).
    public mutating func record(viewers: Int, submitted: Int, approved: Int, answered: Int, at now: Timestamp) {
        let start = Timestamp(millisecondsSince1970: now.millisecondsSince1970 - Self.floorMod(now.millisecondsSince1970, 60_000))
        if let last = minutes.last {
            if start < last.start { return }
            if start == last.start {
                minutes[minutes.count - 1].viewers = max(last.viewers, viewers)
                minutes[minutes.count - 1].submitted = submitted
                minutes[minutes.count - 1].approved = approved
                minutes[minutes.count - 1].answered = answered
                return
            }
            if minutes.count >= 2 && last.sameValues(as: minutes[minutes.count - 2]) { minutes.removeLast() }
        }
        minutes.append(Minute(start: start, viewers: viewers, submitted: submitted, approved: approved, answered: answered))
        if minutes.count > capacity { minutes.removeFirst(minutes.count - capacity) }
    }

    /// Drops the minutes that started before `cutoff`.
    public mutating func prune(before cutoff: Timestamp) {
        minutes.removeAll { $0.start < cutoff }
    }

    /// The minute with the most viewers (the earliest of equals), nil without minutes or viewers.
    public var peak: Minute? {
        var best: Minute?
        for minute in minutes where minute.viewers > (best?.viewers ?? 0) { best = minute }
        return best
    }

    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { ((a % b) + b) % b }
}
