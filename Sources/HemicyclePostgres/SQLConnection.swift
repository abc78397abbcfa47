import HemicycleStorage
import Logging
import PostgresNIO

/// One leased connection inside a transaction (or the pool, for reads), running `?`-placeholder statements.
struct SQLConnection: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs `sql` with `values` bound and returns every row.
    @discardableResult
    func query(_ sql: String, _ values: [SQLValue] = []) async throws -> [SQLRow] {
        do {
            var rows: [SQLRow] = []
            for try await row in try await connection.query(SQLStatement.query(sql, values), logger: logger) { rows.append(SQLRow(row)) }
            return rows
        } catch {
            throw PostgresErrors.mapped(error)
        }
    }
}

/// How PostgreSQL's errors reach callers: a unique value taken is `StoreError(.conflict)`; the rest as they are.
enum PostgresErrors {
    static func mapped(_ error: any Error) -> any Error {
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            if state == "23505" { return StoreError(.conflict, "A unique value is taken (\(error.serverInfo?[.constraintName] ?? "a unique index")).") }
        }
        return error
    }

    /// The server's message, for a clear error (postgres-nio's description of an error hides it).
    static func message(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
