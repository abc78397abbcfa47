/// The numbering and bounded history of one topic's events: offsets rise within an epoch, and the last `capacity`
/// events are kept so a client that was briefly away can resume without a snapshot.
///
/// On one node every event takes the next offset (`append(_:)`). On several nodes the offsets come from the shared
/// event log (`append(_:at:)`): they still rise, but this node's history may skip some (a conflated event another
/// node superseded before this one read it), which a client treats as a gap, not a loss. Resume is decided on what the
/// history is known to cover: every event after `floor` that this node published.
public struct TopicLog<Entry: Sendable>: Sendable {
    /// Names this run's numbering; a client holding another epoch gets a snapshot.
    public let epoch: String
    /// The offset of the last event appended (0 before any, or the position the log started at).
    public private(set) var offset: UInt64
    /// The newest offset the history no longer covers: a client must hold at least this to resume from it.
    public private(set) var floor: UInt64
    /// How many events are kept for replay.
    public let capacity: Int
    private var ring: [(offset: UInt64, entry: Entry)] = []
    private var head = 0

    /// - Parameter offset: where the numbering starts (0 for a new epoch; the shared log's current offset when a node
    ///   joins a topic other nodes already numbered). Nothing before it can be replayed.
    public init(epoch: String, capacity: Int, offset: UInt64 = 0) {
        precondition(capacity > 0, "history capacity must be positive")
        self.epoch = epoch
        self.capacity = capacity
        self.offset = offset
        self.floor = offset
    }

    /// Appends an event with the next offset and returns it.
    @discardableResult
    public mutating func append(_ entry: Entry) -> UInt64 {
        append(entry, at: offset + 1)
        return offset
    }

    /// Appends an event numbered elsewhere (the shared event log). Returns false, keeping nothing, when `offset` is
    /// not after the last one: events of a topic are published in offset order, so such an event is a duplicate.
    @discardableResult
    public mutating func append(_ entry: Entry, at offset: UInt64) -> Bool {
        guard offset > self.offset else { return false }
        self.offset = offset
        if ring.count < capacity {
            ring.append((offset, entry))
        } else {
            floor = ring[head].offset
            ring[head] = (offset, entry)
            head = (head + 1) % capacity
        }
        return true
    }

    /// Moves the numbering to `offset`, keeping the history: the offsets in between were taken by entries that are not
    /// events (a declaration in the shared log), so a client between them and the last event misses nothing.
    public mutating func skip(to offset: UInt64) {
        if offset > self.offset { self.offset = offset }
    }

    /// Moves the numbering to `offset` with no history: after a gap this node cannot fill (the shared history no
    /// longer holds what it missed), every client before `offset` gets a snapshot.
    public mutating func restart(at offset: UInt64) {
        guard offset >= self.offset else { return }
        ring = []
        head = 0
        self.offset = offset
        floor = offset
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
        guard position.epoch == epoch, position.offset <= offset, position.offset >= floor else { return .snapshot }
        let ordered = ring.count < capacity ? ring : Array(ring[head...] + ring[..<head])
        return .events(ordered.lazy.filter { $0.offset > position.offset }.map(\.entry))
    }
}
