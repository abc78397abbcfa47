import Foundation
import HemicycleCore
import Testing

/// `JSONReader` replaced Foundation's `JSONDecoder` (through `JSONValue`'s `Decodable` conformance) as the parser of
/// every client message and request body. These tests pin its grammar, and check it against that oracle on hand-picked
/// edge cases and on thousands of seeded mutations of valid messages: both refuse, or both read the same value
/// (numbers compared with their kind, `.int` or `.double`).
@Suite struct JSONReaderTests {
    // MARK: - The grammar, pinned

    static let readCases: [(String, JSONValue)] = [
        (#"{"type":"ping"}"#, .object([("type", "ping")])),
        (" \t\r\n[1, -2, 0, -0, 1.5, 1e2, 1.0, -1.25e3, 1e19, true, false, null] ",
         .array([1, -2, 0, 0, .double(1.5), 100, 1, -1250, .double(1e19), true, false, nil])),
        (#"{"b":1,"a":{"c":[]}}"#, .object([("a", .object([("c", .array([]))])), ("b", 1)])),
        (#""\u00e9\ud83d\ude00\n\"\\\/""#, .string("é😀\n\"\\/")),
        ("9223372036854775807", .int(.max)),
        ("-9223372036854775808", .int(.min)),
        ("9223372036854775808", .double(9.223372036854775808e18)),
        (#"{"a":1,"a":2}"#, .object([("a", 1)])),
        (#"{"a":1,}"#, .object([("a", 1)])),
        ("[1, 2 ,]", .array([1, 2])),
        ("\u{FEFF}[]", .array([])),
        ("\"é\"", .string("é")),
    ]

    @Test(arguments: readCases)
    func reads(_ text: String, _ expected: JSONValue) throws {
        let value = try JSONReader.parse(Array(text.utf8))
        #expect(Self.same(value, expected), "\(text)")
    }

    @Test(arguments: [
        "", " ", "{", "}", "{,}", "{\"a\":1,,}", "[,]", "[1,,]", "{a:1}", "{'a':1}", "01", "-", "1.", ".5", "+1", "1e", "1e+", "0x10",
        "NaN", "Infinity", "1e400", "tru", "nul", "truex", "[1 2]", "{\"a\" 1}", "\"abc", "\"\\x\"", "\"\\u12\"",
        "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\tb\"", "\"\u{1}\"", "1 2", "{} {}", "[1]x", "// c\n1",
        "\u{FEFF}\u{FEFF}1",
    ])
    func refuses(_ text: String) {
        #expect(throws: JSONReader.Failure.self, "\(text.debugDescription)") { try JSONReader.parse(Array(text.utf8)) }
    }

    @Test func keysComeOutAsWrittenWhenAsked() throws {
        let text = #"{"id":1,"b":{"z":1,"a":2},"a":3,"id":9}"#
        guard case .object(let written) = try JSONReader.parse(Array(text.utf8), keys: .asWritten),
            case .object(let sorted) = try JSONReader.parse(Array(text.utf8))
        else {
            Issue.record("not an object")
            return
        }
        #expect(written.map(\.0) == ["id", "b", "a"])
        #expect(written.first?.1 == 1, "a repeated key keeps its first value, as when sorted")
        if case .object(let nested)? = written.first(where: { $0.0 == "b" })?.1 { #expect(nested.map(\.0) == ["z", "a"]) } else { Issue.record("b") }
        #expect(sorted.map(\.0) == ["a", "b", "id"])
        #expect(JSONValue.object(written) == JSONValue.object(sorted), "the same value, only the order differs")
    }

    @Test func refusesInvalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0x5C, 0x6E, 0xC0, 0xAF, 0x22]] {
            #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(bytes) }
        }
    }

    @Test func nestingIsBounded() throws {
        let ok = String(repeating: "[", count: JSONReader.maxDepth) + String(repeating: "]", count: JSONReader.maxDepth)
        _ = try JSONReader.parse(Array(ok.utf8))
        let deep = String(repeating: "[", count: JSONReader.maxDepth + 1) + String(repeating: "]", count: JSONReader.maxDepth + 1)
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array(deep.utf8)) }
        // Far deeper than any stack could recurse: refused at the limit, not a crash.
        let hostile = String(repeating: "[{\"a\":", count: 100_000)
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array(hostile.utf8)) }
    }

    @Test func readsNonContiguousCollections() throws {
        let text = #"{"type":"ping","ref":"r"}"#
        let value = try JSONReader.parse(text.utf8.lazy.map { $0 })
        #expect(value == .object([("ref", "r"), ("type", "ping")]))
    }

    // MARK: - Against the oracle (Foundation's JSONDecoder)

    static let seeds: [String] = [
        #"{"type":"subscribe","topics":["petition:1","sitting:2"],"ref":"r1","resume":{"petition:1":{"epoch":"e1","offset":41}}}"#,
        #"{"type":"unsubscribe","topics":["petition:1"]}"#,
        #"{"type":"ping","ref":"abc"}"#,
        #"{"name":"Ada Lovelace","email":"ada@example.org","postcode":"SW1A 1AA","country":null,"eligible":true}"#,
        #"[0,-0,1.0,1e2,1E-2,-1.25e+3,123456789012345678901234567890,0.1,5e-324,1.7976931348623157e308]"#,
        #"{"s":"\u00e9\ud83d\ude00\t\"\\\/\b\f\n\r","e":"","a":[[],{}],"n":null,"t":true,"f":false}"#,
        "\"é – ✓ 😀\"",
    ]

    @Test func agreesWithFoundationOnEdgeCases() {
        let cases = Self.seeds + [
            "1.0", "-1.0", "1e0", "1E+0", "100e-2", "-0.0", "9223372036854775807.0", "9223372036854775808", "-9223372036854775809",
            "1e19", "12.5e1", "0.5", "1e-400", "[1e308, 2e308]", "{\"a\":1,\"a\":2}", "{\"a\":{\"x\":1},\"a\":3}", "\"\\u0000\"",
            "\"\\uD834\\uDD1E\"", "[1,]", "[1,2,]", "{\"a\":1,}", "{,}", "{\"a\":1,,}", "[,]", "\u{FEFF}\u{FEFF}1", "\"\\ud834\"", "\"\\udd1e\\ud834\"", "\u{FEFF}{}", " {} ", "{}\n", "[]", "{\"\":\"\"}",
            "\"\u{7F}\"", "\"\\u00\"", "[-]", "[--1]", "[1.e1]", "[1e1.5]", "[00]", "[-01]", "[0e]", "[0e-]", "[0E5]",
            String(repeating: "[", count: 511) + String(repeating: "]", count: 511),
            String(repeating: "[", count: 512) + String(repeating: "]", count: 512),
            String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
        ]
        for text in cases { Self.expectAgreement(Array(text.utf8)) }
    }

    @Test func agreesWithFoundationOnMutations() {
        var random = SeededGenerator(seed: 0x4865_6D69_6379_636C)
        let alphabet = Array(#"{}[]",:\ -+.eE0123456789tfnulrsa/bu"#.utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xFF]
        for round in 0..<6_000 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = Int(random.next() % UInt64(bytes.count + 1))
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 3 {
                case 0: bytes.insert(byte, at: position)
                case 1: if position < bytes.count { bytes.remove(at: position) }
                default: if position < bytes.count { bytes[position] = byte }
                }
            }
            Self.expectAgreement(bytes)
        }
    }

    static func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let mine = try? JSONReader.parse(bytes)
        let oracle = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        let text = String(decoding: bytes, as: UTF8.self).debugDescription
        switch (mine, oracle) {
        case (nil, nil): break
        case (let a?, let b?): #expect(same(a, b), "\(text): \(a) vs Foundation's \(b)", sourceLocation: sourceLocation)
        case (let a?, nil): Issue.record("\(text): read \(a), Foundation refuses", sourceLocation: sourceLocation)
        case (nil, let b?): Issue.record("\(text): refused, Foundation reads \(b)", sourceLocation: sourceLocation)
        }
    }

    /// Equality that also tells `.int` from `.double` and keeps key order (both parsers sort keys).
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x == y && x.sign == y.sign
        case (.string(let x), .string(let y)): Array(x.unicodeScalars) == Array(y.unicodeScalars)
        case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && same($0.1, $1.1) }
        default: false
        }
    }
}
