import Foundation
import HemicycleApp
import HemicycleCore
import HemicycleHub
import HemicyclePostgres
import HemicyclePostgresTesting
import HemicycleSQLite
import HemicycleStorage
import Hummingbird
import Logging
import Metrics
import Prometheus
import Synchronization
import Testing

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

    /// The stores the application runs on: the suites that take a `Backend` run on each.
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case memory, sqlite, postgres
        var testDescription: String { rawValue }

        /// PostgreSQL runs when it is installed or required (then its absence fails); StoreConformanceTests'
        /// `postgresIsThere` says when it is skipped.
        static var allCases: [Backend] { TestCluster.isAvailable || TestCluster.required ? [.memory, .sqlite, .postgres] : [.memory, .sqlite] }
    }

    /// An empty, migrated store of `backend` (a fresh file or database each time).
    static func emptyStore(_ backend: Backend) async throws -> any HemicycleStore {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let store: any HemicycleStore
        switch backend {
        case .memory:
            store = InMemoryStore()
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-app-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            store = try await SQLiteStore.open(path: dir.appendingPathComponent("hemicycle.sqlite").path, logger: logger)
        case .postgres:
            store = try await TestCluster.openStore(poolSize: 4, logger: logger)
        }
        keepOpen.withLock { $0.append(store) }
        try await store.migrate()
        return store
    }

    /// Every store `emptyStore` opened, kept to the end of the test process: a SQLite connection must be closed before
    /// it is freed (SQLiteNIO asserts it), and a test that throws half-way never reaches its own `close()`. The
    /// databases are throwaway (temporary files, the test cluster's databases).
    private static let keepOpen = Mutex<[any HemicycleStore]>([])

    /// The application on a new store of `backend` (seeded with the demo by the application).
    static func make(
        _ backend: Backend, store given: (any HemicycleStore)? = nil, _ adjust: (inout AppConfiguration) -> Void = { _ in }
    ) async throws -> (HemicycleApplication, any HemicycleStore) {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let store: any HemicycleStore
        if let given { store = given } else { store = try await emptyStore(backend) }
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
