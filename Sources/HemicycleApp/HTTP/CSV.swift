import Foundation

/// The one CSV writer of the server (`/petitions.csv`, a sitting's moderation log and record): RFC 4180 (every field
/// quoted, quotes doubled, CRLF line ends), with spreadsheet formulas neutralised as OWASP advises for CSV injection.
/// Citizens' text goes into these files (petition titles, questions, names), and a spreadsheet runs a cell that
/// starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`, `=cmd|…`), as it may one that starts with a tab or
/// a carriage return before one: such a field gets a leading `'`, which spreadsheets read as "this is text".
enum CSV {
    /// The characters that make a spreadsheet read a cell as a formula when they start it.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// One field: neutralised if it starts like a formula, then quoted.
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, formulaStarts.contains(Character(first)) { text = "'" + text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One line, with its CRLF.
    static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// A whole document: the header, then each row.
    static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map(row).joined()
    }
}
