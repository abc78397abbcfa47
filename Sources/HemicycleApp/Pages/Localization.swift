import Foundation
import HTTPTypes
import HemicycleCore
import Hummingbird

/// The page strings of each configured language, from `WebClient/i18n/{lang}.json` (one file per language, shared by
/// the templates and the JavaScript), the choice of language for a request (`LanguageChoice`: `?lang=`, then the
/// `hc_lang` cookie that `?lang=` sets, then `Accept-Language`, then the first configured language), the strings each
/// page ships to its scripts (`PageStrings`), and the parliament's time zone (`TimeText`).
struct Localization: Sendable {
    /// The cookie that remembers a language chosen with `?lang=` (`LanguageCookieMiddleware` writes it).
    static let cookie = "hc_lang"

    let languages: [String]
    let times: TimeText
    private let strings: [String: [String: String]]
    /// Language -> template -> the JSON of the strings that template's scripts use.
    private let json: [String: [String: String]]

    static let names = ["en": "English", "fr": "Français", "de": "Deutsch", "nl": "Nederlands", "es": "Español", "it": "Italiano"]

    /// Loads the files; a configured language without a file is an error at start, not a broken page later.
    /// - Parameter webRoot: the folder of `i18n/`, `templates/` and `js/`.
    init(webRoot: String, languages: [String], timeZone: String = "UTC") throws {
        guard let times = TimeText(identifier: timeZone) else {
            throw LocalizationError(message: "The time zone \(timeZone.prefix(60)) is not one this platform knows; use an IANA name like Europe/London.")
        }
        var strings: [String: [String: String]] = [:]
        for language in languages {
            let path = "\(webRoot)/i18n/\(language).json"
            guard let data = FileManager.default.contents(atPath: path),
                let value = try? JSONValue.parse(Array(data)), let object = value.objectValue
            else { throw LocalizationError(message: "The strings of language \(language) are missing or not a JSON object: \(path)") }
            strings[language] = Dictionary(object.compactMap { key, value in value.stringValue.map { (key, $0) } }, uniquingKeysWith: { a, _ in a })
        }
        let pages = PageStrings(webRoot: webRoot, allKeys: Set(strings.values.flatMap(\.keys)))
        var json: [String: [String: String]] = [:]
        for (language, table) in strings {
            for (page, keys) in pages.keys {
                let object = JSONValue.object(keys.sorted().compactMap { key in table[key].map { (key, JSONValue.string($0)) } })
                // Safe inside <script type="application/json">: no "</script>" can close it early.
                json[language, default: [:]][page] = JSONWriter.string(object).replacingOccurrences(of: "<", with: "\\u003c")
            }
        }
        self.languages = languages
        self.times = times
        self.strings = strings
        self.json = json
    }

    func choice(for request: Request) -> LanguageChoice {
        LanguageChoice(
            query: request.uri.queryParameters.get("lang").map { String($0) }, cookie: Cookies.parse(request.headers)[Self.cookie],
            acceptLanguage: request.headers[.acceptLanguage], available: languages)
    }

    func language(for request: Request) -> String { choice(for: request).language }

    func t(_ language: String) -> [String: String] { strings[language] ?? [:] }

    func text(_ key: String, _ language: String) -> String { strings[language]?[key] ?? strings["en"]?[key] ?? key }

    /// The strings of `language` as a lookup for `FieldMessage.localized` and `APIError.localized`: nil for a key that
    /// language lacks (the English text of the message then stands).
    func template(_ language: String) -> @Sendable (String) -> String? {
        let table = strings[language] ?? [:]
        return { table[$0] }
    }

    /// `key`'s text with its `{name}` placeholders filled.
    func text(_ key: String, _ language: String, _ values: [String: String]) -> String {
        values.reduce(text(key, language)) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    /// The plural category of `n` in `language` by CLDR's rules for the page languages: French takes `one` for 0 and 1,
    /// English, German, Dutch, Spanish and Italian for 1 alone. The scripts choose the same with `Intl.PluralRules`
    /// (`t.plural`), so a count the server drew and one a script redraws agree.
    static func pluralCategory(_ n: Int, _ language: String) -> String {
        (n == 1 || (language == "fr" && n == 0)) ? "one" : "other"
    }

    /// `base_one` or `base_other` (by `pluralCategory`) with its placeholders filled: "1 comment", "0 commentaire".
    func plural(_ base: String, _ n: Int, _ language: String, _ values: [String: String] = [:]) -> String {
        text("\(base)_\(Self.pluralCategory(n, language))", language, values)
    }

    /// The strings block of `page` (a template name) in `language`: nil when the page's scripts use none.
    func stringsJSON(page: String, language: String) -> String? { json[language]?[page] }

    /// The keys every localised page's template expects: `lang`, `t`, `strings_json` (only the strings `page`'s
    /// scripts use; none without `page`), `languages` (the switcher's links: this address with `lang=` set and its
    /// other query parameters kept), `time_zone` and `title`.
    func context(for request: Request, title: String, page: String? = nil) -> [String: Any] {
        let language = language(for: request)
        var context: [String: Any] = [
            "lang": language, "t": t(language), "title": title, "time_zone": times.identifier,
            "languages": switcher(request, current: language),
        ]
        if let page, let json = stringsJSON(page: page, language: language) { context["strings_json"] = json }
        return context
    }

    /// One link per language to the request's own path and query, with `lang` set to it. The path keeps one leading
    /// slash: `//other.example/x` (or `/\other.example`) would be a link to another site.
    func switcher(_ request: Request, current: String) -> [[String: Any]] {
        let kept = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("lang=") && !$0.isEmpty }
        let path = "/" + request.uri.path.drop { $0 == "/" || $0 == "\\" }
        return languages.map { code in
            let query = (kept + ["lang=\(code)"]).joined(separator: "&")
            return ["code": code, "name": Self.names[code] ?? code, "url": "\(path)?\(query)", "current": code == current] as [String: Any]
        }
    }
}

struct LocalizationError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
