import ArgumentParser
import Foundation
import HemicyclePostgres
import HemicycleSQLite
import HemicycleStorage
import Logging

/// `hemicycle import --from sqlite:PATH --database postgres://…`: moves a parliament from its SQLite file into an
/// empty PostgreSQL database, every table and row with its ids (secrets, sessions and the outbox included), in one
/// transaction; the id sequences continue after the largest id. Stop the server first (the file must not change while
/// it is read). Refuses a database that holds any row, changing nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Copy a parliament from its SQLite file into an empty PostgreSQL database (--database postgres://…)."
    )

    @Option(help: ArgumentHelp("The SQLite database to copy (sqlite:PATH, or a path). Stop the server that uses it first.", valueName: "sqlite:PATH"))
    var from: String

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var logger = Logger(label: "hemicycle")
        logger.logLevel = .warning
        let path = from.hasPrefix("sqlite:") ? String(from.dropFirst("sqlite:".count)) : from
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("--from: no SQLite database at \(path).") }
        guard case .postgres(let url) = try CommandStore.Location(database.databaseURL, dataDir: database.folder) else {
            throw ValidationError("--database must name the PostgreSQL database to import into (postgres://…).")
        }
        let source = try await SQLiteStore.open(path: path, logger: logger)
        let tables: [TableRows]
        do {
            // The copy is of the newest schema: an older file is brought up to date first, as `serve` would.
            try await source.migrate()
            var read: [TableRows] = []
            for table in TableRows.tables { read.append(try await source.tableRows(table)) }
            tables = read
            try await source.close()
        } catch {
            try? await source.close()
            throw error
        }
        let target = try await PostgresStore.open(url: url, poolSize: database.poolSize, logger: logger)
        do {
            try await target.migrate()
            let copied = try await target.importTables(tables)
            try await target.close()
            let summary = TableRows.tables.map { "\($0) \(copied[$0] ?? 0)" }.joined(separator: ", ")
            FileHandle.standardOutput.write(Data("Imported into \(url): \(summary).\n".utf8))
        } catch {
            try? await target.close()
            throw error
        }
    }
}
