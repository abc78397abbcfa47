import Foundation
import HemicycleCore

/// Parses request bodies into `JSONValue`.
enum JSONValueParser {
    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
