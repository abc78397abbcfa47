import Foundation
import HTTPTypes
@testable import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// The clerks' sitting form (create and edit without JavaScript) and the record page.
@Suite struct StaffPagesHTTPTests {
    static let fields = [
        "title=Rail+fares+II", "committee=Transport", "scheduled_start=2026-12-24T09:30", "stream_url=https%3A%2F%2Fvideo.example.org%2Flive",
        "agenda=Fares%0D%0ATickets%0D%0AStations", "witnesses=Rail+Minister", "max_question_length=400", "questions_per_minute=3",
        "votes_per_second=5", "ip_questions_per_minute=30", "ip_votes_per_second=50", "votes_per_address=", "moderation=pre", "allow_anonymous=yes",
    ].joined(separator: "&")

    @Test func aClerkEditsEveryFieldOfASittingInThePage() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let clerk = Browser()
            try await clerk.logIn(client, "clerk@example.org")
            let page = try await clerk.send(client, .get, "/sittings/1/edit")
            #expect(page.status == .ok && page.headers[.cacheControl] == "no-store")
            #expect(page.text.contains(#"value="Fares"#) || page.text.contains("Fares\nTickets"), "the agenda is in the form")
            let token = try StaffAccountsHTTPTests.csrf(page)

            #expect(try await clerk.send(client, .post, "/sittings/1/edit", form: Self.fields, headers: [.accept: "application/json"]).errorCode == "csrf_failed")
            let saved = try await clerk.send(client, .post, "/sittings/1/edit", form: Self.fields + "&csrf_token=\(token)")
            #expect(saved.status == .seeOther && saved.headers[.location] == "/sittings/1/edit?saved=1")
            let sitting = try #require(try await store.sitting(.init(1)))
            #expect(sitting.title == "Rail fares II" && sitting.agenda == ["Fares", "Tickets", "Stations"] && sitting.witnesses == ["Rail Minister"])
            #expect(sitting.streamURL == "https://video.example.org/live" && sitting.settings.maxQuestionLength == 400)
            #expect(sitting.scheduledStart.iso8601.hasPrefix("2026-12-24T09:30"))
            #expect(sitting.settings.allowAnonymous && sitting.settings.votesPerAddress == nil)
            let notice = try await clerk.send(client, .get, "/sittings/1/edit?saved=1")
            #expect(notice.text.contains(#"id="flash""#))
        }
    }

    @Test func aRefusedFormComesBackWithItsValuesAndChangesNothing() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let clerk = Browser()
            try await clerk.logIn(client, "clerk@example.org")
            let before = try #require(try await store.sitting(.init(1)))
            let token = try StaffAccountsHTTPTests.csrf(try await clerk.send(client, .get, "/sittings/1/edit"))
            let bad = Self.fields.replacingOccurrences(of: "max_question_length=400", with: "max_question_length=lots")
                .replacingOccurrences(of: "scheduled_start=2026-12-24T09%3A30", with: "scheduled_start=soon")
                .replacingOccurrences(of: "stream_url=https%3A%2F%2Fvideo.example.org%2Flive", with: "stream_url=javascript%3Aalert(1)")
            let refused = try await clerk.send(client, .post, "/sittings/1/edit", form: bad + "&csrf_token=\(token)")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"id="error-summary""#) && refused.text.contains(##"href="#sitting-max_question_length""##))
            #expect(refused.text.contains(##"href="#sitting-stream_url""##))
            #expect(refused.text.contains(#"value="Rail fares II""#), "the typed values come back")
            #expect(try await store.sitting(.init(1)) == before)
        }
    }

    @Test func onlyClerksAndAdminsSetUpSittings() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let moderator = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            #expect(try await moderator.send(client, .get, "/sittings/1/edit").status == .forbidden)
            #expect(try await moderator.send(client, .get, "/staff/sittings/new").status == .forbidden)
            let token = try StaffAccountsHTTPTests.csrf(try await moderator.send(client, .get, "/staff"))
            #expect(try await moderator.send(client, .post, "/sittings/1/edit", form: Self.fields + "&csrf_token=\(token)").status == .forbidden)
            let anonymous = try await Browser().send(client, .get, "/sittings/1/edit")
            #expect(anonymous.status == .seeOther && anonymous.headers[.location]?.hasPrefix("/staff/login") == true)
            #expect(try await store.sitting(.init(1))?.title != "Rail fares II")
        }
    }

    @Test func aClerkCreatesASittingInThePage() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let clerk = Browser()
            try await clerk.logIn(client, "clerk@example.org")
            let page = try await clerk.send(client, .get, "/staff/sittings/new")
            #expect(page.status == .ok && page.text.contains(#"action="/staff/sittings/new""#))
            let token = try StaffAccountsHTTPTests.csrf(page)
            let before = try await store.sittings().count
            let created = try await clerk.send(client, .post, "/staff/sittings/new", form: Self.fields + "&csrf_token=\(token)")
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            #expect(location.hasSuffix("/edit?saved=created"))
            #expect(try await store.sittings().count == before + 1)
            // The stream address is optional: left empty (as the page's form sends it), the sitting has none; a
            // cleared one is removed. (It was refused as "This cannot be empty.", which kept a clerk on the form.)
            let bare = Self.fields.replacingOccurrences(of: "stream_url=https%3A%2F%2Fvideo.example.org%2Flive", with: "stream_url=")
            let withoutStream = try await clerk.send(client, .post, "/staff/sittings/new", form: bare + "&csrf_token=\(token)")
            #expect(withoutStream.status == .seeOther, "an empty stream address is no stream, not an error")
            let newest = try #require(try await store.sittings().max { $0.id < $1.id })
            #expect(newest.streamURL == nil)
            #expect(try await store.sittings().count == before + 2)
            let withStream = try #require(try await store.sittings().first { $0.streamURL != nil && $0.title == "Rail fares II" })
            let cleared = try await clerk.send(client, .post, "/sittings/\(withStream.id)/edit", form: bare + "&csrf_token=\(token)")
            #expect(cleared.status == .seeOther)
            #expect(try await store.sittings().first { $0.id == withStream.id }?.streamURL == nil)
            let evil = try await clerk.send(
                client, .post, "/staff/sittings/new", form: Self.fields + "&csrf_token=\(token)", headers: [.origin: "https://evil.example", .accept: "application/json"])
            #expect(evil.errorCode == "origin_not_allowed")
            #expect(try await store.sittings().count == before + 2)
        }
    }

    /// The new-sitting form posted as it first comes (nothing typed): refused with the GOV.UK pattern a clerk needs to
    /// see why (a summary that takes the focus by itself, without JavaScript, linking to each refused field; the
    /// field's message by it; "Error: " in the title) and nothing is created.
    @Test func anEmptyNewSittingFormSaysWhyWithTheFocusOnTheSummary() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let clerk = Browser()
            try await clerk.logIn(client, "clerk@example.org")
            let page = try await clerk.send(client, .get, "/staff/sittings/new")
            let token = try StaffAccountsHTTPTests.csrf(page)
            let before = try await store.sittings().count
            let empty = Self.fields.replacingOccurrences(of: "title=Rail+fares+II", with: "title=")
                .replacingOccurrences(of: "committee=Transport", with: "committee=")
            let refused = try await clerk.send(client, .post, "/staff/sittings/new", form: empty + "&csrf_token=\(token)")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"id="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>"#))
            #expect(refused.text.contains(##"href="#sitting-title""##) && refused.text.contains(##"href="#sitting-committee""##))
            #expect(refused.text.contains(#"id="sitting-title-error""#) && refused.text.contains(#"id="sitting-committee-error""#))
            #expect(refused.text.contains("<title>Error: "))
            #expect(refused.text.contains(#"value="2026-12-24T09:30""#), "the typed start comes back")
            #expect(try await store.sittings().count == before)
            #expect(!page.text.contains("autofocus"), "a form that was not refused takes no focus")
        }
    }

    /// The moderation log as a page: stacked rows on a phone that keep the table's roles; a decision without a reason
    /// has an empty reason cell (no "Reason" line with nothing after it), one with a reason names it.
    @Test func theModerationLogPageNamesReasonsOnlyWhereThereAreSome() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let moderator = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            var ids: [Int64] = []
            for text in ["Will the trains run on time?", "Buy cheap watches here"] {
                let asked = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"\#(text)"}"#)
                ids.append(try #require(asked.json?["id"]?.intValue))
            }
            _ = try await moderator.send(client, .post, "/api/v1/questions/\(ids[0])/moderation", json: #"{"action":"approve"}"#)
            _ = try await moderator.send(client, .post, "/api/v1/questions/\(ids[1])/moderation", json: #"{"action":"reject","reason":"off_topic"}"#)
            let page = try await Browser().send(client, .get, "/sittings/1/moderation-log")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<table class="table table--log table--stack" id="log-table" role="table">"#))
            #expect(page.text.contains(#"<td role="cell"></td>"#), "the approval has no reason: an empty cell")
            let reasonLabels = page.text.matches(of: /<span class="table__label" aria-hidden="true">Reason<\/span>/).count
            #expect(reasonLabels == 1, "only the rejection names a reason (\(reasonLabels))")
        }
    }

    @Test func theRecordIsAPageWithItsChaptersAndLinks() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let chair = Browser(), moderator = Browser()
            try await chair.logIn(client, "chair1@example.org")
            try await moderator.logIn(client, "mod1@example.org")
            let asked = try await Browser.participant(client).send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Why are trains late & dear?"}"#)
            let id = try #require(asked.json?["id"]?.intValue)
            _ = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#)
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"live"}"#).status == .ok)
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/on-screen", json: #"{"question":\#(id)}"#).status == .ok)
            _ = try await chair.send(client, .post, "/api/v1/questions/\(id)/answered", json: "{}")

            let page = try await Browser().send(client, .get, "/sittings/1/record")
            #expect(page.status == .ok && page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("Why are trains late &amp; dear?"), "escaped")
            #expect(page.text.contains(#"href="/sittings/1/record.csv""#) && page.text.contains(#"href="/sittings/1/record.json""#))
            #expect(page.text.contains(#"id="chapter-list""#))
            // Stacked rows on a phone (site.css .table--stack) that keep the table's roles; the column names in the
            // cells are for the eye only.
            #expect(page.text.contains(#"<table class="table table--record table--stack" id="record-table" role="table">"#))
            #expect(page.text.contains(#"<span class="table__label" aria-hidden="true">Asked by</span>Anonymous"#))
            #expect(page.text.contains(#"<span class="table__label" aria-hidden="true">Answered at</span><time"#), "the answered question's time")
            let json = try await Browser().send(client, .get, "/sittings/1/record.json")
            #expect(json.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }
}

/// gzip by `Accept-Encoding` and the versioned static files.
@Suite struct CompressionAndStaticFilesTests {
    @Test func pagesAreGzippedWhenTheClientTakesIt() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            let plain = try await client.execute(uri: "/petitions/1", method: .get) { $0 }
            #expect(plain.headers[.contentEncoding] == nil && plain.headers[values: .vary].contains("Accept-Encoding"))
            #expect(plain.headers[.cacheControl]?.contains("no-cache") == true)
            let gzipped = try await client.execute(uri: "/petitions/1", method: .get, headers: [.acceptEncoding: "gzip, deflate, br"]) { $0 }
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            #expect(gzipped.body.readableBytes < plain.body.readableBytes / 2)
            #expect(gzipped.body.getBytes(at: gzipped.body.readerIndex, length: 2) == [0x1f, 0x8b])
            let refused = try await client.execute(uri: "/petitions/1", method: .get, headers: [.acceptEncoding: "gzip;q=0, *"]) { $0 }
            #expect(refused.headers[.contentEncoding] == nil)
        }
    }

    @Test func smallAnswersAndHeadRequestsAreNotCompressed() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            let small = try await client.execute(uri: "/api/v1/petitions/999", method: .get, headers: [.acceptEncoding: "gzip"]) { $0 }
            #expect(small.body.readableBytes < 1024 && small.headers[.contentEncoding] == nil)
            let head = try await client.execute(uri: "/petitions/1", method: .head, headers: [.acceptEncoding: "gzip"]) { $0 }
            #expect(head.headers[.contentEncoding] == nil)
        }
    }

    @Test func acceptEncodingIsReadByItsQValues() {
        #expect(ContentCoding.takesGzip(["gzip"]))
        #expect(ContentCoding.takesGzip(["deflate, gzip;q=0.5"]))
        #expect(!ContentCoding.takesGzip(["gzip;q=0"]))
        #expect(!ContentCoding.takesGzip(["gzip;q=0, *;q=1"]))
        #expect(ContentCoding.takesGzip(["*"]))
        #expect(!ContentCoding.takesGzip([]))
        #expect(!ContentCoding.takesGzip(["br"]))
        #expect(!ContentCoding.takesGzip(["gzip;q=nan"]))
    }

    @Test func staticFilesAreVersionedAndCachedForAYear() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/petitions/1", method: .get) { $0 }
            let script = try #require(String(buffer: page.body).firstMatch(of: /src="(\/static\/[0-9a-f]{12}\/js\/petition-page\.js)"/)?.1)
            let css = try #require(String(buffer: page.body).firstMatch(of: /href="(\/static\/[0-9a-f]{12}\/css\/site\.css)"/)?.1)
            #expect(!String(buffer: page.body).contains(#""/static/js/"#), "no unversioned address is left in the page")
            for path in [String(script), String(css)] {
                let file = try await client.execute(uri: path, method: .get, headers: [.acceptEncoding: "gzip"]) { $0 }
                #expect(file.status == .ok && file.headers[.cacheControl] == "public, max-age=31536000, immutable", "\(path)")
                #expect(file.headers[.contentEncoding] == "gzip" && file.headers[values: .vary].contains("Accept-Encoding"))
                let etag = try #require(file.headers[.eTag])
                let again = try await client.execute(uri: path, method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: etag]) { $0 }
                #expect(again.status == .notModified)
            }
            let unversioned = try await client.execute(uri: "/static/js/petition-page.js", method: .get) { $0 }
            #expect(unversioned.status == .ok && unversioned.headers[.cacheControl] == "no-cache")
            let old = try await client.execute(uri: "/static/000000000000/js/petition-page.js", method: .get) { $0 }
            #expect(old.status == .ok && old.headers[.cacheControl] == "no-cache", "an old version gets the current file, not kept")
            for hidden in ["/static/templates/petition.mustache", "/static/tests/api.test.mjs", "/static/js/../templates/head.mustache",
                           "/static/\(String(script).split(separator: "/")[1])/../i18n/en.json", "/static/README.md"] {
                #expect(try await client.execute(uri: hidden, method: .get) { $0 }.status == .notFound, "\(hidden)")
            }
        }
    }

    @Test func aPageNamesEveryModuleItsScriptsLoadAsAModulePreload() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            for (path, entry, imported) in [("/sittings/1", "sitting-page.js", ["ask-form.js", "dom.js", "constants.js", "question-order.js"]),
                                            ("/petitions/1", "petition-page.js", ["sign-form.js", "share-links.js", "copy-link.js", "area-counts.js"])] {
                let page = String(buffer: try await client.execute(uri: path, method: .get) { $0 }.body)
                let head = try #require(page.split(separator: "</head>").first.map(String.init))
                let preloads = head.matches(of: /<link rel="modulepreload" href="\/static\/[0-9a-f]{12}\/js\/([a-z-]+\.js)">/).map { String($0.1) }
                #expect(preloads.first == entry, "\(path): the entry first")
                for name in imported { #expect(preloads.contains(name), "\(path) preloads \(name) (imported, maybe deep)") }
                #expect(Set(preloads).count == preloads.count, "\(path): each once")
                #expect(!preloads.contains("charts.js"), "\(path): nothing the page does not load")
            }
            let staff = String(buffer: try await client.execute(uri: "/staff/login", method: .get) { $0 }.body)
            #expect(!staff.contains("modulepreload"), "a page without module scripts preloads nothing")
        }
    }

    /// The parts of the moderation console and of the dashboard (issue 12's split) are preloaded by their pages, and
    /// by no citizen page (the budget of /sittings/1 and /petitions/1 counts requests).
    @Test func theConsoleAndDashboardPartsArePreloadedByTheirPagesOnly() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            func preloads(_ page: TestResponse) throws -> [String] {
                let head = try #require(page.text.split(separator: "</head>").first.map(String.init))
                return head.matches(of: /<link rel="modulepreload" href="\/static\/[0-9a-f]{12}\/js\/([a-z-]+\.js)">/).map { String($0.1) }
            }
            let moderator = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            let console = try preloads(try await moderator.send(client, .get, "/sittings/1/moderate"))
            #expect(console.first == "moderate-page.js")
            for part in ["moderate-lists.js", "moderate-actions.js", "moderate-dialogs.js", "moderate-edit.js", "moderate-view.js", "presence.js"] {
                #expect(console.contains(part), "the console preloads \(part)")
            }
            let dashboard = try preloads(try await Browser().send(client, .get, "/dashboard"))
            #expect(dashboard.first == "dashboard-page.js")
            for part in ["dashboard-models.js", "dashboard-figure.js", "dashboard-cards.js", "dashboard-map.js", "charts.js"] {
                #expect(dashboard.contains(part), "the dashboard preloads \(part)")
            }
            for path in ["/sittings/1", "/petitions/1"] {
                let citizen = try preloads(try await Browser().send(client, .get, path))
                #expect(!citizen.contains { $0.hasPrefix("moderate-") || $0.hasPrefix("dashboard-") }, "\(path) loads no console or dashboard part")
            }
        }
    }

    @Test func theImportsOfAModuleAreReadFromItsSource() {
        let source = """
            // Example: import { x } from './not-really.js';
            /* import './nor-this.js'; */
             * import { y } from './nor-that.js';
            import { a, b } from './a.js';
            import {
              c,
            } from "./sub/c.js";
            import './side-effect.js';
            export { d } from '../up.js';
            const lazy = () => import('./lazy.js');
            import { e } from 'https://cdn.example/e.js'; import { f } from './a.js';
            const imported = 1; const fromage = './cheese.js';
            """
        #expect(StaticFiles.staticImports(source, of: "js/page.js") == ["js/a.js", "js/sub/c.js", "js/side-effect.js", "up.js"])
        #expect(StaticFiles.staticImports("import { x } from '../../out.js';", of: "js/page.js").isEmpty, "not out of the web root")
    }

}
