public import HemicycleStorage
import SQLiteNIO

extension SQLiteStore {
    /// The schema version of the file (0 when it has none).
    public func schemaVersion() async throws -> Int {
        let present = try await reader.query("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").first?.column("n")?.integer ?? 0
        guard present > 0 else { return 0 }
        return try await reader.query("SELECT COALESCE(max(version), 0) AS v FROM schema_migrations").first?.column("v")?.integer ?? 0
    }

    /// The newest schema version this server knows.
    public static var latestSchemaVersion: Int { Migrations.all.last?.version ?? 0 }

    /// Every row of `table` (one of `TableRows.tables`), by its first column, in one read.
    public func tableRows(_ table: String) async throws -> TableRows {
        guard TableRows.tables.contains(table) else { throw StoreError(.notFound, "No table \(table) in the schema.") }
        // The table name is one of the schema's own (checked above), never input.
        // By the first column (the id or the key): some tables are WITHOUT ROWID.
        let rows = try await reader.query("SELECT * FROM \(table) ORDER BY 1")
        let columns: [String]
        if let first = rows.first {
            columns = first.columns.map(\.name)
        } else {
            columns = try await reader.query("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0.column("name")?.string }
        }
        return TableRows(table: table, columns: columns, rows: try rows.map { row in
            try row.columns.map { column in
                switch column.data {
                case .integer(let value): return .int(Int64(value))
                case .text(let value): return .text(value)
                case .null: return .null
                default: throw StoreError(.corrupt, "\(table).\(column.name) holds a value that is neither integer nor text")
                }
            }
        })
    }
}
