/// Tunables of the live hub. Defaults match Protocol/PROTOCOL.md.
public struct HubConfiguration: Sendable {
    /// At most one conflated event (a count) per topic per tick.
    public var tick: Duration = .milliseconds(100)
    /// Events kept per topic for resume.
    public var historyCapacity = 256
    /// How often every connection is pinged; idle connections are closed after twice this plus 5 s.
    public var heartbeat: Duration = .seconds(25)
    /// Sockets a broadcast writes per turn of an event loop before other work (HTTP) gets a turn.
    public var broadcastChunk = 512
    /// Conflated events of a topic are spaced by at least this many times the latest broadcast's duration (see
    /// `FanoutPace`); 0 turns it off.
    public var broadcastPacing = 1.0
    /// HTTP requests in progress from which broadcasts switch to the busy regime (see `FanoutPace`); 0: never.
    public var busyRequests = 0
    /// While busy: time a broadcast writes per turn of an event loop (instead of `broadcastChunk` sockets).
    public var busyBroadcastSlice: Duration = .milliseconds(250)
    /// While busy: conflated events are spaced by at least this many times the latest broadcast's duration.
    public var busyBroadcastPacing = 2.5
    /// Whose viewers a sitting's `viewers` counts: this process's (`.local`, one node), or every node's, summed by the
    /// cluster broker and published through the shared event log (`.shared`).
    public var presence: PresenceSource = .local

    /// Where presence comes from.
    public enum PresenceSource: Sendable {
        case local
        case shared
    }

    public init(tick: Duration = .milliseconds(100), historyCapacity: Int = 256, heartbeat: Duration = .seconds(25)) {
        self.tick = tick
        self.historyCapacity = historyCapacity
        self.heartbeat = heartbeat
    }
}
