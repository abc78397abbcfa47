import ArgumentParser
import Foundation
import HemicyclePostgres
import HemicycleSQLite
import HemicycleStorage
import Logging

/// The one bootstrap that opens the database a URL names, for `serve` and every other command.
enum CommandStore {
    /// Where the data is, from `--database`.
    enum Location: Equatable, CustomStringConvertible {
        case sqlite(path: String)
        case postgres(PostgresURL)

        /// Parses a `--database` value; nil means the default SQLite file in `dataDir`.
        /// - Throws: `ValidationError` with what is wrong (the URL's password is never repeated).
        init(_ url: String?, dataDir: String) throws {
            guard let url, !url.isEmpty else {
                self = .sqlite(path: (dataDir as NSString).appendingPathComponent("hemicycle.sqlite"))
                return
            }
            if url.hasPrefix("sqlite:") {
                let path = String(url.dropFirst("sqlite:".count))
                self = .sqlite(path: path.isEmpty ? (dataDir as NSString).appendingPathComponent("hemicycle.sqlite") : path)
            } else if url.lowercased().hasPrefix("postgres://") || url.lowercased().hasPrefix("postgresql://") {
                do {
                    self = .postgres(try PostgresURL(parsing: url))
                } catch let invalid as PostgresURL.Invalid {
                    throw ValidationError("--database: \(invalid.description)")
                }
            } else {
                throw ValidationError("--database must be sqlite:PATH or postgres://user:password@host:port/database (got a value starting \(String(url.prefix(12)).debugDescription)).")
            }
        }

        var description: String {
            switch self {
            case .sqlite(let path): "sqlite:\(path)"
            case .postgres(let url): url.description
            }
        }
    }

    /// Opens the database `options` name (creating the SQLite file's folder), without migrating it.
    static func open(_ options: DatabaseOptions, logger: Logger) async throws -> any HemicycleStore {
        switch try Location(options.databaseURL, dataDir: options.folder) {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            return try await SQLiteStore.open(path: path, logger: logger)
        case .postgres(let url):
            return try await PostgresStore.open(url: url, poolSize: options.poolSize, logger: logger)
        }
    }

    /// The database of the command-line tools, migrated, with only warnings logged.
    static func open(_ options: DatabaseOptions) async throws -> any HemicycleStore {
        var logger = Logger(label: "hemicycle")
        logger.logLevel = .warning
        let store = try await open(options, logger: logger)
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }
}
