import Foundation
import HemicycleCore

/// The countries people may give when they sign, start or support a petition: the parliament's countries table
/// (`hemicycle regions import`; without one, every ISO 3166 country), each with its name in every page language
/// (from the platform's CLDR data, `Locale.localizedString(forRegionCode:)`) and its name in the table. It answers
/// the resolver the forms validate with (`CountryNames`) and the names a page's `<datalist>` offers, in that page's
/// language and order. Rebuilt when `RegionDirectory` reads a new table (within its refresh time).
actor CountryDirectory {
    private let regions: RegionDirectory
    private let languages: [String]
    private var built: (source: [NamedArea], names: CountryNames, options: [String: [String]])?

    init(regions: RegionDirectory, languages: [String]) {
        self.regions = regions
        self.languages = languages
    }

    /// The resolver of typed countries.
    func names() async throws -> CountryNames {
        try await current().names
    }

    /// The country names a page in `language` offers, sorted in that language; each resolves through `names()`.
    func options(language: String) async -> [String] {
        (try? await current().options[language]) ?? []
    }

    private func current() async throws -> (source: [NamedArea], names: CountryNames, options: [String: [String]]) {
        let table = try await regions.names().countries
        if let built, built.source == table { return built }
        let made = Self.build(table: table, languages: languages)
        built = (table, made.names, made.options)
        return built!
    }

    /// Every ISO 3166-1 alpha-2 code the platform knows (the table used when the parliament imported none).
    static var isoCodes: [String] {
        Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isUppercase } }.sorted()
    }

    /// The localised name of `code` in `language`, or nil when the platform has none (it then answers the code).
    static func localizedName(_ code: String, language: String) -> String? {
        guard let name = Locale(identifier: language).localizedString(forRegionCode: code), name != code, !name.isEmpty else { return nil }
        return name
    }

    static func build(table: [NamedArea], languages: [String]) -> (names: CountryNames, options: [String: [String]]) {
        let countries = table.isEmpty ? isoCodes.map { NamedArea(code: $0, name: localizedName($0, language: "en") ?? $0) } : table
        var pairs: [(code: String, name: String)] = []
        var options: [String: [String]] = [:]
        for language in languages {
            var shown: [String] = []
            for country in countries {
                let local = localizedName(country.code, language: language)
                if let local { pairs.append((country.code, local)) }
                shown.append(local ?? country.name)
            }
            // Sorted as a reader of the language expects (accents and case folded, CLDR order of the language).
            let locale = Locale(identifier: language)
            options[language] = Array(Set(shown)).sorted { $0.compare($1, options: [.caseInsensitive, .diacriticInsensitive], locale: locale) == .orderedAscending }
        }
        pairs += countries.map { ($0.code, $0.name) }
        return (CountryNames(names: pairs), options)
    }
}
