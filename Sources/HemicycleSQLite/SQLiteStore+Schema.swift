import SQLiteNIO

extension SQLiteStore {
    /// The schema as SQLite reports it: each table, index and trigger, and each table's columns (name, type, not
    /// null, default, key) in name order, so that a column added by `ALTER TABLE` compares equal to one created with
    /// its table. Tests compare a database upgraded from each old version with a fresh one.
    func schemaDescription() async throws -> [String] {
        var lines: [String] = []
        let objects = try await writer.query(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY type, name")
        for object in objects {
            let type = object.column("type")?.string ?? "", name = object.column("name")?.string ?? ""
            lines.append("\(type) \(name) on \(object.column("tbl_name")?.string ?? "")")
            guard type == "table" else { continue }
            var columns: [String] = []
            for column in try await writer.query("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", [.text(name)]) {
                let fields = [column.column("name")?.string, column.column("type")?.string, column.column("notnull")?.integer.map(String.init),
                              column.column("dflt_value")?.string, column.column("pk")?.integer.map(String.init)]
                columns.append(fields.map { $0 ?? "-" }.joined(separator: " "))
            }
            lines += columns.sorted().map { "  \(name).\($0)" }
        }
        return lines
    }
}
