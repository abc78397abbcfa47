import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// The petition open data has the keys, in the order, of the examples in `Protocol/examples/petitions/` (taken from
/// the UK petitions API's shape, `../shared/reference/uk-petitions-api.md`).
@Suite struct PetitionJSONShapeTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/examples/petitions")

    func example(_ name: String) throws -> String {
        try String(contentsOf: Self.examples.appendingPathComponent("\(name).json"), encoding: .utf8)
    }

    /// Every `"key":` of a JSON text, in order (key order matters to the UK API's consumers; Foundation's decoder
    /// would lose it).
    static func keys(_ text: String) -> [String] {
        text.matches(of: /"([a-z_]+)"\s*:/).map { String($0.1) }
    }

    @Test func theOpenDataMatchesTheDocumentedExamples() async throws {
        let store = try await HearingFixture.store()
        _ = try await store.importRegions(try SampleRegions.load())
        let (app, _) = try await TestApp.make(store: store)
        try await app.test(.router) { client in
            let moderator = Browser(), anyone = Browser()
            try await moderator.logIn(client, "pmod@example.org")
            _ = try await moderator.send(client, .put, "/api/v1/petitions/1/government-response",
                                         json: #"{"responded_on":"2026-12-01","summary":"S","details":"D"}"#)
            _ = try await moderator.send(client, .put, "/api/v1/petitions/1/debate",
                                         json: #"{"debated_on":"2026-12-10","video_url":"https://video.example/1","overview":"O"}"#)
            _ = try await anyone.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Ada","email":"ada@example.org","postcode":"sw1a 1aa"}"#)
            _ = try await anyone.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Bot","email":"bot@spam.test"}"#)
            let invalidated = try await moderator.send(client, .post, "/api/v1/signatures/invalidate", json: #"{"email_domain":"spam.test","reason":"Spam"}"#)
            #expect(invalidated.status == .created)
            for (path, name) in [("/petitions/1.json", "petition"), ("/petitions.json?count=1", "petitions-list"),
                                 ("/petitions/1/count.json", "petition-count"), ("/petitions/1/history.json", "petition-history"),
                                 ("/petitions/1/integrity.json", "petition-integrity")] {
                let real = try await anyone.send(client, .get, path).text
                #expect(Self.keys(real) == Self.keys(try example(name)), "\(path) has the keys of examples/petitions/\(name).json: \(real)")
            }
        }
    }
}
