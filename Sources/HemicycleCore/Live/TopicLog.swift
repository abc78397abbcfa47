/// The numbering and bounded history of one topic's events: offsets rise by one per event within an epoch, and the
/// last `capacity` events are kept so a client that was briefly away can resume without a snapshot.
public struct TopicLog<Entry: Sendable>: Sendable {
    /// Names this run's numbering; a client holding another epoch gets a snapshot.
    public let epoch: String
    /// The offset of the last event appended (0 before any).
    public private(set) var offset: UInt64 = 0
    /// How many events are kept for replay.
    public let capacity: Int
    private var ring: [Entry] = []
    private var head = 0

    public init(epoch: String, capacity: Int) {
        precondition(capacity > 0, "history capacity must be positive")
        self.epoch = epoch
        self.capacity = capacity
    }

    /// Appends an event and returns its offset.
    @discardableResult
    public mutating func append(_ entry: Entry) -> UInt64 {
        offset += 1
        if ring.count < capacity {
            ring.append(entry)
        } else {
            ring[head] = entry
            head = (head + 1) % capacity
        }
        return offset
    }

    /// What a resuming client gets.
    public enum Replay {
        /// The events after its offset, oldest first (possibly none).
        case events([Entry])
        /// Its position cannot be served from history: send a snapshot.
        case snapshot
    }

    /// The events after `position`, if the history still holds all of them.
    public func replay(from position: ResumePosition) -> Replay {
        guard position.epoch == epoch, position.offset <= offset else { return .snapshot }
        let missed = offset - position.offset
        guard missed <= UInt64(ring.count) else { return .snapshot }
        let count = Int(missed)
        let ordered = ring.count < capacity ? ring : Array(ring[head...] + ring[..<head])
        return .events(Array(ordered.suffix(count)))
    }
}
