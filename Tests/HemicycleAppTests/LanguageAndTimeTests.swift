import Foundation
@testable import HemicycleApp
import HemicycleCore
import Testing

/// Times in the parliament's zone and the page's language, the strings each page ships, and the country table.
@Suite struct LanguageAndTimeTests {
    /// 2026-11-30 14:05 UTC.
    let t = Timestamp(millisecondsSince1970: 1_796_047_500_000)

    @Test func timesAreInTheParliamentsZoneAndTheLanguage() throws {
        let utc = try #require(TimeText(identifier: "UTC"))
        #expect(utc.time(t, "en") == "2:05 PM")
        #expect(utc.time(t, "fr") == "14:05")
        #expect(utc.date(t, "en") == "November 30, 2026")
        #expect(utc.date(t, "fr") == "30 novembre 2026")
        let paris = try #require(TimeText(identifier: "Europe/Paris"))
        #expect(paris.time(t, "fr") == "15:05", "Paris is UTC+1 in November")
        let tokyo = try #require(TimeText(identifier: "Asia/Tokyo"))
        #expect(tokyo.day(t) == "2026-11-30" && tokyo.time(t, "en") == "11:05 PM")
        let auckland = try #require(TimeText(identifier: "Pacific/Auckland"))
        #expect(auckland.day(t) == "2026-12-01", "the day is the zone's day")
        #expect(!utc.sameDay(t, t.adding(days: 1)) && utc.sameDay(t, t))
        #expect(TimeText(identifier: "Mars/Olympus") == nil && TimeText(identifier: "") == nil)
    }

    @Test func anUnknownZoneStopsTheStart() {
        #expect(throws: LocalizationError.self) { try Localization(webRoot: TestApp.webRoot, languages: ["en"], timeZone: "Nowhere/Town") }
    }

    @Test func eachPageShipsOnlyTheStringsItsScriptsUse() throws {
        let localization = try Localization(webRoot: TestApp.webRoot, languages: ["en", "fr"])
        let sitting = try #require(localization.stringsJSON(page: "sitting", language: "fr"))
        let moderate = try #require(localization.stringsJSON(page: "moderate", language: "fr"))
        #expect(sitting.utf8.count < moderate.utf8.count)
        let full = try #require(FileManager.default.contents(atPath: TestApp.webRoot + "/i18n/fr.json"))
        #expect(sitting.utf8.count * 2 < full.count, "the sitting page carries well under half of the strings")
        #expect(!sitting.contains("\"moderation_"), "no moderator strings on a viewer's page")
        #expect(!sitting.contains("</"), "nothing can close the script block")
        #expect(localization.stringsJSON(page: "error", language: "en") == nil, "a page without scripts ships none")
    }

    @Test func keysFoundInScripts() {
        let found = PageStrings.literals(in: "t('vote'); t.plural('votes', n); t(`action_${a}`); x = 'state_' + s; 'Not a key'")
        #expect(found.literals.isSuperset(of: ["vote", "votes"]) && found.prefixes == ["action_", "state_"])
        let keys = PageStrings.select(["vote", "votes_one", "votes_other", "action_ask", "state_live", "other"], literals: found.literals, prefixes: found.prefixes)
        #expect(keys == ["vote", "votes_one", "votes_other", "action_ask", "state_live"])
        #expect(PageStrings.imports(in: "import { a } from './dom.js';\nconst m = await import('./charts.js')") == ["dom.js", "charts.js"])
        #expect(PageStrings.scripts(inTemplate: #"<script type="module" src="/static/js/sitting-page.js"></script>"#) == ["sitting-page.js"])
    }

    @Test func countryNamesComeInEveryPageLanguage() {
        let built = CountryDirectory.build(table: [NamedArea(code: "GB", name: "United Kingdom"), NamedArea(code: "FR", name: "France")], languages: ["en", "fr"])
        #expect(built.names.code(for: "Royaume-Uni") == "GB")
        #expect(built.names.code(for: "United Kingdom") == "GB")
        #expect(built.names.code(for: "gb") == "GB")
        #expect(built.names.code(for: "Germany") == nil, "only the parliament's countries")
        #expect(built.options["fr"] == ["France", "Royaume-Uni"])
        let everyCountry = CountryDirectory.build(table: [], languages: ["en"])
        #expect(everyCountry.names.code(for: "Germany") == "DE" && everyCountry.names.codes.count > 200)
    }
}
