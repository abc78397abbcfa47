import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import Hummingbird
import HummingbirdTesting
import Testing

/// The server's real answers have the keys, in the order, of the documented examples in `Protocol/examples/http/`.
@Suite struct HearingJSONShapeTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/examples/http")

    func example(_ name: String) throws -> JSONValue {
        try JSONValue.parse(Array(try Data(contentsOf: Self.examples.appendingPathComponent("\(name).json"))))
    }

    /// Objects whose keys are data, not names (counts by action, field errors, vote maps).
    static let maps: Set<String> = ["counts.by_action", "counts.by_reason", "error.fields", "votes"]

    /// Key paths of objects, in order, descending into the first element of arrays (`a`, `a.b`, `list[].c`).
    func shape(_ value: JSONValue, _ prefix: String = "") -> [String] {
        if Self.maps.contains(String(prefix.dropLast())) { return [] }
        switch value {
        case .object(let pairs):
            return pairs.flatMap { key, child in [prefix + key] + shape(child, prefix + key + ".") }
        case .array(let items):
            return items.first.map { shape($0, String(prefix.dropLast()) + "[].") } ?? []
        default:
            return []
        }
    }

    /// Compares the shapes where both sides have data (an empty list or a null on one side says nothing below it).
    func expectSameShape(_ actual: JSONValue?, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = try #require(actual, "no answer for \(name)", sourceLocation: sourceLocation)
        let documented = shape(try example(name)), real = shape(actual)
        let common = Set(documented).intersection(real)
        let parents = { (path: String) in path.split(separator: ".").dropLast().joined(separator: ".") }
        let missing = documented.filter { !common.contains($0) && (parents($0).isEmpty || common.contains(parents($0)) || real.contains(parents($0))) }
        let extra = real.filter { !common.contains($0) && (parents($0).isEmpty || common.contains(parents($0)) || documented.contains(parents($0))) }
        #expect(missing.isEmpty && extra.isEmpty, "\(name): missing \(missing), undocumented \(extra)", sourceLocation: sourceLocation)
        #expect(documented.filter(common.contains) == real.filter(common.contains), "\(name): key order", sourceLocation: sourceLocation)
    }

    @Test func answersMatchTheDocumentedExamples() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let asker = try await Browser.participant(client), moderator = Browser(), chair = Browser(), voter = Browser()
            var response = try await asker.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Shape?","name":"Ana","region":"Wales"}"#)
            let id = try #require(response.json?["id"]?.intValue)
            try expectSameShape(response.json?["question"], "question-participant")
            response = try await moderator.logIn(client, "mod1@example.org")
            try expectSameShape(response.json, "session")
            response = try await moderator.send(client, .post, "/api/v1/questions/\(id)/claim", json: "{}")
            try expectSameShape(response.json, "claim")
            response = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"edit","text":"Shape, edited?"}"#)
            try expectSameShape(response.json?["question"], "question-staff")
            response = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#)
            response = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#)
            try expectSameShape(response.json, "error-question-state-conflict")
            response = try await voter.send(client, .get, "/api/v1/sittings/1/questions")
            try expectSameShape(response.json?["questions"]?.arrayValue?.first, "question")
            response = try await moderator.send(client, .post, "/api/v1/sittings/1/notes", json: #"{"text":"Note","question":\#(id)}"#)
            try expectSameShape(response.json, "note")
            try await chair.logIn(client, "chair1@example.org")
            _ = try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"live"}"#)
            _ = try await chair.send(client, .post, "/api/v1/sittings/1/on-screen", json: #"{"question":\#(id)}"#)
            _ = try await chair.send(client, .post, "/api/v1/questions/\(id)/answered", json: "{}")
            response = try await voter.send(client, .get, "/api/v1/sittings/1")
            try expectSameShape(response.json, "sitting")
            response = try await voter.send(client, .get, "/sittings/1/record.json")
            try expectSameShape(response.json, "record")
            response = try await voter.send(client, .get, "/sittings/1/moderation-log.json")
            try expectSameShape(response.json, "moderation-log")
            response = try await voter.send(client, .get, "/api/v1/dashboard")
            try expectSameShape(response.json, "dashboard")
            response = try await asker.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":""}"#)
            try expectSameShape(response.json, "error-invalid-input")
            let other = Browser()
            try await other.logIn(client, "mod1b@example.org")
            let second = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Claimed?"}"#)
            let secondID = try #require(second.json?["id"]?.intValue)
            _ = try await moderator.send(client, .post, "/api/v1/questions/\(secondID)/claim", json: "{}")
            response = try await other.send(client, .post, "/api/v1/questions/\(secondID)/moderation", json: #"{"action":"approve"}"#)
            try expectSameShape(response.json, "error-claimed-by-other")
        }
    }
}
