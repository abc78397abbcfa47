import Foundation
/// CSV as RFC 4180 writes it: every field quoted, quotes doubled, CRLF line ends. A field starting with `=`, `+`,
/// `-` or `@` gets a leading apostrophe so that spreadsheets do not run it as a formula (citizens' text goes here).
enum CSV {
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
