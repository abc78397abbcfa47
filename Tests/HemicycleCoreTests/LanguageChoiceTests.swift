import HemicycleCore
import Testing

/// The page language: `?lang=`, then the remembered cookie, then `Accept-Language`, then the site's default.
@Suite struct LanguageChoiceTests {
    let site = ["en", "fr"]

    @Test func theAddressWinsAndIsRemembered() {
        let asked = LanguageChoice(query: "fr", cookie: nil, acceptLanguage: "en", available: site)
        #expect(asked.language == "fr" && asked.remember)
        let again = LanguageChoice(query: "fr", cookie: "fr", acceptLanguage: "en", available: site)
        #expect(again.language == "fr" && !again.remember, "the cookie already holds it")
        let upper = LanguageChoice(query: "FR-ca", cookie: "en", acceptLanguage: nil, available: site)
        #expect(upper.language == "fr" && upper.remember)
    }

    @Test func theCookieComesBeforeTheBrowser() {
        let remembered = LanguageChoice(query: nil, cookie: "fr", acceptLanguage: "en-GB,en;q=0.9", available: site)
        #expect(remembered.language == "fr" && !remembered.remember)
    }

    @Test func anUnofferedOrHostileValueIsNeverChosen() {
        for bad in ["de", "", "fr\r\nSet-Cookie: x=1", "<script>", String(repeating: "f", count: 100)] {
            let choice = LanguageChoice(query: bad, cookie: bad, acceptLanguage: bad, available: site)
            #expect(choice.language == "en" && !choice.remember, "\(bad.prefix(20)) falls back to the default")
        }
    }

    @Test func acceptLanguageIsRankedByQuality() {
        func pick(_ header: String) -> String { LanguageChoice(query: nil, cookie: nil, acceptLanguage: header, available: site).language }
        #expect(pick("de-DE, fr;q=0.8, en;q=0.5") == "fr")
        #expect(pick("en;q=0.2, fr-CH;q=0.9") == "fr")
        #expect(pick("fr;q=0, en") == "en", "q=0 refuses")
        #expect(pick("fr;q=0") == "en")
        #expect(pick("de, *;q=0.5") == "en", "* is the site's default")
        #expect(pick("fr, en") == "fr", "equal quality keeps the browser's order")
        #expect(pick("") == "en")
    }
}
