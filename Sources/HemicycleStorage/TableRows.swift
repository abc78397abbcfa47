/// Every row of one table, as stored (`hemicycle import` copies a parliament between stores with it): column names
/// and values, in id order. Nothing else reads it: the application reads through the store protocols.
public struct TableRows: Sendable, Equatable {
    /// A stored value: the schema holds integers, text and NULL only.
    public enum Value: Sendable, Hashable {
        case int(Int64)
        case text(String)
        case null
    }

    public var table: String
    public var columns: [String]
    public var rows: [[Value]]

    public init(table: String, columns: [String], rows: [[Value]]) {
        self.table = table
        self.columns = columns
        self.rows = rows
    }

    /// The tables of the schema, parents before children (the order an import writes them in).
    public static let tables = [
        "petitions", "signatures", "sittings", "questions", "question_votes", "question_claims", "moderation_log", "backstage_notes", "staff", "staff_sittings",
        "staff_sessions", "audit_log", "secrets", "email_tokens", "outbox", "regions", "constituencies", "postcodes", "countries",
        "signature_tallies", "invalidations", "bills", "bill_versions", "bill_comments", "bill_comment_stances", "bill_moderation_log",
        "bill_markers", "bill_reports", "bill_staff",
    ]

    /// The rows as maps from column to value, sorted (to compare two stores' copies whatever their column order).
    public var normalised: [[String: Value]] {
        rows.map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }.sorted { "\($0.sorted { $0.key < $1.key })" < "\($1.sorted { $0.key < $1.key })" }
    }
}
