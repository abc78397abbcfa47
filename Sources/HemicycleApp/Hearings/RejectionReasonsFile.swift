import Foundation
public import HemicycleCore

/// A parliament's own list of rejection reasons, from a JSON file given to `hemicycle serve --rejection-reasons`:
/// `[{"code": "off_topic", "text": {"en": "Not about …", "fr": "Hors du sujet …"}}, …]`.
public enum RejectionReasonsFile {
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public static func load(path: String) throws -> [RejectionReason] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Invalid(description: "Cannot read \(path).") }
        guard let value = try? JSONValue.parse(Array(data)), let items = value.arrayValue, !items.isEmpty else {
            throw Invalid(description: "\(path) must hold a non-empty JSON array of {\"code\", \"text\": {language: text}}.")
        }
        var reasons: [RejectionReason] = []
        for (index, item) in items.enumerated() {
            guard let code = item["code"]?.stringValue, !code.isEmpty, code.count <= 40,
                code.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
            else { throw Invalid(description: "Reason \(index + 1) in \(path): `code` must be 1-40 characters of a-z, 0-9 and _.") }
            guard let texts = item["text"]?.objectValue, !texts.isEmpty else {
                throw Invalid(description: "Reason \(code) in \(path): `text` must be an object of language code to text.")
            }
            var text: [String: String] = [:]
            for (language, value) in texts {
                guard let string = value.stringValue, !string.isEmpty else { throw Invalid(description: "Reason \(code): the \(language) text is empty.") }
                text[language] = string
            }
            guard !reasons.contains(where: { $0.code == code }) else { throw Invalid(description: "Reason \(code) appears twice in \(path).") }
            reasons.append(RejectionReason(code: code, text: text))
        }
        return reasons
    }
}
