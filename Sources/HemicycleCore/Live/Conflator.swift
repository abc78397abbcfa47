/// Leading-edge throttle for one conflated value (a petition's count): on average at most one send per tick, the
/// first change after a quiet spell goes out at once, and changes that come too soon wait and go out as one. The value
/// itself lives with the caller, which always sends its latest.
///
/// The schedule is GCRA (the generic cell rate algorithm): each send books the next slot one tick after the previous
/// slot, and a change may go out up to half a tick before its slot. Booking from the slot, not from when a send
/// actually happened, keeps late timers and jittery arrivals from adding up: a steady stream of changes at exactly
/// the tick rate goes out as it comes, instead of drifting towards a full tick of delay. Two sends are never closer
/// than half a tick.
///
/// A pure state machine: the caller passes `now` and schedules the wake-up it is told to.
public struct Conflator: Sendable {
    /// The average spacing between two sends. The hub widens it while broadcasts take longer than a tick.
    public var tick: Duration
    /// How early a send may come before its slot (half a tick).
    public var tolerance: Duration { tick / 2 }
    /// The next slot; nil before the first send.
    private var nextSlot: ContinuousClock.Instant?
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
        if let nextSlot, now < nextSlot - tolerance {
            pending = true
            return .scheduleFlush(at: nextSlot - tolerance)
        }
        book(now: now)
        return .sendNow
    }

    /// The scheduled flush time has come. Returns `true` when the latest value must be sent now.
    public mutating func fire(now: ContinuousClock.Instant) -> Bool {
        guard pending else { return false }
        pending = false
        book(now: now)
        return true
    }

    /// Whether a change is waiting for its flush.
    public var hasPending: Bool { pending }

    private mutating func book(now: ContinuousClock.Instant) {
        let slot = nextSlot.map { max($0, now) } ?? now
        nextSlot = slot + tick
    }
}
