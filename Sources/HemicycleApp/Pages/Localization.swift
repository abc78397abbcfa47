import Foundation
import HTTPTypes
import HemicycleCore
import Hummingbird

/// The page strings of each configured language, from `WebClient/i18n/{lang}.json` (one file per language, shared by
/// the templates and the JavaScript), and the choice of language for a request: `?lang=`, then `Accept-Language`,
/// then the first configured language.
struct Localization: Sendable {
    let languages: [String]
    private let strings: [String: [String: String]]
    private let json: [String: String]

    static let names = ["en": "English", "fr": "Français", "de": "Deutsch", "nl": "Nederlands", "es": "Español", "it": "Italiano"]

    /// Loads the files; a configured language without a file is an error at start, not a broken page later.
    init(directory: String, languages: [String]) throws {
        var strings: [String: [String: String]] = [:]
        var json: [String: String] = [:]
        for language in languages {
            let path = "\(directory)/\(language).json"
            guard let data = FileManager.default.contents(atPath: path),
                let value = try? JSONValue.parse(Array(data)), let object = value.objectValue
            else { throw LocalizationError(message: "The strings of language \(language) are missing or not a JSON object: \(path)") }
            strings[language] = Dictionary(object.compactMap { key, value in value.stringValue.map { (key, $0) } }, uniquingKeysWith: { a, _ in a })
            // Safe inside <script type="application/json">: no "</script>" can close it early.
            json[language] = JSONWriter.string(value).replacingOccurrences(of: "<", with: "\\u003c")
        }
        self.languages = languages
        self.strings = strings
        self.json = json
    }

    func language(for request: Request) -> String {
        if let asked = request.uri.queryParameters.get("lang"), languages.contains(asked) { return asked }
        for part in (request.headers[.acceptLanguage] ?? "").split(separator: ",") {
            let code = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).prefix(2).lowercased() } ?? ""
            if languages.contains(code) { return code }
        }
        return languages.first ?? "en"
    }

    func t(_ language: String) -> [String: String] { strings[language] ?? [:] }

    func text(_ key: String, _ language: String) -> String { strings[language]?[key] ?? strings["en"]?[key] ?? key }

    /// The keys every new page's template expects: `lang`, `t`, `strings_json`, `languages`.
    func context(for request: Request, title: String) -> [String: Any] {
        let language = language(for: request)
        let path = request.uri.path
        return [
            "lang": language, "t": t(language), "strings_json": json[language] ?? "{}", "title": title,
            "languages": languages.map { ["code": $0, "name": Self.names[$0] ?? $0, "url": "\(path)?lang=\($0)", "current": $0 == language] as [String: Any] },
        ]
    }
}

struct LocalizationError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
