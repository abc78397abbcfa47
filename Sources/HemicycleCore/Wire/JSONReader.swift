/// A strict RFC 8259 JSON reader into `JSONValue`, for the hot messages (the /live client messages and the sign
/// request body) and everything else `JSONValue.parse` reads.
///
/// It accepts exactly what Foundation's `JSONDecoder` accepted through `JSONValue`'s `Decodable` conformance (the
/// parser this replaced, kept as the oracle of a differential test): one value, optionally after a UTF-8 byte order
/// mark and surrounded by JSON whitespace; a comma before a closing `]` or `}`; objects whose keys come out sorted (a
/// repeated key keeps its first value); numbers whose value is a
/// whole number that fits `Int64` as `.int` (`1.0` and `1e2` too), every other finite number as `.double`; strings with the JSON escapes, surrogate pairs joined, valid
/// UTF-8 only; at most `maxDepth` nested arrays and objects. Everything else throws `JSONReader.Failure` and changes
/// nothing.
///
/// Why by hand: Foundation's `JSONDecoder` goes through `Decodable`, which for an untyped tree means one failed decode
/// attempt (and a thrown error) per type tried per value, plus its generic containers: 6% of the connect path and
/// about 10% of the sign path in the issue 13 profiles. No package mirrored here parses JSON into an ordered tree
/// without Foundation (swift-extras-json is not mirrored, Hummingbird and NIO have no JSON reader of their own), and
/// the grammar is small enough to check exhaustively against the oracle.
public struct JSONReader {
    /// Why a text is not JSON, with the byte offset where reading stopped.
    public struct Failure: Error, Equatable, Sendable {
        public let reason: String
        public let offset: Int
    }

    /// The deepest nesting of arrays and objects accepted (Foundation's limit was the same order; the point is a
    /// bounded stack for any input).
    public static let maxDepth = 512

    /// How an object's keys come out of the reader.
    public enum KeyOrder: Sendable {
        /// Sorted (the default: what clients send needs no order, and sorted is deterministic).
        case sorted
        /// As written: for the server's own JSON read back (events kept in PostgreSQL's shared log), so that a frame
        /// replayed from the log has the very bytes of the frame first sent (clients and tools that scan frames see
        /// one encoding, whichever node sent it). A repeated key still keeps its first value.
        case asWritten
    }

    /// Parses UTF-8 JSON text.
    public static func parse(_ bytes: some Collection<UInt8>, keys: KeyOrder = .sorted) throws(Failure) -> JSONValue {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in Self.read(buffer, keys) }) {
            return try result.get()
        }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { Self.read($0, keys) }.get()
    }

    private static func read(_ buffer: UnsafeBufferPointer<UInt8>, _ keys: KeyOrder) -> Result<JSONValue, Failure> {
        var reader = JSONReader(bytes: buffer, keys: keys)
        do throws(Failure) {
            // A UTF-8 byte order mark before the text is skipped, as Foundation did.
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { reader.index = 3 }
            reader.skipWhitespace()
            let value = try reader.readValue(depth: 0)
            reader.skipWhitespace()
            guard reader.index == buffer.count else { throw reader.failure("unexpected text after the value") }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let keys: KeyOrder
    private var index = 0

    private init(bytes: UnsafeBufferPointer<UInt8>, keys: KeyOrder) {
        self.bytes = bytes
        self.keys = keys
    }

    private func failure(_ reason: String) -> Failure { Failure(reason: reason, offset: index) }

    private var atEnd: Bool { index >= bytes.count }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func readValue(depth: Int) throws(Failure) -> JSONValue {
        guard !atEnd else { throw failure("unexpected end of text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func readLiteral(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure("unexpected end of text") }
        let start = word.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw failure("invalid literal")
        }
        index += count
    }

    private mutating func readObject(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maxDepth else { throw failure("too deeply nested") }
        index += 1  // {
        var pairs: [(String, JSONValue)] = []
        skipWhitespace()
        if !atEnd, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(pairs)
        }
        while true {
            guard !atEnd else { throw failure("unexpected end of text") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw failure("an object key must be a string") }
            let key = try readString()
            skipWhitespace()
            guard !atEnd, bytes[index] == UInt8(ascii: ":") else { throw failure("expected `:` after an object key") }
            index += 1
            skipWhitespace()
            let value = try readValue(depth: depth)
            pairs.append((key, value))
            skipWhitespace()
            guard !atEnd else { throw failure("unexpected end of text") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                // Foundation's reader took a comma before the closing brace, so clients may have sent one.
                if !atEnd, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(keys == .sorted ? Self.sortedUnique(pairs) : Self.firstOfEach(pairs))
                }
            case UInt8(ascii: "}"):
                index += 1
                return .object(keys == .sorted ? Self.sortedUnique(pairs) : Self.firstOfEach(pairs))
            default:
                throw failure("expected `,` or `}` in an object")
            }
        }
    }

    /// Keys sorted (inbound order is not needed; sorted is deterministic), a repeated key keeping its first value (as
    /// Foundation did).
    private static func sortedUnique(_ pairs: [(String, JSONValue)]) -> [(String, JSONValue)] {
        if pairs.count < 2 { return pairs }
        // Stable by position, so the first of equal keys comes first in its run.
        let sorted = pairs.enumerated().sorted { a, b in
            a.element.0 != b.element.0 ? a.element.0 < b.element.0 : a.offset < b.offset
        }
        var result: [(String, JSONValue)] = []
        result.reserveCapacity(sorted.count)
        for (_, pair) in sorted where result.last?.0 != pair.0 {
            result.append(pair)
        }
        return result
    }

    /// Keys as written, a repeated key keeping its first value.
    private static func firstOfEach(_ pairs: [(String, JSONValue)]) -> [(String, JSONValue)] {
        if pairs.count < 2 { return pairs }
        var seen: Set<String> = []
        seen.reserveCapacity(pairs.count)
        return pairs.filter { seen.insert($0.0).inserted }
    }

    private mutating func readArray(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maxDepth else { throw failure("too deeply nested") }
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if !atEnd, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            items.append(try readValue(depth: depth))
            skipWhitespace()
            guard !atEnd else { throw failure("unexpected end of text") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                // As in objects: Foundation's reader took a comma before the closing bracket.
                if !atEnd, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(items)
                }
            case UInt8(ascii: "]"):
                index += 1
                return .array(items)
            default:
                throw failure("expected `,` or `]` in an array")
            }
        }
    }

    /// Reads a string starting at its opening quote. Text without escapes is validated and copied once.
    private mutating func readString() throws(Failure) -> String {
        index += 1  // "
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try Self.validated(UnsafeBufferPointer(rebasing: bytes[start..<index]), at: start)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            guard byte >= 0x20 else { throw failure("unescaped control character in a string") }
            index += 1
        }
        throw failure("unterminated string")
    }

    private static func validated(_ slice: UnsafeBufferPointer<UInt8>, at offset: Int) throws(Failure) -> String {
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw Failure(reason: "invalid UTF-8 in a string", offset: offset)
        }
        return text
    }

    /// The slow path: the string has escapes. Unescaped runs are validated as UTF-8 as they are appended.
    private mutating func readEscapedString(from start: Int) throws(Failure) -> String {
        var scalars: [UInt8] = []
        scalars.reserveCapacity(index - start + 16)
        scalars.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = scalars.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) else {
                    throw Failure(reason: "invalid UTF-8 in a string", offset: start)
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard !atEnd else { throw failure("unterminated string") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "/"): scalars.append(0x2F)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try readUnicodeEscape()
                    UTF8.encode(scalar) { scalars.append($0) }
                default:
                    throw failure("invalid escape in a string")
                }
            default:
                guard byte >= 0x20 else { throw failure("unescaped control character in a string") }
                scalars.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    /// Reads the four hex digits after `\u` (and a second escape for a surrogate pair). A lone surrogate is an error.
    private mutating func readUnicodeEscape() throws(Failure) -> Unicode.Scalar {
        let first = try readHex4()
        switch first {
        case 0xD800...0xDBFF:
            guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw failure("a high surrogate escape must be followed by a low one") }
            index += 2
            let second = try readHex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw failure("a high surrogate escape must be followed by a low one") }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw failure("invalid unicode escape") }
            return scalar
        case 0xDC00...0xDFFF:
            throw failure("a low surrogate escape without a high one")
        default:
            guard let scalar = Unicode.Scalar(first) else { throw failure("invalid unicode escape") }
            return scalar
        }
    }

    private mutating func readHex4() throws(Failure) -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("unterminated unicode escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid unicode escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`: an `Int64` when its value is a whole number that
    /// fits, else a finite `Double`.
    private mutating func readNumber() throws(Failure) -> JSONValue {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard !atEnd, Self.isDigit(bytes[index]) else { throw failure("invalid number") }
        // Accumulate the integer part as a negative magnitude, which reaches Int64.min without overflow.
        var magnitude: Int64 = 0
        var fits = true
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if !atEnd, Self.isDigit(bytes[index]) { throw failure("a number must not have leading zeros") }
        } else {
            while !atEnd, Self.isDigit(bytes[index]) {
                let digit = Int64(bytes[index] - UInt8(ascii: "0"))
                if fits {
                    let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.subtractingReportingOverflow(digit)
                    if o1 || o2 { fits = false } else { magnitude = next }
                }
                index += 1
            }
        }
        var integral = true
        if !atEnd, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard !atEnd, Self.isDigit(bytes[index]) else { throw failure("invalid number") }
            while !atEnd, Self.isDigit(bytes[index]) { index += 1 }
        }
        if !atEnd, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if !atEnd, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard !atEnd, Self.isDigit(bytes[index]) else { throw failure("invalid number") }
            while !atEnd, Self.isDigit(bytes[index]) { index += 1 }
        }
        if integral, fits {
            if negative { return .int(magnitude) }
            if magnitude != .min { return .int(-magnitude) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            index = start
            throw failure("number out of range")
        }
        // As Foundation decoded `Int64` first: a fraction or exponent whose value is a whole number that fits
        // (`1.0`, `1e2`) is an integer; an integer written out that does not fit is a `Double`.
        if !integral, let exact = Int64(exactly: double) { return .int(exact) }
        return .double(double)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}
