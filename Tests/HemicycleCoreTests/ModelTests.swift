@testable import HemicycleCore
import Testing

@Suite struct SignatureValidationTests {
    @Test func normalisesAValidSignature() throws {
        let valid = try SignatureRequest(name: "  Ada Lovelace ", email: " Ada@Example.ORG ", postcode: "sw1a 1aa", country: "gb").validated().get()
        #expect(valid == ValidSignature(name: "Ada Lovelace", email: "ada@example.org", postcode: "SW1A 1AA", country: "GB"))
    }

    @Test(arguments: [
        (SignatureRequest(name: "", email: "a@b.org"), "name"),
        (SignatureRequest(name: "   ", email: "a@b.org"), "name"),
        (SignatureRequest(name: String(repeating: "x", count: 101), email: "a@b.org"), "name"),
        (SignatureRequest(name: "A\u{0007}B", email: "a@b.org"), "name"),
        (SignatureRequest(name: "A", email: ""), "email"),
        (SignatureRequest(name: "A", email: "no-at-sign"), "email"),
        (SignatureRequest(name: "A", email: "a@nodot"), "email"),
        (SignatureRequest(name: "A", email: "a b@c.org"), "email"),
        (SignatureRequest(name: "A", email: "a@b.org", postcode: "<script>"), "postcode"),
        (SignatureRequest(name: "A", email: "a@b.org", postcode: "X"), "postcode"),
        (SignatureRequest(name: "A", email: "a@b.org", country: "GBR"), "country"),
        (SignatureRequest(name: "A", email: "a@b.org", country: "1X"), "country"),
    ])
    func rejectsBadFields(_ request: SignatureRequest, _ field: String) {
        guard case .failure(let errors) = request.validated() else {
            Issue.record("expected \(field) to be refused")
            return
        }
        #expect(errors[field] != nil)
    }

    @Test func reportsEveryFieldAtOnce() {
        guard case .failure(let errors) = SignatureRequest(name: "", email: "x").validated() else {
            Issue.record("expected errors")
            return
        }
        #expect(errors.entries.map(\.field) == ["name", "email"])
    }
}

@Suite struct TimestampAndJSONTests {
    @Test func iso8601WithMilliseconds() {
        #expect(Timestamp(millisecondsSince1970: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSince1970: 1_553_158_800_123).iso8601 == "2019-03-21T09:00:00.123Z")
        #expect(Timestamp(millisecondsSince1970: 951_782_400_000).date == "2000-02-29")
    }

    @Test func writerEscapesAndKeepsOrder() {
        let value: JSONValue = .object([("b", "quote \" slash \\ nl \n ctl \u{01}"), ("a", [1, true, nil])])
        #expect(JSONWriter.string(value) == #"{"b":"quote \" slash \\ nl \n ctl \u0001","a":[1,true,null]}"#)
    }

    @Test func thresholdsCrossedOnce() {
        let now = Timestamp(millisecondsSince1970: 1000)
        let p = Petition(
            id: .init(1), action: "a", background: "", additionalDetails: "", state: .open, signatureCount: 9,
            creatorName: nil, createdAt: now, updatedAt: now, openedAt: now, closedAt: nil, closingAt: nil,
            thresholds: [Threshold(name: "response", signatures: 10), Threshold(name: "debate", signatures: 100, reachedAt: now)]
        )
        #expect(p.thresholdsCrossed(by: 9, at: now).isEmpty)
        #expect(p.thresholdsCrossed(by: 150, at: now).map(\.name) == ["response"], "debate was already reached")
    }
}
