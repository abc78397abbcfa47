import Foundation

/// What people type in a "Country" field, resolved to the country's two-letter code: the code itself (`gb`, `GB`),
/// the country's name in any of the site's languages (`United Kingdom`, `Royaume-Uni`, what browser autofill puts
/// there), or a common other name (`UK`, `Great Britain`, `USA`, `Angleterre`). Case, accents, punctuation and
/// spacing do not matter (`etats-unis` is `États-Unis`); a name that two countries share resolves to neither.
///
/// Pure: the caller gives the table (the parliament's countries, with their names in each page language).
public struct CountryNames: Sendable {
    /// Folded name -> codes that bear it (more than one: ambiguous, resolves to none).
    private var byName: [String: Set<String>] = [:]
    /// The known codes, upper case.
    public let codes: Set<String>

    /// - Parameters:
    ///   - names: `(code, name)` pairs: every name of every country, in every language (a code may come many times).
    ///   - aliases: other names people use, `(name, code)`; an alias whose code is not in `names` is ignored.
    public init(names: [(code: String, name: String)], aliases: [(name: String, code: String)] = CountryNames.commonAliases) {
        codes = Set(names.map { $0.code.uppercased() })
        for (code, name) in names {
            let key = Self.key(name)
            if !key.isEmpty { byName[key, default: []].insert(code.uppercased()) }
        }
        // An alias never overrides a real name (`Georgia` the country stays GE whatever an alias says).
        for (name, code) in aliases where codes.contains(code) {
            let key = Self.key(name)
            if !key.isEmpty, byName[key] == nil { byName[key] = [code] }
        }
    }

    /// The code of what was typed, or nil when it names no known country (or more than one).
    public func code(for input: String) -> String? {
        let trimmed = input.trimmingWhitespace
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= 100 else { return nil }
        if trimmed.count == 2, trimmed.allSatisfy({ $0.isASCII && $0.isLetter }), codes.contains(trimmed.uppercased()) {
            return trimmed.uppercased()
        }
        guard let found = byName[Self.key(trimmed)], found.count == 1 else { return nil }
        return found.first
    }

    /// The folded form names are compared in: canonical decomposition without its combining marks (`É` -> `e`),
    /// lower case, `&` as "and", dots dropped (`U.K.` -> `uk`), every other run of non-letters and non-digits one
    /// space, and a leading "the" dropped (`The Netherlands`).
    public static func key(_ text: String) -> String {
        let decomposed = text.decomposedStringWithCanonicalMapping
        var words: [String] = []
        var word = ""
        func endWord() {
            if !word.isEmpty { words.append(word) }
            word = ""
        }
        for scalar in decomposed.unicodeScalars {
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark { continue }
            if scalar == "." { continue }
            if scalar == "&" {
                endWord()
                words.append("and")
            } else if properties.isAlphabetic || properties.numericType != nil {
                word += String(scalar).lowercased()
            } else {
                endWord()
            }
        }
        endWord()
        if words.count > 1, words.first == "the" { words.removeFirst() }
        return words.joined(separator: " ")
    }

    /// Other names people commonly type, in English and French, for the countries they name.
    public static let commonAliases: [(name: String, code: String)] = [
        ("UK", "GB"), ("Great Britain", "GB"), ("Britain", "GB"), ("England", "GB"), ("Scotland", "GB"), ("Wales", "GB"),
        ("Northern Ireland", "GB"), ("United Kingdom of Great Britain and Northern Ireland", "GB"), ("Grande-Bretagne", "GB"),
        ("Angleterre", "GB"), ("Écosse", "GB"), ("Pays de Galles", "GB"), ("Irlande du Nord", "GB"),
        ("USA", "US"), ("United States of America", "US"), ("America", "US"), ("États-Unis d'Amérique", "US"),
        ("Holland", "NL"), ("Pays-Bas", "NL"), ("Czech Republic", "CZ"), ("Russia", "RU"), ("South Korea", "KR"),
        ("North Korea", "KP"), ("Vatican", "VA"), ("Ivory Coast", "CI"), ("Burma", "MM"), ("Swaziland", "SZ"),
        ("Macedonia", "MK"), ("Türkiye", "TR"), ("Turkey", "TR"), ("Cape Verde", "CV"), ("East Timor", "TL"),
    ]
}
