import HemicycleCore
import HemicycleStorage
import Logging
import ServiceLifecycle

/// The scheduler inside the server: every `interval` it closes petitions past their deadline, abandons drafts that
/// never got going, anonymises the people of petitions that ended long enough ago
/// (`PetitionLifecycle.runScheduledWork`), and sweeps the outbox (`PetitionLifecycle.pruneOutbox`).
struct PetitionScheduler: Service {
    let lifecycle: PetitionLifecycle
    let interval: Duration
    let logger: Logger
    let clock: any WallClock

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let done = try await lifecycle.runScheduledWork()
                if done.closed > 0 || done.abandoned > 0 || done.anonymised > 0 {
                    logger.notice("scheduler", metadata: ["closed": "\(done.closed)", "abandoned": "\(done.abandoned)", "anonymised": "\(done.anonymised)"])
                }
            } catch {
                logger.warning("scheduler failed; will retry", metadata: ["error": "\(error)"])
            }
            do {
                let pruned = try await lifecycle.pruneOutbox()
                if pruned.abandoned > 0 {
                    logger.warning("mail given up after the retention period", metadata: ["abandoned": "\(pruned.abandoned)"])
                }
            } catch {
                logger.warning("outbox sweep failed; will retry", metadata: ["error": "\(error)"])
            }
            // A graceful shutdown ends the wait at once (a plain sleep would hold the shutdown for up to `interval`).
            let interval = interval
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
        }
    }
}
