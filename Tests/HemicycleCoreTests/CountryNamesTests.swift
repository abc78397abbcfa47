import HemicycleCore
import Testing

/// What people type in "Country": codes, names in any page language, autofill values, common other names.
@Suite struct CountryNamesTests {
    let names = CountryNames(names: [
        ("GB", "United Kingdom"), ("GB", "Royaume-Uni"), ("FR", "France"), ("US", "United States"), ("US", "États-Unis"),
        ("NL", "Netherlands"), ("CI", "Côte d’Ivoire"), ("GE", "Georgia"), ("GE", "Géorgie"),
    ])

    @Test func namesAndCodesResolveToTheCode() {
        for typed in ["United Kingdom", "united kingdom", " Royaume-Uni ", "royaume uni", "GB", "gb", "UK", "U.K.", "Great Britain", "Angleterre"] {
            #expect(names.code(for: typed) == "GB", "\(typed)")
        }
        #expect(names.code(for: "etats-unis") == "US")
        #expect(names.code(for: "The Netherlands") == "NL")
        #expect(names.code(for: "Cote d'Ivoire") == "CI", "accents and apostrophes do not matter")
        #expect(names.code(for: "Georgia") == "GE")
    }

    @Test func unknownOrAmbiguousNamesResolveToNothing() {
        #expect(names.code(for: "Atlantis") == nil)
        #expect(names.code(for: "ZZ") == nil, "a code must be a known one")
        #expect(names.code(for: "") == nil && names.code(for: "   ") == nil)
        #expect(names.code(for: String(repeating: "a", count: 500)) == nil)
        let shared = CountryNames(names: [("AA", "Same"), ("BB", "Same")], aliases: [])
        #expect(shared.code(for: "Same") == nil)
        #expect(CountryNames(names: [("FR", "France")]).code(for: "UK") == nil, "an alias of a country not in the table is ignored")
    }

    @Test func theSignatureFormUsesTheResolver() {
        let typed = SignatureRequest(name: "Ann", email: "ann@example.com", postcode: nil, country: "Royaume-Uni")
        #expect((try? typed.validated(countries: names).get())?.country == "GB")
        let unknown = SignatureRequest(name: "Ann", email: "ann@example.com", postcode: nil, country: "Atlantis")
        guard case .failure(let errors) = unknown.validated(countries: names) else {
            Issue.record("an unknown country is refused")
            return
        }
        #expect(errors["country"] == SignatureRequest.unknownCountryMessage)
    }

    @Test func foldingIgnoresCaseAccentsAndPunctuation() {
        #expect(CountryNames.key("  États-Unis ") == "etats unis")
        #expect(CountryNames.key("Bosnia & Herzegovina") == "bosnia and herzegovina")
        #expect(CountryNames.key("The Gambia") == "gambia")
        #expect(CountryNames.key("The") == "the")
    }
}
