import HemicycleCore
import PostgresNIO

/// A value bound to a statement's placeholder. Statements are written with `?` placeholders (as on SQLite) and
/// numbered `$1, $2, …` by `SQLStatement`; values are always sent as bound parameters, never spliced into the text.
enum SQLValue: Sendable {
    case int(Int)
    case text(String)
    case ints([Int])
    case texts([String])
    case null

    static func ms(_ time: Timestamp?) -> SQLValue {
        time.map { .int(Int($0.millisecondsSince1970)) } ?? .null
    }

    static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    static func int(_ value: Int?) -> SQLValue { value.map { .int($0) } ?? .null }
    static func id(_ value: Int64) -> SQLValue { .int(Int(value)) }
}

/// SQL text with `?` placeholders and its values, as a `PostgresQuery`.
enum SQLStatement {
    /// Numbers each `?` outside quotes as `$n` and binds `values` in order.
    static func query(_ sql: String, _ values: [SQLValue]) -> PostgresQuery {
        var text = ""
        text.reserveCapacity(sql.utf8.count + values.count * 2)
        var n = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                n += 1
                text += "$\(n)"
            } else {
                text.append(character)
            }
        }
        precondition(n == values.count, "\(n) placeholders for \(values.count) values in: \(sql)")
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .int(let v): binds.append(v)
            case .text(let v): binds.append(v)
            case .ints(let v): binds.append(v)
            case .texts(let v): binds.append(v)
            case .null: binds.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: binds)
    }
}

/// One result row, read by column name; a missing or NULL column reads as nil.
struct SQLRow: Sendable {
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        cells = row.makeRandomAccess()
    }

    func int(_ column: String) -> Int? {
        guard cells.contains(column) else { return nil }
        return (try? cells[column].decode(Int?.self)) ?? nil
    }

    func int64(_ column: String) -> Int64? { int(column).map(Int64.init) }

    func string(_ column: String) -> String? {
        guard cells.contains(column) else { return nil }
        return (try? cells[column].decode(String?.self)) ?? nil
    }

    /// A text array (`array_agg`, say); a missing or NULL column reads as empty.
    func strings(_ column: String) -> [String] {
        guard cells.contains(column) else { return [] }
        return ((try? cells[column].decode([String]?.self)) ?? nil) ?? []
    }

    /// An integer array; a missing or NULL column reads as empty.
    func ints(_ column: String) -> [Int] {
        guard cells.contains(column) else { return [] }
        return ((try? cells[column].decode([Int]?.self)) ?? nil) ?? []
    }

    func time(_ column: String) -> Timestamp? {
        int(column).map { Timestamp(millisecondsSince1970: Int64($0)) }
    }
}
