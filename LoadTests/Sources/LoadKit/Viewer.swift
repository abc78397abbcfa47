import NIOCore

/// One frame a viewer received that carried a count: the value and when it arrived.
public struct FrameRecord: Sendable, Equatable {
    public var value: Int64
    public var time: UInt64

    public init(value: Int64, time: UInt64) {
        self.value = value
        self.time = time
    }
}

/// One simulated viewer: its current connection and everything it has seen, kept across reconnects.
///
/// Confined to its fleet's event loop (hence `@unchecked Sendable`: it is captured by channel initialisers, which
/// run on that same loop).
final class Viewer: @unchecked Sendable {
    let index: Int
    var channel: (any Channel)?
    var isReady = false
    /// Stopped reading on purpose (the slow-readers scenario); left out of awaits and of the others' latencies.
    var isSlow = false
    /// Being reconnected by a `cut`; counts towards the storm's "back" when ready again.
    var isReconnecting = false
    var attempts = 0
    /// The highest count seen so far (-1 before any).
    var lastValue: Int64 = -1
    var frames: [FrameRecord] = []
    // Resume state (Hemicycle only).
    var epoch: [UInt8]?
    var offset: Int64 = -1
    var askedResume = false
    /// Offsets skipped between consecutive events of one epoch: events this viewer never received.
    var missedEvents = 0
    /// The count of the last `snapshot` received on the current connection (-1 before one): what a restarted server
    /// gave the viewer, which `record` would hide if it were lower than a count seen before.
    var snapshotValue: Int64 = -1
    // Rejoining after the server went away (`crash`): when the connection was lost and when the viewer was subscribed
    // again (monotonic nanoseconds, 0 when not lost since the last `rejoined` report), and whether that
    // subscription resumed from the history (nil: not asked).
    var lostAt: UInt64 = 0
    var backAt: UInt64 = 0
    var backRecovered: Bool?

    init(index: Int) {
        self.index = index
    }

    /// Records a frame's count; returns the highest value held before it.
    @discardableResult
    func record(_ value: Int64, at time: UInt64) -> Int64 {
        let previous = lastValue
        frames.append(FrameRecord(value: value, time: time))
        if value > lastValue { lastValue = value }
        return previous
    }
}

