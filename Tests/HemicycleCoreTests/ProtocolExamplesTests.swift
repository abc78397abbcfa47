import Foundation
import HemicycleCore
import Testing

/// Every example in Protocol/examples decodes with the Swift types and re-encodes to the same JSON.
@Suite struct ProtocolExamplesTests {
    static let examples: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/examples")

    static func files(_ side: String) -> [URL] {
        let dir = examples.appendingPathComponent(side)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { dir.appendingPathComponent($0) }
    }

    static func json(_ url: URL) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
    }

    @Test func thereAreExamplesOnBothSides() {
        #expect(Self.files("client").count >= 4)
        #expect(Self.files("server").count >= 10)
    }

    @Test(arguments: files("client"))
    func clientExampleRoundTrips(_ url: URL) throws {
        let value = try Self.json(url)
        let message = try ClientMessage.decode(value).get()
        #expect(message.json == value, "\(url.lastPathComponent) re-encodes differently")
        let reparsed = try ClientMessage.decode(JSONWriter.bytes(message.json)).get()
        #expect(reparsed == message)
    }

    @Test(arguments: files("server"))
    func serverExampleRoundTrips(_ url: URL) throws {
        let value = try Self.json(url)
        let message = try ServerMessage.decode(value)
        #expect(message.json == value, "\(url.lastPathComponent) re-encodes differently")
        // Key order on the wire: `type` first, as in the examples.
        #expect(message.json.objectValue?.first?.0 == "type")
    }
}
