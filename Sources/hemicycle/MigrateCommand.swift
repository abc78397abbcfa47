import ArgumentParser
import Foundation
import HemicycleStorage
import Logging

/// `hemicycle migrate [--database URL]`: applies the schema migrations not applied yet, and nothing else. `serve`
/// applies them too; this lets an operator do it first (before starting several nodes, say). Refuses a database whose
/// schema is newer than this version knows, changing nothing.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the database's pending schema migrations, then exit."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var logger = Logger(label: "hemicycle")
        logger.logLevel = .info
        let store = try await CommandStore.open(database, logger: logger)
        do {
            try await store.migrate()
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
        FileHandle.standardOutput.write(Data("The database is at the latest schema version.\n".utf8))
    }
}
