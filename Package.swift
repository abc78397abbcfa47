// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "hemicycle",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hemicycle", targets: ["hemicycle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Tests only: property-based checks of the core's state machines (random action sequences, shrunk on failure).
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // MARK: - Core
        .target(
            /** Pure domain types, state machines and wire messages: no NIO, no database, no HTTP. */
            name: "HemicycleCore",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Hub
        .target(
            /** Topics, subscriptions, fan-out per event loop, conflation, resume, presence. No HTTP, no database. */
            name: "HemicycleHub",
            dependencies: [
                "HemicycleCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Storage
        .target(
            /** The store protocol, its in-memory implementation and the signature group committer. */
            name: "HemicycleStorage",
            dependencies: [
                "HemicycleCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            /** The embedded default store: SQLite in WAL mode through sqlite-nio, with versioned migrations. */
            name: "HemicycleSQLite",
            dependencies: [
                "HemicycleCore",
                "HemicycleStorage",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        .target(
            /** The shared store of several nodes: PostgreSQL through postgres-nio's pool, with versioned migrations. */
            name: "HemicyclePostgres",
            dependencies: [
                "HemicycleCore",
                "HemicycleStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Test support
        .target(
            /** Test support, like HummingbirdTesting: the store conformance suite (functions that take a store
                factory, run by each backend's tests) and `ManualClock`. */
            name: "HemicycleTesting",
            dependencies: [
                "HemicycleCore",
                "HemicycleStorage",
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            /** Test support: a throwaway PostgreSQL cluster (initdb, pg_ctl) per test process, in a temporary folder. */
            name: "HemicyclePostgresTesting",
            dependencies: [
                "HemicyclePostgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: - App
        .systemLibrary(
            /** The system zlib (zlib1g-dev): gzip of responses and static files. */
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            /** Hummingbird glue: HTTP routes, pages, the /live WebSocket endpoint, static files, metrics. */
            name: "HemicycleApp",
            dependencies: [
                "HemicycleCore",
                "HemicycleHub",
                "HemicycleStorage",
                "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Executable
        .executableTarget(
            /** The thin `hemicycle` command: parses arguments, picks the store, runs the app. */
            name: "hemicycle",
            dependencies: [
                "HemicycleApp",
                "HemicycleCore",
                "HemicycleHub",
                "HemicycleSQLite",
                "HemicyclePostgres",
                "HemicycleStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        .testTarget(
            name: "HemicycleCoreTests",
            dependencies: ["HemicycleCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HemicycleHubTests",
            dependencies: ["HemicycleHub", "HemicycleCore", .product(name: "NIOEmbedded", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HemicycleStorageTests",
            dependencies: ["HemicycleStorage", "HemicycleSQLite", "HemicyclePostgres", "HemicyclePostgresTesting", "HemicycleCore", "HemicycleTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HemicycleAppTests",
            dependencies: [
                "HemicycleApp", "HemicycleStorage", "HemicycleSQLite", "HemicyclePostgres", "HemicyclePostgresTesting", "HemicycleCore", "HemicycleHub",
                "HemicycleTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
