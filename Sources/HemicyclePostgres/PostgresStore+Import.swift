public import HemicycleStorage

extension PostgresStore {
    /// Every row of `table` (one of `TableRows.tables`), ordered by its first column.
    public func tableRows(_ table: String) async throws -> TableRows {
        guard TableRows.tables.contains(table) else { throw StoreError(.notFound, "No table \(table) in the schema.") }
        let columns = try await read(
            "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            [.text(table)]
        ).compactMap { $0.string("c") }
        // Table and column names are the schema's own (checked above and read from the catalogue), never input.
        let rows = try await read("SELECT \(columns.map { "\($0)::text AS \($0)" }.joined(separator: ", ")) FROM \(table) ORDER BY 1")
        let types = try await read(
            "SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?", [.text(table)])
        let integer = Set(types.filter { ($0.string("t") ?? "").contains("int") }.compactMap { $0.string("c") })
        return TableRows(table: table, columns: columns, rows: rows.map { row in
            columns.map { column in
                guard let text = row.string(column) else { return .null }
                if integer.contains(column), let value = Int64(text) { return .int(value) }
                return .text(text)
            }
        })
    }

    private static func bind(_ value: TableRows.Value) -> SQLValue {
        switch value {
        case .int(let v): .int(Int(v))
        case .text(let v): .text(v)
        case .null: .null
        }
    }

    /// Copies `tables` into this database, in one transaction, ids included, and moves the id sequences past them.
    /// Columns this schema has and the copy lacks stay at their defaults (the outbox's claims).
    /// - Throws: `StoreError(.conflict)`, copying nothing, when the database holds any row already (import into an
    ///   empty, migrated database only); `StoreError(.corrupt)` for a table or column this schema does not have.
    public func importTables(_ tables: [TableRows]) async throws -> [String: Int] {
        try await inTransaction { db in
            for table in TableRows.tables {
                // The table name is one of the schema's own, never input.
                if try await db.query("SELECT CASE WHEN EXISTS (SELECT 1 FROM \(table)) THEN 1 ELSE 0 END AS e").first?.int("e") == 1 {
                    throw StoreError(.conflict, "The PostgreSQL database already holds data (table \(table)): import only into an empty database.")
                }
            }
            var copied: [String: Int] = [:]
            for table in TableRows.tables {
                guard let source = tables.first(where: { $0.table == table }) else { continue }
                let known = Set(try await db.query(
                    "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?", [.text(table)]
                ).compactMap { $0.string("c") })
                if let unknown = source.columns.first(where: { !known.contains($0) }) {
                    throw StoreError(.corrupt, "The table \(table) of the copy has a column \(unknown) this schema does not have.")
                }
                let perStatement = max(1, 20_000 / max(1, source.columns.count))
                let row = "(" + Array(repeating: "?", count: source.columns.count).joined(separator: ", ") + ")"
                for start in stride(from: 0, to: source.rows.count, by: perStatement) {
                    let slice = source.rows[start..<min(start + perStatement, source.rows.count)]
                    try await db.query(
                        "INSERT INTO \(table) (\(source.columns.joined(separator: ", "))) VALUES \(Array(repeating: row, count: slice.count).joined(separator: ", "))",
                        slice.flatMap { $0.map(Self.bind) }
                    )
                }
                copied[table] = source.rows.count
            }
            try await Self.advanceSequences(of: TableRows.tables, db)
            return copied
        }
    }
}
