import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// The UK-compatible open data: the list with paging and filters, the CSV, and count.json.
@Suite struct OpenDataHTTPTests {
    func store() async throws -> InMemoryStore {
        let store = try await HearingFixture.store()
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        for n in 2...4 {
            await store.put(Petition(
                id: .init(Int64(n)), action: "Petition number \(n) about \"trees\"", background: n == 3 ? "Parks and rivers" : "Other", additionalDetails: "",
                state: n == 4 ? .rejected : .open, signatureCount: n * 10, creatorName: "C", createdAt: now, updatedAt: now,
                openedAt: now, closedAt: nil, closingAt: now.adding(days: 100), thresholds: [Threshold(name: "response", signatures: 10)]
            ))
        }
        await store.put(Petition(
            id: .init(5), action: "Hidden one", background: "x", additionalDetails: "", state: .hidden, signatureCount: 99, creatorName: nil,
            createdAt: now, updatedAt: now, openedAt: nil, closedAt: nil, closingAt: nil, thresholds: []
        ))
        return store
    }

    @Test func theListPagesFiltersAndLinksLikeTheUKSite() async throws {
        let (app, _) = try await TestApp.make(store: try await store())
        try await app.test(.router) { client in
            let b = Browser()
            var response = try await b.send(client, .get, "/petitions.json?count=2")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            #expect(response.headers[.cacheControl]?.contains("max-age") == true)
            let data = try #require(response.json?["data"]?.arrayValue)
            #expect(data.compactMap { $0["id"]?.intValue } == [4, 3], "most signatures first, hidden ones never")
            #expect(data.first?["type"]?.stringValue == "petition")
            #expect(data.first?["links"]?["self"]?.stringValue?.hasSuffix("/petitions/4.json") == true)
            #expect(data.first?["attributes"]?["signatures_by_country"] == nil, "the list has no per-area counts")
            let links = try #require(response.json?["links"])
            #expect(links["prev"] == .null)
            #expect(links["next"]?.stringValue?.contains("page=2") == true)
            #expect(links["last"]?.stringValue?.contains("page=2") == true)
            response = try await b.send(client, .get, "/petitions.json?count=2&page=2")
            #expect(response.json?["data"]?.arrayValue?.compactMap { $0["id"]?.intValue } == [2, 1])
            #expect(response.json?["links"]?["next"] == .null)
            response = try await b.send(client, .get, "/petitions.json?state=rejected")
            #expect(response.json?["data"]?.arrayValue?.compactMap { $0["id"]?.intValue } == [4])
            response = try await b.send(client, .get, "/petitions.json?q=parks%20RIVERS")
            #expect(response.json?["data"]?.arrayValue?.compactMap { $0["id"]?.intValue } == [3])
            #expect(try await b.send(client, .get, "/petitions.json?state=secret").status == .unprocessableContent)

            response = try await b.send(client, .get, "/petitions.csv")
            let lines = response.text.components(separatedBy: "\r\n")
            #expect(lines.last == "", "every line ends with CRLF")
            #expect(lines.first == #""Petition","URL","State","Signatures Count""#)
            #expect(lines.contains { $0.hasPrefix(#""Petition number 4 about ""trees""","#) && $0.hasSuffix(#","rejected","40""#) })
            #expect(!response.text.contains("Hidden one"))

            response = try await b.send(client, .get, "/petitions/2/count.json")
            let keys = ["signature_count", "response_threshold_reached_at", "government_response_at", "debate_threshold_reached_at",
                        "scheduled_debate_date", "debate_outcome_at", "debated"]
            let positions = keys.compactMap { response.text.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.count == keys.count && positions == positions.sorted(), "the UK site's keys, in its order: \(response.text)")
            #expect(response.json?["signature_count"]?.intValue == 20)
        }
    }
}

@Suite struct MailerCommandTests {
    @Test func theSendmailSettingSplitsLikeAShell() {
        #expect(Mailer.words("msmtp -C /etc/hemicycle/msmtprc -t -i") == ["msmtp", "-C", "/etc/hemicycle/msmtprc", "-t", "-i"])
        #expect(Mailer.words(#"/opt/my tools/send "a b" 'c d'  e"#) == ["/opt/my", "tools/send", "a b", "c d", "e"])
        #expect(Mailer.words(#"send "" x"#) == ["send", "", "x"])
    }
}

@Suite struct SharingMetadataTests {
    @Test func petitionAndSittingPagesPreviewWellWhenShared() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let b = Browser()
            var page = try await b.send(client, .get, "/petitions/1").text
            #expect(page.contains(#"<meta property="og:title" content="Publish live signature counts for every petition">"#))
            #expect(page.contains(#"<meta property="og:description" content="0 signatures. "#), "the count as of rendering")
            #expect(page.contains(#"<meta property="og:url" content="http://"#) && page.contains(#"/petitions/1">"#))
            #expect(page.contains(#"<meta property="og:type" content="website">"#) && page.contains(#"<meta name="twitter:card" content="summary">"#))
            _ = try await b.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Ada","email":"ada@example.org"}"#)
            page = try await b.send(client, .get, "/petitions/1").text
            #expect(page.contains(#"<meta name="twitter:description" content="1 signature. "#))
            page = try await b.send(client, .get, "/sittings/1").text
            #expect(page.contains(#"<meta property="og:title" content="Public hearing: citizens&#39; participation"#) || page.contains(#"<meta property="og:title" content="Public hearing: citizens"#))
            #expect(page.contains("0 questions published"))
        }
    }
}

@Suite struct OutreachHTTPTests {
    @Test func feedsListWhatHappenedAndPagesLinkToThem() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let b = Browser(), moderator = Browser()
            var response = try await b.send(client, .get, "/feeds/petitions.atom")
            #expect(response.headers[.contentType]?.hasPrefix("application/atom+xml") == true)
            #expect(response.text.hasPrefix(#"<?xml version="1.0" encoding="utf-8"?>"#))
            #expect(response.text.contains("<title>Publish live signature counts for every petition</title>"))
            response = try await b.send(client, .get, "/feeds/sittings.atom")
            #expect(response.text.contains("<title>Second sitting</title>"))
            #expect(try await b.send(client, .get, "/feeds/responses.atom").text.contains("<entry>") == false)
            try await moderator.logIn(client, "pmod@example.org")
            _ = try await moderator.send(client, .put, "/api/v1/petitions/1/government-response",
                                         json: #"{"responded_on":"2026-12-01","summary":"We agree & will act \"soon\".","details":"D"}"#)
            response = try await b.send(client, .get, "/feeds/responses.atom")
            #expect(response.text.contains("<summary>We agree &amp; will act &quot;soon&quot;.</summary>"), "text is escaped")
            let page = try await b.send(client, .get, "/petitions/1").text
            #expect(page.contains(#"<link rel="alternate" type="application/atom+xml" title="New petitions" href="/feeds/petitions.atom">"#))
            #expect(page.contains("/embed/petitions/1"), "the page offers the embed snippet")
            #expect(try await b.send(client, .get, "/sittings").text.contains(#"href="/feeds/sittings.atom""#))
        }
        _ = store
    }

    @Test func theEmbedIsAFrameableLiveCount() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let b = Browser()
            let embed = try await b.send(client, .get, "/embed/petitions/1")
            #expect(embed.status == .ok)
            #expect(embed.headers[.contentSecurityPolicy]?.contains("frame-ancestors *") == true, "other sites may frame it")
            #expect(embed.text.contains(#"id="signature-count""#) && embed.text.contains(/\/static\/[0-9a-f]{12}\/js\/embed-count\.js/))
            let page = try await b.send(client, .get, "/petitions/1")
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'self'") == true, "the rest may not")
            #expect(try await b.send(client, .get, "/embed/petitions/999").status == .notFound)
        }
    }
}

@Suite struct HistoryHTTPTests {
    @Test func theCountOverTimeAddsUpToTheCount() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let b = Browser()
            for n in 0..<3 {
                _ = try await b.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Signer \#(n)","email":"s\#(n)@example.org"}"#)
            }
            let response = try await b.send(client, .get, "/petitions/1/history.json")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            for series in ["minute", "hour", "day"] {
                let points = try #require(response.json?[series]?.arrayValue, "\(series)")
                #expect(points.last?["count"]?.intValue == 3, "\(series) ends at the count")
                #expect(points.compactMap { $0["added"]?.intValue }.reduce(0, +) == 3)
            }
            #expect(try await b.send(client, .get, "/petitions/999/history.json").status == .notFound)
        }
    }
}
