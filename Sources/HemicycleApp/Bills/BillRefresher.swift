import HemicycleCore
import Logging
import ServiceLifecycle

/// Every `interval`, `BillService.refresh`: what `hemicycle bills` (or another node) stored reaches this server's pages
/// and topics within it.
struct BillRefresher: Service {
    let bills: BillService
    let interval: Duration
    let logger: Logger
    let clock: any WallClock

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { return }
            do {
                try await bills.refresh()
            } catch {
                logger.error("bills could not be read again", metadata: ["error": "\(error)"])
            }
        }
    }
}
