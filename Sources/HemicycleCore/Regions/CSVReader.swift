/// Reads CSV as RFC 4180 writes it (quoted fields, doubled quotes, CRLF or LF line ends) into rows of fields.
///
/// Written by hand: none of the packages this project may use reads CSV, and the regions import needs only this.
public enum CSVReader {
    /// A row and its 1-based line number in the text (where the row starts).
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    /// The rows of `text`, skipping empty lines; a byte-order mark at the start is ignored.
    /// Throws `RegionImportError` for an unterminated quote.
    public static func rows(_ text: String, file: String) throws(RegionImportError) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var fieldStarted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        if pending == "\u{FEFF}" { pending = iterator.next() }
        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldStarted) { rows.append(Row(line: rowStart, fields: fields)) }
            fields = []
            field = ""
            fieldStarted = false
        }
        while let scalar = pending {
            pending = iterator.next()
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty:
                inQuotes = true
                fieldStarted = true
            case ",":
                fields.append(field)
                field = ""
                fieldStarted = true
            case "\r" where pending == "\n":
                continue
            case "\n", "\r":
                endRow()
                line += 1
                rowStart = line
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        if inQuotes { throw RegionImportError(file: file, line: rowStart, message: "a quoted field is not closed") }
        if fieldStarted || !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}
