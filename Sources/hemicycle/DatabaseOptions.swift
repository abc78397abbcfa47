import ArgumentParser
import Foundation

/// The options that choose the database, shared by `serve` and every other command: `--database` (a URL) and
/// `--database-pool`, with `--data-dir` for the default SQLite file.
struct DatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The database: sqlite:PATH (the default: sqlite: + --data-dir/hemicycle.sqlite) or postgres://user:password@host:port/database[?sslmode=disable|prefer|require|verify-full] (shared by several nodes). Also HEMICYCLE_DATABASE.",
        valueName: "url"))
    var database: String?

    @Option(help: "Most connections this node opens to PostgreSQL (its pool). Also HEMICYCLE_DATABASE_POOL.")
    var databasePool: Int?

    @Option(help: "Folder of the default SQLite database (hemicycle.sqlite). Also HEMICYCLE_DATA_DIR.")
    var dataDir: String?

    /// The URL given, by option or environment (nil: the default SQLite file).
    var databaseURL: String? {
        database ?? ProcessInfo.processInfo.environment["HEMICYCLE_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var folder: String { dataDir ?? ProcessInfo.processInfo.environment["HEMICYCLE_DATA_DIR"] ?? "./data" }

    var poolSize: Int { databasePool ?? Int(ProcessInfo.processInfo.environment["HEMICYCLE_DATABASE_POOL"] ?? "") ?? 10 }

    func validate() throws {
        if let databasePool, !(1...1000).contains(databasePool) { throw ValidationError("--database-pool must be between 1 and 1000.") }
        // A malformed URL is reported before the command reads any file or opens anything.
        _ = try CommandStore.Location(databaseURL, dataDir: folder)
    }
}
