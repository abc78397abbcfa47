public import HemicycleCore
import Synchronization

/// A `WallClock` that moves only when a test moves it: `now()` is what the test set, and `sleep(until:)` returns when
/// `advance` reaches the deadline (or throws `CancellationError` when its task is cancelled). Tests give it to the
/// application (`AppConfiguration.clock`) and advance it instead of sleeping: the scheduler, the mailer, the hearing
/// counts' flush and every other timer of the domain then run exactly when the test says.
public final class ManualClock: WallClock, Sendable {
    private struct Sleeper {
        let deadline: Timestamp
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Timestamp
        var sleepers: [Int: Sleeper] = [:]
        /// Sleeps cancelled before they were registered (the cancellation handler can run first).
        var cancelled: Set<Int> = []
        var nextID = 0
    }

    private let state: Mutex<State>

    /// A clock that reads `start` until it is advanced.
    public init(at start: Timestamp = Timestamp(millisecondsSince1970: 1_764_400_000_000)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Timestamp { state.withLock { $0.now } }

    public func sleep(until deadline: Timestamp) async throws {
        let id = state.withLock { state -> Int? in
            guard deadline > state.now else { return nil }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return try Task.checkCancellation() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let sleeper = state.sleepers.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return sleeper
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock `duration` forward and wakes every sleep whose deadline it reaches, earliest first.
    public func advance(by duration: Duration) {
        advance(to: now().adding(duration))
    }

    /// Moves the clock to `time` (never backwards) and wakes every sleep whose deadline it reaches, earliest first.
    public func advance(to time: Timestamp) {
        let due = state.withLock { state -> [Sleeper] in
            if time > state.now { state.now = time }
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }.sorted { ($0.value.deadline, $0.key) < ($1.value.deadline, $1.key) }
            for (id, _) in due { state.sleepers[id] = nil }
            return due.map(\.value)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// How many tasks are sleeping on this clock now.
    public var sleepers: Int { state.withLock { $0.sleepers.count } }

    /// Waits until at least `count` tasks sleep on this clock, so that an `advance` reaches the timers the test
    /// expects (a service that has not reached its sleep yet would sleep from the advanced time). It polls every
    /// millisecond for the other tasks' work, never for time to pass; gives up after `timeout` and returns false.
    @discardableResult
    public func waitForSleepers(_ count: Int, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while sleepers < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(1))
        }
        return sleepers >= count
    }
}
