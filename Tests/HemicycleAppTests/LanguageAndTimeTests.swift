import Foundation
import HTTPTypes
import HummingbirdTesting
@testable import HemicycleApp
import HemicycleCore
import HemicycleStorage
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

    /// An error page is in the page's language: title by status, "Error 404", the link home, and a message in the
    /// same language (an English message without a string of its own gives way to the status in words).
    @Test func errorPagesSpeakThePagesLanguage() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            var page = try await Browser().send(client, .get, "/no/such/page?lang=fr")
            #expect(page.status == .notFound)
            #expect(page.text.contains(#"<h1 class="heading-xl">Page introuvable</h1>"#))
            #expect(page.text.contains(#"<p class="caption">Erreur 404</p>"#))
            #expect(page.text.contains("Il n’y a rien à cette adresse."))
            #expect(page.text.contains("Aller à la page d’accueil"))
            #expect(page.text.contains("<title>Page introuvable"))
            #expect(!page.text.contains("Not Found") && !page.text.contains("Go to the home page") && !page.text.contains("nothing at this address"))
            page = try await Browser().send(client, .get, "/no/such/page")
            #expect(page.text.contains(#"<h1 class="heading-xl">Page not found</h1>"#) && page.text.contains("There is nothing at this address."))
            #expect(page.text.contains(#"<p class="caption">Error 404</p>"#) && page.text.contains("Go to the home page"))
            // A message of its own: kept in English; on a French page the status says it in French instead.
            page = try await Browser().send(client, .get, "/petitions/1/support/not-a-real-token")
            #expect(page.status == .notFound && page.text.contains("This supporter link does not exist."))
            page = try await Browser().send(client, .get, "/petitions/1/support/not-a-real-token?lang=fr")
            #expect(page.status == .notFound && page.text.contains("Il n’y a rien à cette adresse."))
            #expect(!page.text.contains("This supporter link"))
            // JSON errors are unchanged.
            let json = try await Browser().send(client, .get, "/api/v1/no-such-thing?lang=fr")
            #expect(json.json?["error"]?["code"]?.stringValue == "not_found")
        }
    }

    /// The petition page's embed variants are labelled in the page's language (they were English on a French page).
    @Test func theEmbedVariantsAreLabelledInThePagesLanguage() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            let french = try await Browser().send(client, .get, "/petitions/1?lang=fr")
            #expect(french.text.contains(#"<label class="label" for="embed-snippet-count">Le compteur seul</label>"#))
            #expect(french.text.contains(#"<label class="label" for="embed-snippet-dark">Sombre, pour une page sombre</label>"#))
            #expect(!french.text.contains("The count only"))
            let english = try await Browser().send(client, .get, "/petitions/1")
            #expect(english.text.contains(#"<label class="label" for="embed-snippet-count">The count only</label>"#))
        }
    }

    /// Starting a petition takes a country name as signing does (the same `CountryDirectory`): the form says so and
    /// offers the names in the page's language.
    @Test func theNewPetitionFormOffersCountryNamesAsTheSignFormDoes() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            let page = try await Browser().send(client, .get, "/petitions/new?lang=fr")
            #expect(page.text.contains(#"list="petition-country-list""#))
            #expect(page.text.contains(#"<datalist id="petition-country-list"><option value=""#))
            #expect(page.text.contains("Commencez à taper un pays"), "the hint of the sign form, in French")
            #expect(!page.text.contains("Le code à deux lettres"))
        }
    }

    @Test func anUnknownZoneStopsTheStart() {
        #expect(throws: LocalizationError.self) { try Localization(webRoot: TestApp.webRoot, languages: ["en"], timeZone: "Nowhere/Town") }
    }

    @Test func eachPageShipsOnlyTheStringsItsScriptsUse() throws {
        let localization = try Localization(webRoot: TestApp.webRoot, languages: ["en", "fr"])
        let sitting = try #require(localization.stringsJSON(page: "sitting", language: "fr"))
        let moderate = try #require(localization.stringsJSON(page: "moderate", language: "fr"))
        #expect(moderate.contains("\"select_first\"") && !sitting.contains("\"select_first\""), "the moderators' strings stay on their page")
        let full = try #require(FileManager.default.contents(atPath: TestApp.webRoot + "/i18n/fr.json"))
        #expect(sitting.utf8.count * 2 < full.count, "the sitting page carries well under half of the strings")
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

/// The no-JavaScript citizen path on a sitting: asking, seeing one's pending question, withdrawing it, in words.
@Suite struct SittingNoScriptTests {
    @Test func askingRedirectsToThePageThatShowsThePendingQuestion() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let viewer = Browser()
            var page = try await viewer.send(client, .get, "/sittings/1")
            #expect(page.text.contains(#"id="ask-jump""#), "the ask form is one tap away at the top")
            let jump = try #require(page.text.range(of: #"id="ask-jump""#)), list = try #require(page.text.range(of: #"id="question-list""#))
            #expect(jump.lowerBound < list.lowerBound)
            #expect(!page.text.contains(" UTC<"), "times in words, not a UTC stamp")
            let token = try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            let asked = try await viewer.send(client, .post, "/sittings/1/questions", form: "text=Will+the+library+stay+open%3F&name=Ana&csrf_token=\(token)")
            #expect(asked.status == .seeOther)
            let location = try #require(asked.headers[.location])
            page = try await viewer.send(client, .get, String(location.prefix { $0 != "#" }))
            #expect(page.text.contains(#"id="flash""#))
            #expect(page.text.contains("Will the library stay open?"), "the asker sees their pending question")
            #expect(page.text.contains(#"class="my-question" data-question-id="#) && page.text.contains("tag--submitted"))
            #expect(!page.text.contains(#"id="my-questions" aria-labelledby="my-questions-heading" hidden"#))
            // Another visitor sees neither the pending question nor the notice.
            let other = try await Browser().send(client, .get, "/sittings/1?asked=1")
            #expect(!other.text.contains("Will the library stay open?"))
            // Withdrawing without JavaScript: 303 back, the question gone from the list.
            let questions = try await store.questions(in: .init(1))
            let id = try #require(questions.first?.id)
            let stranger = try await Browser.participant(client)
            let strangerPage = try await stranger.send(client, .get, "/sittings/1")
            let strangerToken = try #require(strangerPage.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            let refused = try await stranger.send(client, .post, "/sittings/1/questions/\(id)/withdraw", form: "csrf_token=\(strangerToken)")
            #expect(refused.status == .forbidden, "only the asker withdraws")
            let withdrawn = try await viewer.send(client, .post, "/sittings/1/questions/\(id)/withdraw", form: "csrf_token=\(token)")
            #expect(withdrawn.status == .seeOther && withdrawn.headers[.location] == "/sittings/1?withdrawn=1#my-questions")
            page = try await viewer.send(client, .get, "/sittings/1?withdrawn=1")
            #expect(!page.text.contains("Will the library stay open?"))
        }
    }

    @Test func thePageCarriesTheViewersQuestionsAndVotesSoTheScriptNeedNotAsk() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let fresh = try await Browser().send(client, .get, "/sittings/1")
            #expect(fresh.text.contains(#"<script type="application/json" id="hc-viewer">{"mine":[],"voted":[]}</script>"#))
            let viewer = Browser()
            let page = try await viewer.send(client, .get, "/sittings/1")
            let token = try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            let asked = try await viewer.send(client, .post, "/sittings/1/questions", form: "text=Will+the+pool+open%3F&csrf_token=\(token)")
            #expect(asked.status == .seeOther)
            let after = try await viewer.send(client, .get, "/sittings/1")
            let json = try #require(after.text.firstMatch(of: /<script type="application\/json" id="hc-viewer">(.*?)<\/script>/)?.1)
            #expect(json.contains(#""state":"submitted""#) && json.contains(#""mine":true"#))
            #expect(json.contains(#""text":"Will the pool open?""#))
            #expect(json.hasSuffix(#""voted":[]}"#))
        }
    }

    @Test func theSittingsTimeIsInWordsInTheZoneAndLanguage() throws {
        let localization = try Localization(webRoot: TestApp.webRoot, languages: ["en", "fr"], timeZone: "Europe/Paris")
        let start = Timestamp(millisecondsSince1970: 1_796_047_500_000)  // 2026-11-30 14:05 UTC, 15:05 in Paris
        var sitting = Sitting(id: .init(1), title: "T", committee: "C", state: .scheduled, scheduledStart: start, streamURL: nil)
        #expect(SittingPageContext.when(sitting, language: "en", localization: localization).text == "Starts on November 30, 2026 at 3:05 PM")
        #expect(SittingPageContext.when(sitting, language: "fr", localization: localization).text == "Commence le 30 novembre 2026 à 15:05")
        sitting.state = .live
        #expect(SittingPageContext.when(sitting, language: "en", localization: localization).text == "Started at 3:05 PM")
        sitting.state = .ended
        sitting.endedAt = start
        #expect(SittingPageContext.when(sitting, language: "fr", localization: localization).text == "Terminée à 15:05")
        sitting.endedAt = start.adding(days: 1)
        #expect(SittingPageContext.when(sitting, language: "en", localization: localization).text == "Ended on December 1, 2026 at 3:05 PM")
    }
}

/// The emailed link's confirm button without JavaScript: redirect after post to the signed page.
@Suite struct ConfirmRedirectTests {
    @Test func confirmingASignatureByFormRedirectsToTheSignedPage() async throws {
        let (app, store) = try await HearingFixture.make { $0.signatureConfirmation = .email }
        try await app.test(.router) { client in
            let signer = Browser()
            let signed = try await signer.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Ada","email":"ada@example.org"}"#)
            #expect(signed.status == .accepted)
            let mail = try #require(await store.outboxMail().last)
            let token = String(try #require(mail.body.firstMatch(of: /\/confirm\/([A-Za-z0-9_-]+)/)?.1))
            let page = try await signer.send(client, .get, "/confirm/\(token)?lang=fr")
            let csrf = try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            // Without its token the button confirms nothing (main's CSRF check stays).
            let forged = try await signer.send(client, .post, "/confirm/\(token)", form: "csrf_token=forged")
            #expect(forged.status == .forbidden)
            #expect(try await store.petition(.init(1))?.signatureCount == 0)
            let answer = try await signer.send(client, .post, "/confirm/\(token)", form: "csrf_token=\(csrf)")
            #expect(answer.status == .seeOther && answer.headers[.location] == "/petitions/1/signed")
            #expect(try await store.petition(.init(1))?.signatureCount == 1)
            let landing = try await signer.send(client, .get, "/petitions/1/signed")
            #expect(landing.status == .ok && landing.text.contains(#"id="signed-panel""#))
            #expect(landing.text.contains(#"<html lang="fr""#), "the language chosen on the link's page stays")
        }
    }
}

/// Starting and supporting a petition without JavaScript: redirect after post to "check your email", shown to the
/// browser that posted (the `hc_sent` cookie) and to no one else.
@Suite struct PetitionFormRedirectTests {
    func token(_ browser: Browser, _ client: some TestClientProtocol, _ path: String) async throws -> String {
        let page = try await browser.send(client, .get, path)
        return String(try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1))
    }

    @Test func startingAPetitionRedirectsToItsCheckYourEmailPage() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let creator = Browser()
            let csrf = try await token(creator, client, "/petitions/new")
            let answer = try await creator.send(client, .post, "/petitions/new",
                                                form: "csrf_token=\(csrf)&action=Plant+more+trees&background=Shade&name=Ada&email=ada%2Btrees%40example.org")
            #expect(answer.status == .seeOther)
            let location = try #require(answer.headers[.location])
            #expect(location.wholeMatch(of: /\/petitions\/\d+\/created/) != nil, "\(location)")
            #expect(answer.headers[values: .setCookie].contains { $0.hasPrefix("hc_sent=") && $0.contains("HttpOnly") })
            let page = try await creator.send(client, .get, location)
            #expect(page.status == .ok && page.text.contains("ada+trees@example.org") && page.text.contains("Plant more trees"))
            #expect(page.headers[.cacheControl] == "no-store")
            // A reload shows the page again: one petition, one mail.
            let mails = await store.outboxMail().count
            #expect(try await creator.send(client, .get, location).status == .ok)
            #expect(await store.outboxMail().count == mails)
            // Anyone else (no cookie, or the cookie without its participant) gets nothing: the petition is not public.
            #expect(try await Browser().send(client, .get, location).status == .notFound)
            let thief = Browser()
            _ = try await thief.send(client, .get, "/petitions/new")
            thief.setCookie("hc_sent", try #require(creator.cookie("hc_sent")))
            #expect(try await thief.send(client, .get, location).status == .notFound, "another participant with the cookie")
            // The cookie shows no other petition.
            #expect(try await creator.send(client, .get, "/petitions/1/created").status == .notFound)
        }
    }

    @Test func supportingAPetitionRedirectsToItsCheckYourEmailPage() async throws {
        let (app, store) = try await HearingFixture.make()
        var validated = MailHTTPTests.openPetition(5)
        validated.state = .validated
        validated.openedAt = nil
        validated.closingAt = nil
        let sponsored = try await store.createPetition(
            validated, creator: try SignatureRequest(name: "Cy", email: "cy@example.org").validated().get(),
            sponsorToken: "sponsor-token", token: EmailToken(hash: "h", purpose: .creator, subject: 0, expiresAt: .init(millisecondsSince1970: Int64.max / 2)),
            mail: OutgoingMail(to: "cy@example.org", subject: "S", body: "B")
        )
        try await app.test(.router) { client in
            let supporter = Browser()
            let path = "/petitions/\(sponsored.id)/support/sponsor-token"
            let csrf = try await token(supporter, client, path)
            let answer = try await supporter.send(client, .post, path, form: "csrf_token=\(csrf)&name=Bo&email=bo%40example.org")
            #expect(answer.status == .seeOther && answer.headers[.location] == "/petitions/\(sponsored.id)/supported")
            let page = try await supporter.send(client, .get, "/petitions/\(sponsored.id)/supported?lang=fr")
            #expect(page.status == .ok && page.text.contains("bo@example.org") && page.text.contains(#"<html lang="fr""#))
            #expect(try await supporter.send(client, .get, "/petitions/\(sponsored.id)/created").status == .notFound, "the cookie is for this page only")
            #expect(try await Browser().send(client, .get, "/petitions/\(sponsored.id)/supported").status == .notFound)
        }
    }
}
