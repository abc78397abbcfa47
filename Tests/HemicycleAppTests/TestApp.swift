import Foundation
import HemicycleApp
import HemicycleCore
import HemicycleHub
import HemicycleStorage
import Hummingbird
import Logging
import Metrics
import Prometheus

/// Builds the application on an in-memory store, the way the executable does on SQLite.
enum TestApp {
    static let webRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("WebClient").path

    /// One Prometheus registry for the whole test process (swift-metrics can be bootstrapped once).
    static let metrics: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static func configuration(_ adjust: (inout AppConfiguration) -> Void = { _ in }) -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.port = 0
        configuration.webRoot = webRoot
        configuration.hub.tick = .milliseconds(50)
        configuration.bcryptCost = 4
        configuration.firstAdminEmail = nil
        configuration.sendmailCommand = ["/bin/sh", "-c", "cat > /dev/null"]  // tests read mail from the outbox
        adjust(&configuration)
        return configuration
    }

    static func make(
        store: InMemoryStore = InMemoryStore(), _ adjust: (inout AppConfiguration) -> Void = { _ in }
    ) async throws -> (HemicycleApplication, InMemoryStore) {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let app = try await buildApplication(configuration: configuration(adjust), store: store, logger: logger, metrics: metrics)
        return (app, store)
    }

    /// A store with the demo (petition 1 open, sitting 1) and a closed petition 2.
    static func storeWithClosedPetition() async throws -> InMemoryStore {
        let store = InMemoryStore()
        // The demo opens now: the app's scheduler closes petitions whose deadline has passed.
        _ = try await store.seedDemoIfEmpty(.standard(now: Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))))
        await store.put(closedPetition())
        return store
    }

    /// A closed petition with id 2, for "not open" tests.
    static func closedPetition() -> Petition {
        let now = Timestamp(millisecondsSince1970: 1_700_000_000_000)
        return Petition(
            id: .init(2), action: "A closed petition", background: "Closed.", additionalDetails: "", state: .closed,
            signatureCount: 7, creatorName: nil, createdAt: now, updatedAt: now, openedAt: now, closedAt: now, closingAt: nil,
            thresholds: [Threshold(name: "response", signatures: 10_000), Threshold(name: "debate", signatures: 100_000)]
        )
    }
}
