/// The first step of both importers: bytes to Unicode scalars, strictly.
///
/// The bytes must be UTF-8 (a leading byte-order mark is dropped); line ends become `\n` (CRLF and lone CR alike);
/// control characters other than tab and line feed, and the non-characters U+FFFE and U+FFFF, are refused (XML 1.0
/// forbids them, and in a plain-text bill they are always a copy-and-paste accident). Errors carry the line.
public enum BillSourceText {
    /// The scalars of `bytes`, or the first problem with its line and column.
    public static func scalars(_ bytes: some Collection<UInt8>, limits: BillImportLimits) throws(BillImportError) -> [Unicode.Scalar] {
        guard bytes.count <= limits.maxBytes else {
            throw BillImportError(.tooLarge, line: 0, "The file is \(bytes.count) bytes; the limit is \(limits.maxBytes).")
        }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(bytes.count)
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var line = 1
        var column = 1
        var previousWasCR = false
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if result.isEmpty && line == 1 && column == 1 && scalar == "\u{FEFF}" { continue }
                if scalar == "\r" {
                    result.append("\n")
                    line += 1
                    column = 1
                    previousWasCR = true
                    continue
                }
                if scalar == "\n" {
                    if previousWasCR {
                        previousWasCR = false
                        continue
                    }
                    result.append("\n")
                    line += 1
                    column = 1
                    continue
                }
                previousWasCR = false
                if isForbidden(scalar) {
                    throw BillImportError(
                        .encoding, line: line, column: column,
                        "The character U+\(String(scalar.value, radix: 16, uppercase: true)) is not allowed.")
                }
                result.append(scalar)
                column += 1
            case .emptyInput:
                break loop
            case .error:
                throw BillImportError(.encoding, line: line, column: column, "The file is not valid UTF-8 here.")
            }
        }
        return result
    }

    /// Control characters (but tab and line feed), and U+FFFE / U+FFFF.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 0x9 || value == 0xA { return false }
        return value < 0x20 || (value >= 0x7F && value <= 0x9F) || value == 0xFFFE || value == 0xFFFF
    }
}
