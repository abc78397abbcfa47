/// Leading-edge throttle for one conflated value (a petition's count): at most one send per tick, the first change
/// after a quiet tick goes out at once, and changes within a tick of the last send wait for the tick's end and go out
/// as one. The value itself lives with the caller, which always sends its latest.
///
/// A pure state machine: the caller passes `now` and schedules the wake-up it is told to.
public struct Conflator: Sendable {
    /// The minimum spacing between two sends.
    public let tick: Duration
    private var lastSent: ContinuousClock.Instant?
    private var pending = false

    public init(tick: Duration) {
        self.tick = tick
    }

    /// What to do with a change.
    public enum Decision: Sendable, Equatable {
        /// Send the latest value now.
        case sendNow
        /// Hold it; call `fire(now:)` at this instant.
        case scheduleFlush(at: ContinuousClock.Instant)
        /// A flush is already scheduled; it will carry this change too (collapsed).
        case collapsed
    }

    /// Records a change.
    public mutating func change(now: ContinuousClock.Instant) -> Decision {
        if pending { return .collapsed }
        if let lastSent, now < lastSent.advanced(by: tick) {
            pending = true
            return .scheduleFlush(at: lastSent.advanced(by: tick))
        }
        lastSent = now
        return .sendNow
    }

    /// The scheduled flush time has come. Returns `true` when the latest value must be sent now.
    public mutating func fire(now: ContinuousClock.Instant) -> Bool {
        guard pending else { return false }
        pending = false
        lastSent = now
        return true
    }

    /// Whether a change is waiting for its flush.
    public var hasPending: Bool { pending }
}
