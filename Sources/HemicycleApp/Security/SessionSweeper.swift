import HemicycleCore
import HemicycleStorage
import Logging
import ServiceLifecycle

/// Deletes expired staff sessions every `interval` (at start, then on the scheduler's interval), so the sessions table
/// holds only sessions that can still be used. An expired session is refused at once anyway (`StaffAuth.member`);
/// this keeps the table, and what a copy of the database holds, from growing with every login.
struct SessionSweeper: Service {
    /// The staff sessions, and the job lock (`HemicycleStore.exclusively`) that keeps the purge on one node at a time.
    let store: any HemicycleStore
    let interval: Duration
    let logger: Logger
    let clock: any WallClock

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // One node at a time when several share a PostgreSQL database.
                let purged = try await store.exclusively("session-purge") { try await store.deleteExpiredSessions(now: clock.now()) } ?? 0
                if purged > 0 { logger.info("purged expired staff sessions", metadata: ["sessions": "\(purged)"]) }
            } catch {
                logger.warning("purging expired sessions failed; will retry", metadata: ["error": "\(error)"])
            }
            let interval = interval
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
        }
    }
}
