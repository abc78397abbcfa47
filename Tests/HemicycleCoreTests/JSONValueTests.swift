import HemicycleCore
import Testing

/// `JSONValue.parse` gives each JSON kind its own case, whatever order `init(from:)` tries them in.
@Suite struct JSONValueTests {
    func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func scalarsKeepTheirKind() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("42") == .int(42))
        #expect(try parse("-7") == .int(-7))
        #expect(try parse("9223372036854775807") == .int(.max))
        #expect(try parse("1.5") == .double(1.5))
        #expect(try parse("1e3").intValue == 1000)
        #expect(try parse(#""text""#) == .string("text"))
    }

    @Test func stringsThatLookLikeOtherKindsStayStrings() throws {
        for text in ["true", "null", "1", "1.5", "{}", "[]", ""] {
            let value = try parse("\"\(text)\"")
            #expect(value.stringValue == text, "\(text)")
        }
    }

    @Test func containersNestAndObjectsKeepEveryKey() throws {
        let value = try parse(#"{"b":[1,"a",null,true,{"c":2.5}],"a":{},"d":[]}"#)
        #expect(value == .object([
            ("a", .object([])),
            ("b", .array([.int(1), .string("a"), .null, .bool(true), .object([("c", .double(2.5))])])),
            ("d", .array([])),
        ]))
        #expect(value.objectValue?.map(\.0) == ["a", "b", "d"], "keys sorted")
    }

    @Test(arguments: ["", "{", "[1 2]", "{\"a\":}", "tru", "\"unterminated"])
    func malformedTextThrows(_ text: String) {
        #expect(throws: (any Error).self) { try parse(text) }
    }
}
