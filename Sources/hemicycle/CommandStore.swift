import Foundation
import HemicycleSQLite
import Logging

/// The database of the command-line tools: `hemicycle.sqlite` in `dataDir` (created if needed), migrated, with only
/// warnings logged.
enum CommandStore {
    static func open(dataDir: String) async throws -> SQLiteStore {
        var logger = Logger(label: "hemicycle")
        logger.logLevel = .warning
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let store = try await SQLiteStore.open(path: (dataDir as NSString).appendingPathComponent("hemicycle.sqlite"), logger: logger)
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }
}
