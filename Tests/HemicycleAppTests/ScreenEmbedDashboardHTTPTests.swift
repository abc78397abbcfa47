import HTTPTypes
@testable import HemicycleApp
import HemicycleCore
import Hummingbird
import HummingbirdTesting
import Testing

/// The committee-room screen (join address, QR code, states), the embed's variants and the dashboard's series.
@Suite struct ScreenEmbedDashboardHTTPTests {
    @Test func theScreenShowsTheJoinAddressAndItsQRCode() async throws {
        let (app, _) = try await HearingFixture.make { $0.publicURL = "https://parliament.example/" }
        try await app.test(.router) { client in
            let b = Browser()
            let page = try await b.send(client, .get, "/sittings/1/screen")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<img class="screen__qr" id="screen-qr" src="/sittings/1/qr.svg" alt="QR code of the address parliament.example/sittings/1""#))
            #expect(page.text.contains(#"<p class="screen__address" id="join-address">parliament.example/sittings/1</p>"#))
            #expect(page.text.contains(#"data-state="scheduled""#))
            // The sitting starts tomorrow: not today, so the date is said.
            #expect(page.text.contains(/>Starts on [A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2} [AP]M<\/p>/), "a scheduled sitting says when it starts, with the date when not today")

            let qr = try await b.send(client, .get, "/sittings/1/qr.svg")
            #expect(qr.status == .ok)
            #expect(qr.headers[.contentType] == "image/svg+xml; charset=utf-8")
            #expect(qr.headers[.cacheControl] == "public, max-age=300")
            #expect(qr.text == (try QRCode(text: "https://parliament.example/sittings/1")).svg(title: "https://parliament.example/sittings/1"))
            #expect(qr.headers[.contentSecurityPolicy] != nil)
            #expect(try await b.send(client, .get, "/sittings/99/qr.svg").status == .notFound)
            #expect(try await b.send(client, .get, "/sittings/x/qr.svg").status == .notFound)
        }
    }

    /// (A hostile Host header is tried over a real socket in Tests/hostile/test_screen.py.)
    @Test func theQRCodeIsTheSitesOwnAddressWhateverTheHost() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let qr = try await Browser().send(client, .get, "/sittings/1/qr.svg")
            #expect(qr.status == .ok)
            #expect(qr.headers[.cacheControl] == "public, max-age=300")
            #expect(qr.text.contains("/sittings/1</title>") && qr.text.contains("<title>http://"))
        }
    }

    @Test func anEndedSittingShowsNothingOnScreenAndSaysWhenItEnded() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let asker = try await Browser.participant(client), moderator = Browser(), chair = Browser()
            let asked = try await asker.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Will fares fall?"}"#)
            let id = try #require(asked.json?["id"]?.intValue)
            try await moderator.logIn(client, "mod1@example.org")
            _ = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#)
            try await chair.logIn(client, "chair1@example.org")
            _ = try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"live"}"#)
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/on-screen", json: #"{"question":\#(id)}"#).status == .ok)
            var page = try await asker.send(client, .get, "/sittings/1/screen").text
            #expect(page.contains(#"id="screen-state" data-state="live""#) && page.contains(">Live</p>"))
            #expect(page.contains(#"data-question-id="\#(id)""#) && page.contains("Will fares fall?"))
            #expect(try await chair.send(client, .post, "/api/v1/sittings/1/state", json: #"{"state":"ended"}"#).status == .ok)
            page = try await asker.send(client, .get, "/sittings/1/screen").text
            #expect(page.contains(#"data-state="ended""#))
            #expect(page.contains(#"<section class="screen__current" id="on-screen" aria-labelledby="on-screen-heading" data-question-id="">"#))
            #expect(!page.contains("Will fares fall?"), "nothing is on screen once the sitting has ended")
            #expect(page.contains("Ended at "), "ended today: the time alone")
        }
    }

    @Test func theEmbedHasItsVariantsAndRefusesOthers() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let b = Browser()
            var embed = try await b.send(client, .get, "/embed/petitions/1")
            #expect(embed.text.contains(#"data-show="progress""#) && embed.text.contains(#"data-theme="light""#))
            #expect(embed.text.contains(/\/static\/[0-9a-f]{12}\/css\/embed\.css/) && !embed.text.contains("css/site.css"))
            #expect(embed.text.contains("% of 10,000 for a government response"))
            embed = try await b.send(client, .get, "/embed/petitions/1?show=count&theme=dark")
            #expect(embed.text.contains(#"data-show="count""#) && embed.text.contains(#"data-theme="dark""#))
            for bad in ["show=all", "theme=%22%3E%3Cscript%3E", "show="] {
                let refused = try await b.send(client, .get, "/embed/petitions/1?\(bad)")
                #expect(refused.status == .unprocessableContent, "\(bad)")
                #expect(!refused.text.contains("<script>"))
            }
            let page = try await b.send(client, .get, "/petitions/1").text
            #expect(page.contains("/embed/petitions/1?show=count") && page.contains("/embed/petitions/1?theme=dark"))
        }
    }

    @Test func theGoalIsTheFirstThresholdNotReached() {
        let t0 = Timestamp(millisecondsSince1970: 0)
        var petition = Petition(
            id: .init(1), action: "A", background: "B", additionalDetails: "", state: .open, signatureCount: 10_412, creatorName: nil,
            createdAt: t0, updatedAt: t0, openedAt: t0, closedAt: nil, closingAt: nil,
            thresholds: [Threshold(name: "response", signatures: 10_000, reachedAt: Timestamp(millisecondsSince1970: 1)), Threshold(name: "debate", signatures: 100_000)]
        )
        #expect(OutreachController.goal(petition)?["text"] as? String == "10% of 100,000 for a debate")
        petition.thresholds[1].reachedAt = Timestamp(millisecondsSince1970: 2)
        #expect(OutreachController.goal(petition)?["text"] as? String == "Reached 100,000 for a debate")
        petition.thresholds = []
        #expect(OutreachController.goal(petition) == nil)
    }

    @Test func theDashboardSeriesFollowTheTallies() async throws {
        let (app, _) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let b = try await Browser.participant(client)
            _ = try await b.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"A question for the series?"}"#)
            let tally = try #require(try await b.send(client, .get, "/api/v1/dashboard").json)
            let answer = try await b.send(client, .get, "/api/v1/dashboard/series")
            #expect(answer.status == .ok)
            #expect(answer.headers[.accessControlAllowOrigin] == "*")
            let json = try #require(answer.json)
            #expect(json["window_minutes"]?.intValue == 720)
            let sittings = try #require(json["sittings"]?.arrayValue)
            #expect(sittings.map { $0["id"]?.intValue } == tally["sittings"]?.arrayValue?.map { $0["id"]?.intValue }, "the tally's order")
            let first = try #require(sittings.first { $0["id"]?.intValue == 1 })
            #expect(first["peak"] == .null, "nobody watched")
            let minute = try #require(first["minutes"]?.arrayValue?.last)
            #expect(minute["submitted"]?.intValue == 1)
            #expect(minute["viewers"]?.intValue == 0)
            #expect(minute["at"]?.stringValue?.hasSuffix(":00.000Z") == true)
        }
    }
}
