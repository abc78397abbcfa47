/// Counters of one fleet (one worker process), reported to the coordinator.
public struct FleetStats: Codable, Sendable, Equatable {
    public var viewers = 0
    public var ready = 0
    public var failed = 0
    public var retries = 0
    public var slow = 0
    public var frames = 0
    public var serverErrors = 0
    /// Connections that were ready and then closed without being cut on purpose.
    public var dropped = 0
    /// Close codes sent by the server, by code.
    public var closeCodes: [String: Int] = [:]
    public var missedEvents = 0
    public var recovered = 0
    public var unrecovered = 0
    public var minLastValue: Int64 = -1
    public var maxLastValue: Int64 = -1

    public init() {}

    /// Sums the counters of several fleets.
    public static func merged(_ all: [FleetStats]) -> FleetStats {
        var total = FleetStats()
        total.minLastValue = all.map(\.minLastValue).min() ?? -1
        total.maxLastValue = all.map(\.maxLastValue).max() ?? -1
        for stats in all {
            total.viewers += stats.viewers
            total.ready += stats.ready
            total.failed += stats.failed
            total.retries += stats.retries
            total.slow += stats.slow
            total.frames += stats.frames
            total.serverErrors += stats.serverErrors
            total.dropped += stats.dropped
            total.missedEvents += stats.missedEvents
            total.recovered += stats.recovered
            total.unrecovered += stats.unrecovered
            for (code, count) in stats.closeCodes { total.closeCodes[code, default: 0] += count }
        }
        return total
    }
}
