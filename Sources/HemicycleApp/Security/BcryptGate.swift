import HTTPTypes
import NIOCore
import NIOPosix
import Synchronization

/// Bounds the bcrypt work running at once (logins and password changes): at most `limit` computations on NIO's
/// blocking thread pool, which SQLite uses too. One more is refused at once with 429 `login_busy` and `Retry-After`
/// rather than queued, so a burst of logins can neither hold every thread of the pool nor build an unbounded queue.
final class BcryptGate: Sendable {
    let limit: Int
    private let running = Atomic<Int>(0)

    /// - Parameter limit: nil for the blocking pool's size minus one (at least one).
    init(limit: Int?) {
        self.limit = max(1, limit ?? (NIOSingletons.blockingPoolThreadCountSuggestion - 1))
    }

    /// Runs `work` on the thread pool if fewer than `limit` computations are running; otherwise throws `busy`.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard reserve() else { throw Self.busy }
        defer { running.subtract(1, ordering: .relaxed) }
        return try await NIOThreadPool.singleton.runIfActive(work)
    }

    /// Computations running now.
    var current: Int { running.load(ordering: .relaxed) }

    private func reserve() -> Bool {
        let now = running.add(1, ordering: .relaxed).newValue
        if now <= limit { return true }
        running.subtract(1, ordering: .relaxed)
        return false
    }

    static var busy: APIError {
        var error = APIError(.tooManyRequests, "login_busy", "The server is checking other logins right now. Try again in a second.")
        error.retryAfter = 1
        return error
    }
}
