import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// Draft legislation over HTTP (Protocol/LEGISLATION.md §9): the demo bill, comments on a clause and on a passage,
/// moderation, stances, the marker, open data; every bad input refused with its code and nothing stored; permissions.
@Suite struct BillHTTPTests {
    typealias Backend = TestApp.Backend

    /// The hearing fixture plus bill staff: `mod1@…` moderates bill 1, `chair1@…` chairs it, `mod2@…` moderates
    /// nothing of it.
    static func make(_ backend: Backend) async throws -> (HemicycleApplication, any HemicycleStore) {
        let store = try await HearingFixture.store(backend)
        let (app, _) = try await TestApp.make(backend, store: store)
        return (app, store)
    }

    static func assignBillStaff(_ store: any HemicycleStore) async throws {
        for email in ["mod1@example.org", "chair1@example.org"] {
            let member = try #require(try await store.staff(email: email)?.member)
            try await store.setStaffBills(of: member.id, bills: [.init(1)], audit: nil)
        }
    }

    static func commentCount(_ store: any HemicycleStore) async throws -> Int {
        try await store.billState(.init(1))?.board.comments.count ?? -1
    }

    @Test(arguments: Backend.allCases)
    func aCommentGoesFromReaderToModeratorToEveryReader(_ backend: Backend) async throws {
        let (app, store) = try await Self.make(backend)
        try await Self.assignBillStaff(store)
        try await app.test(.router) { client in
            let reader = Browser(), supporter = Browser(), moderator = Browser(), chair = Browser()
            var response = try await reader.send(client, .get, "/bills")
            #expect(response.status == .ok)
            #expect(response.text.contains("SAFE BOTs Act"), "the demo seeds the sample bill")
            response = try await reader.send(client, .get, "/bills/1")
            #expect(response.status == .ok)
            #expect(reader.cookie("hc_participant") != nil, "the reading page issues a participant token")
            #expect(response.text.contains("id=\"sec_2__subsec_a\""), "each provision is anchored by its eId")
            #expect(response.text.contains("action=\"/bills/1/comments\""), "a no-JavaScript form per clause")
            _ = try await supporter.send(client, .get, "/bills/1")

            response = try await reader.send(client, .get, "/bills/1.json")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            let provisions = try #require(response.json?["provisions"]?.arrayValue)
            #expect(provisions.count == 61)
            #expect(provisions.first?["eId"]?.stringValue == "sec_1")
            #expect(response.json?["version"]?["open_for_comments"] == .bool(true))

            response = try await reader.send(
                client, .post, "/api/v1/bills/1/comments",
                json: #"{"eId":"sec_2__subsec_c__para_1","kind":"rewording","text":"Two hours is enough.","proposed_text":"2 hours","quote":{"exact":"3 hours"},"name":"Ana","region":"Wales"}"#)
            #expect(response.status == .created)
            #expect(response.json?["state"]?.stringValue == "submitted", "pre-moderation")
            let id = try #require(response.json?["id"]?.intValue)
            #expect(response.json?["comment"]?["anchor"]?["quote"]?["exact"]?.stringValue == "3 hours")
            #expect(response.json?["comment"]?["anchor"]?["position"]?["start"]?.intValue != nil, "the stored anchor is canonical")

            response = try await reader.send(client, .get, "/bills/1/comments.json")
            #expect(response.json?["comments"]?.arrayValue?.isEmpty == true, "not public before approval")
            response = try await supporter.send(client, .post, "/api/v1/bill-comments/\(id)/stance", json: #"{"stance":"support"}"#)
            #expect(response.status == .conflict, "a submitted comment takes no support")
            #expect(response.json?["error"]?["code"]?.stringValue == "comment_action_not_allowed")

            try await moderator.logIn(client, "mod1@example.org")
            response = try await moderator.send(client, .get, "/api/v1/bills/1/moderation?state=submitted")
            #expect(response.json?["comments"]?.arrayValue?.count == 1)
            response = try await moderator.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"approve"}"#)
            #expect(response.status == .ok)
            #expect(response.json?["comment"]?["state"]?.stringValue == "published")

            response = try await supporter.send(client, .post, "/api/v1/bill-comments/\(id)/stance", json: #"{"stance":"support"}"#)
            #expect(response.status == .ok)
            #expect(response.json?["supports"]?.intValue == 1)
            response = try await supporter.send(client, .post, "/api/v1/bill-comments/\(id)/stance", json: #"{"stance":"support"}"#)
            #expect(response.json?["error"]?["code"]?.stringValue == "stance_already_taken")
            response = try await reader.send(client, .post, "/api/v1/bill-comments/\(id)/stance", json: #"{"stance":"support"}"#)
            #expect(response.json?["error"]?["code"]?.stringValue == "own_comment")

            response = try await reader.send(client, .get, "/bills/1.json")
            let clause = response.json?["provisions"]?.arrayValue?.first { $0["eId"]?.stringValue == "sec_2__subsec_c__para_1" }
            #expect(clause?["counts"]?["rewordings"]?.intValue == 1)
            #expect(clause?["counts"]?["supports"]?.intValue == 1)
            response = try await reader.send(client, .get, "/bills/1/comments.json")
            let published = try #require(response.json?["comments"]?.arrayValue?.first)
            #expect(published["redline"]?.arrayValue?.contains { $0["op"]?.stringValue == "insert" && $0["text"]?.stringValue == "2" } == true)
            #expect(published["participant"] == nil, "no participant id in open data")
            response = try await reader.send(client, .get, "/bills/1/comments.csv")
            #expect(response.text.contains("\"Two hours is enough.\""))
            response = try await reader.send(client, .get, "/bills/1")
            #expect(response.text.contains("Two hours is enough."), "the reading page shows the published comment")
            response = try await reader.send(client, .get, "/bills/1/moderation-log.json")
            #expect(response.json?["entries"]?.arrayValue?.map { $0["action"]?.stringValue } == ["approve"])
            #expect(!response.text.contains("Two hours"), "the log has no text")

            try await chair.logIn(client, "chair1@example.org")
            response = try await chair.send(client, .post, "/api/v1/bills/1/marker", json: #"{"eId":"sec_2__subsec_c"}"#)
            #expect(response.status == .ok)
            #expect(response.json?["marker"]?["eId"]?.stringValue == "sec_2__subsec_c")
            response = try await reader.send(
                client, .post, "/api/v1/bills/1/comments", json: #"{"eId":"sec_2__subsec_c__para_2","kind":"question","text":"What about weekends?"}"#)
            #expect(response.json?["comment"]?["during_discussion"] == .bool(true), "written while its section was under discussion")
            response = try await reader.send(client, .get, "/bills/1.json")
            #expect(response.json?["marker"]?["eId"]?.stringValue == "sec_2__subsec_c")
        }
    }

    @Test func everyBadCommentIsRefusedWithItsCodeAndNothingStored() async throws {
        let (app, store) = try await Self.make(.memory)
        try await app.test(.router) { client in
            let reader = Browser()
            _ = try await reader.send(client, .get, "/bills/1")
            let cases: [(String, HTTPResponse.Status, String)] = [
                (#"{"eId":"sec_9","text":"Hi"}"#, .unprocessableContent, "unknown_provision"),
                (#"{"eId":"sec_2__subsec_a","text":"Hi","quote":{"exact":"not in this clause"}}"#, .unprocessableContent, "quote_not_found"),
                (#"{"eId":"sec_2__subsec_a","text":"Hi","quote":{"exact":"   "}}"#, .unprocessableContent, "quote_empty"),
                (#"{"eId":"sec_2__subsec_a","kind":"rewording","text":"Hi"}"#, .unprocessableContent, "proposed_text_required"),
                (#"{"eId":"sec_2__subsec_a","kind":"comment","text":"Hi","proposed_text":"x"}"#, .unprocessableContent, "proposed_text_not_allowed"),
                (#"{"eId":"sec_2__subsec_a","text":""}"#, .unprocessableContent, "invalid_text"),
                (#"{"eId":"sec_2__subsec_a","text":"<script>"}"#, .unprocessableContent, "invalid_text"),
                (#"{"eId":"sec_2__subsec_a","kind":"vote","text":"Hi"}"#, .unprocessableContent, "invalid_input"),
                (#"{"eId":"../etc","text":"Hi"}"#, .unprocessableContent, "invalid_input"),
                (#"{"eId":"sec_2__subsec_a","key":"sec_1","text":"Hi"}"#, .unprocessableContent, "provision_key_mismatch"),
                (#"{"eId":"sec_2__subsec_a","text":"Hi","position":{"start":5,"end":2},"quote":{"exact":"chatbot"}}"#, .unprocessableContent, "position_out_of_range"),
                (#"{"eId":"sec_2__subsec_a","text":"Hi","quote":{"exact":"chatbot"}}"#, .unprocessableContent, "quote_ambiguous"),
                (#"{"text":"Hi"}"#, .unprocessableContent, "invalid_input"),
                (#"{"eId":"sec_2__subsec_a","text":"\#(String(repeating: "a", count: 1001))"}"#, .unprocessableContent, "invalid_text"),
            ]
            for (body, status, code) in cases {
                let response = try await reader.send(client, .post, "/api/v1/bills/1/comments", json: body)
                #expect(response.status == status, "\(body.prefix(80))")
                #expect(response.json?["error"]?["code"]?.stringValue == code, "\(body.prefix(80)): \(response.text.prefix(200))")
            }
            var response = try await Browser().send(client, .post, "/api/v1/bills/1/comments", json: #"{"eId":"sec_1","text":"Hi"}"#)
            #expect(response.json?["error"]?["code"]?.stringValue == "participant_required", "no participant cookie")
            response = try await reader.send(client, .post, "/api/v1/bills/99/comments", json: #"{"eId":"sec_1","text":"Hi"}"#)
            #expect(response.status == .notFound)
            response = try await reader.send(client, .post, "/api/v1/bills/1/comments", json: "[1]")
            #expect(response.status == .badRequest)
            #expect(try await Self.commentCount(store) == 0, "nothing stored")
            // The limit: 3 comments a minute per participant.
            for n in 0..<3 {
                response = try await reader.send(client, .post, "/api/v1/bills/1/comments", json: #"{"eId":"sec_1","text":"Comment \#(n)"}"#)
                #expect(response.status == .created)
            }
            response = try await reader.send(client, .post, "/api/v1/bills/1/comments", json: #"{"eId":"sec_1","text":"One too many"}"#)
            #expect(response.status == .tooManyRequests)
            #expect(try await Self.commentCount(store) == 3)
        }
    }

    @Test func aClosedWindowTakesNoComment() async throws {
        let (app, store) = try await Self.make(.memory)
        _ = try await store.withBill(.init(1)) { state in
            guard var version = state.current, let window = CommentWindow(
                opens: Timestamp(millisecondsSince1970: 1_000), closes: Timestamp(millisecondsSince1970: 2_000)) else { return }
            try version.setWindow(window)
            state.put(version)
        }
        // The service read the bill at start; a fresh application sees the closed window.
        let (closed, _) = try await TestApp.make(.memory, store: store)
        _ = app
        try await closed.test(.router) { client in
            let reader = Browser()
            var response = try await reader.send(client, .get, "/bills/1")
            #expect(!response.text.contains("action=\"/bills/1/comments\""), "no form on a closed consultation")
            response = try await reader.send(client, .post, "/api/v1/bills/1/comments", json: #"{"eId":"sec_1","text":"Late"}"#)
            #expect(response.status == .conflict)
            #expect(response.json?["error"]?["code"]?.stringValue == "window_closed")
        }
        #expect(try await Self.commentCount(store) == 0)
    }

    @Test func onlyTheBillsStaffModerateAndMoveTheMarker() async throws {
        let (app, store) = try await Self.make(.memory)
        try await Self.assignBillStaff(store)
        try await app.test(.router) { client in
            let reader = Browser(), outsider = Browser(), moderator = Browser(), otherModerator = Browser(), chair = Browser(), admin = Browser()
            _ = try await reader.send(client, .get, "/bills/1")
            var response = try await reader.send(client, .post, "/api/v1/bills/1/comments", json: #"{"eId":"sec_1","text":"A comment"}"#)
            let id = try #require(response.json?["id"]?.intValue)
            response = try await reader.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"approve"}"#)
            #expect(response.status == .unauthorized, "a participant cannot moderate")
            try await otherModerator.logIn(client, "mod2@example.org")
            response = try await otherModerator.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"approve"}"#)
            #expect(response.status == .forbidden, "a moderator of another committee cannot act")
            response = try await otherModerator.send(client, .get, "/api/v1/bills/1/moderation")
            #expect(response.status == .forbidden)
            response = try await otherModerator.send(client, .post, "/api/v1/bills/1/marker", json: #"{"eId":"sec_1"}"#)
            #expect(response.status == .forbidden)
            try await moderator.logIn(client, "mod1@example.org")
            response = try await moderator.send(client, .post, "/api/v1/bills/1/marker", json: #"{"eId":"sec_1"}"#)
            #expect(response.status == .forbidden, "a moderator does not run the mark-up")
            response = try await moderator.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"reject","reason":"not_a_reason"}"#)
            #expect(response.json?["error"]?["code"]?.stringValue == "unknown_reason")
            response = try await moderator.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"shred"}"#)
            #expect(response.json?["error"]?["code"]?.stringValue == "invalid_input")
            response = try await moderator.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"merge","into":\#(id)}"#)
            #expect(response.json?["error"]?["code"]?.stringValue == "merge_into_itself")
            response = try await moderator.send(client, .post, "/api/v1/bill-comments/999/moderation", json: #"{"action":"approve"}"#)
            #expect(response.status == .notFound)
            #expect(try await store.billState(.init(1))?.board[.init(id)]?.state == .submitted, "nothing changed")
            #expect(try await store.billModerationLog(of: .init(1)).isEmpty)

            try await chair.logIn(client, "chair1@example.org")
            response = try await chair.send(client, .post, "/api/v1/bills/1/marker", json: #"{"eId":"sec_77"}"#)
            #expect(response.json?["error"]?["code"]?.stringValue == "unknown_provision")
            response = try await chair.send(client, .post, "/api/v1/bills/1/marker", json: #"{"eId":7}"#)
            #expect(response.json?["error"]?["code"]?.stringValue == "invalid_input")
            #expect(try await store.billState(.init(1))?.board.marker == nil)
            response = try await chair.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"approve"}"#)
            #expect(response.status == .forbidden, "a chair does not moderate")
            _ = try await outsider.send(client, .get, "/bills/1")
            response = try await outsider.send(client, .delete, "/api/v1/bill-comments/\(id)")
            #expect(response.json?["error"]?["code"]?.stringValue == "not_author")
            try await admin.logIn(client, "admin@example.org")
            response = try await admin.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"approve"}"#)
            #expect(response.status == .ok, "an admin moderates every bill")
            response = try await admin.send(client, .post, "/api/v1/bills/1/marker", json: #"{"eId":null}"#)
            #expect(response.status == .ok)
        }
    }

    /// The bill console carries the staff bar of every other staff page (header.mustache): who is signed in with the
    /// role in words, the staff home, and a logout form whose token works.
    @Test func theBillConsoleHasTheStaffBarOfEveryStaffPage() async throws {
        let (app, store) = try await Self.make(.memory)
        try await Self.assignBillStaff(store)
        try await app.test(.router) { client in
            let moderator = Browser()
            try await moderator.logIn(client, "mod1@example.org")
            var page = try await moderator.send(client, .get, "/bills/1/moderate")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<div class="staff-bar">"#), "the bar is there")
            #expect(page.text.contains(#"<strong id="staff-name">mod1</strong>"#))
            #expect(page.text.contains(#"<span class="staff-bar__role">(Moderator)</span>"#), "the role in words, not its code")
            #expect(page.text.contains(#"<a class="staff-bar__link" href="/staff">"#))
            let token = try StaffAccountsHTTPTests.csrf(page)
            // The same bar as the sitting's console (the same template part, the same context).
            let sittingConsole = try await moderator.send(client, .get, "/sittings/1/moderate")
            #expect(sittingConsole.text.contains(#"<span class="staff-bar__role">(Moderator)</span>"#))
            page = try await moderator.send(client, .get, "/bills/1/moderate?lang=fr")
            #expect(page.text.contains(#"<span class="staff-bar__role">(Modérateur)</span>"#), "in the page's language")
            #expect(page.text.contains("Se déconnecter"))

            let out = try await moderator.send(client, .post, "/staff/logout", form: "csrf_token=\(token)")
            #expect(out.status == .seeOther, "the bar's logout form works")
            #expect(out.headers[.location] == "/staff/login")
            page = try await moderator.send(client, .get, "/bills/1/moderate")
            #expect(page.status == .seeOther, "signed out: the console sends to the login page")
            #expect(page.headers[.location] == "/staff/login?next=/bills/1/moderate")
        }
    }

    @Test func theNoJavaScriptFormCommentsOnAClause() async throws {
        let (app, store) = try await Self.make(.memory)
        try await app.test(.router) { client in
            let reader = Browser()
            let page = try await reader.send(client, .get, "/bills/1")
            let start = try #require(page.text.range(of: "name=\"csrf_token\" value=\"")).upperBound
            let token = page.text[start...].prefix { character in character != "\"" }
            var response = try await reader.send(client, .post, "/bills/1/comments", form: "csrf_token=\(token)&eId=sec_1&kind=comment&text=From+a+form")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/bills/1?commented=1#sec_1")
            response = try await reader.send(client, .post, "/bills/1/comments", form: "csrf_token=\(token)&eId=sec_1&kind=comment&text=")
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("error-summary"), "the page again, with the error")
            response = try await reader.send(client, .post, "/bills/1/comments", form: "csrf_token=forged&eId=sec_1&kind=comment&text=Forged")
            #expect(response.status == .forbidden)
        }
        #expect(try await Self.commentCount(store) == 1)
    }

    @Test(arguments: Backend.allCases)
    func theReportIsPublicAndTheClerkFreezesItForGood(_ backend: Backend) async throws {
        let (app, store) = try await Self.make(backend)
        try await Self.assignBillStaff(store)
        try await app.test(.router) { client in
            let reader = Browser(), moderator = Browser(), chair = Browser(), otherModerator = Browser()
            _ = try await reader.send(client, .get, "/bills/1")
            var response = try await reader.send(
                client, .post, "/api/v1/bills/1/comments",
                json: #"{"eId":"sec_2__subsec_c__para_1","kind":"rewording","text":"Two hours is enough.","proposed_text":"2 hours","quote":{"exact":"3 hours"}}"#)
            let id = try #require(response.json?["id"]?.intValue)
            response = try await reader.send(client, .post, "/api/v1/bills/1/comments", json: #"{"eId":"sec_1","text":"Spam spam"}"#)
            let spam = try #require(response.json?["id"]?.intValue)
            try await moderator.logIn(client, "mod1@example.org")
            _ = try await moderator.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"approve"}"#)
            _ = try await moderator.send(client, .post, "/api/v1/bill-comments/\(spam)/moderation", json: #"{"action":"reject","reason":"advertising"}"#)

            response = try await reader.send(client, .get, "/bills/1/report.json")
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            let clauses = try #require(response.json?["clauses"]?.arrayValue)
            #expect(clauses.count == 61, "every provision")
            let clause = try #require(clauses.first { $0["eId"]?.stringValue == "sec_2__subsec_c__para_1" })
            #expect(clause["counts"]?["rewordings"]?.intValue == 1)
            #expect(clause["top_rewordings"]?.arrayValue?.first?["redline"]?.arrayValue?.contains { $0["op"]?.stringValue == "insert" } == true)
            let first = try #require(clauses.first { $0["eId"]?.stringValue == "sec_1" })
            #expect(first["hidden"]?.intValue == 1)
            #expect(first["rejected"]?.arrayValue?.first?["reason"]?.stringValue == "advertising")
            #expect(!response.text.contains("Spam spam"), "a rejected comment's text is not in the report")
            #expect(response.json?["methodology"]?["states"]?["rejected"]?.intValue == 1)
            #expect(response.json?["methodology"]?["moderation"]?.stringValue == "pre")
            response = try await reader.send(client, .get, "/bills/1/report")
            #expect(response.status == .ok)
            #expect(response.text.contains("Two hours is enough."))
            #expect(response.text.contains("<ins>2</ins>"), "the rewording as a redline")
            #expect(response.text.contains("id=\"report-methodology\""))
            response = try await reader.send(client, .get, "/bills/1/report.csv")
            #expect(response.text.hasPrefix("\"eId\",\"key\",\"label\""))
            #expect(response.text.contains("\"advertising: 1\""))

            // Freezing: the bill's clerks and chairs and admins only; nothing stored otherwise.
            response = try await reader.send(client, .post, "/api/v1/bills/1/report/freeze", json: "{}")
            #expect(response.status == .unauthorized)
            response = try await moderator.send(client, .post, "/api/v1/bills/1/report/freeze", json: "{}")
            #expect(response.status == .forbidden, "a moderator does not freeze the report")
            try await otherModerator.logIn(client, "mod2@example.org")
            response = try await otherModerator.send(client, .post, "/api/v1/bills/1/report/freeze", json: "{}")
            #expect(response.status == .forbidden)
            #expect(try await store.frozenReports(of: .init(1)).isEmpty, "nothing frozen")
            try await chair.logIn(client, "chair1@example.org")
            response = try await chair.send(client, .post, "/api/v1/bills/1/report/freeze", json: "{}")
            #expect(response.status == .created)
            let sha = try #require(response.json?["report"]?["sha256"]?.stringValue)
            #expect(sha.count == 64 && sha.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            let url = try #require(response.json?["report"]?["url"]?.stringValue)
            response = try await reader.send(client, .get, "\(url).json")
            #expect(response.status == .ok)
            #expect(response.headers[.eTag] == "\"\(sha)\"")
            let frozenBody = response.text
            #expect(frozenBody == (try await store.frozenReports(of: .init(1)).first?.json), "the stored bytes, as frozen")
            #expect(try await store.frozenReports(of: .init(1)).first?.sha256 == sha)

            // Later activity changes the live report, never the frozen one.
            _ = try await moderator.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"edit","text":"Two hours is plenty."}"#)
            response = try await reader.send(client, .get, "\(url).json")
            #expect(response.text == frozenBody)
            response = try await reader.send(client, .get, "/bills/1/report.json")
            #expect(response.text.contains("Two hours is plenty."))
            response = try await reader.send(client, .get, url)
            #expect(response.status == .ok)
            #expect(response.text.contains(sha), "the frozen page shows its hash")
            #expect(response.text.contains("Two hours is enough."), "and what was frozen")
            response = try await reader.send(client, .get, "/bills/1/report")
            #expect(response.text.contains(url), "the live report lists the frozen ones")
            for missing in ["/bills/1/reports/999", "/bills/1/reports/999.json", "/bills/1/reports/x.json", "/bills/2/reports/1.json"] {
                response = try await reader.send(client, .get, missing)
                #expect(response.status == .notFound, "\(missing)")
            }
        }
    }

    /// The words of a provision's counts link (`#counts-{eId}`) on a reading page, tags dropped.
    static func countsText(_ page: String, _ eId: String) -> String? {
        guard let start = page.range(of: "id=\"counts-\(eId)\""), let end = page.range(of: "</a>", range: start.upperBound..<page.endIndex)
        else { return nil }
        let inner = page[start.upperBound..<end.lowerBound].drop { $0 != ">" }.dropFirst()
        return inner.replacing(/<[^>]*>/, with: "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func theReadingPagesCountsAgreeWithTheirNumbersInEachLanguage() async throws {
        let (app, _) = try await Self.make(.memory)
        try await app.test(.router) { client in
            let ana = Browser(), ben = Browser(), admin = Browser()
            try await admin.logIn(client, "admin@example.org")
            _ = try await ana.send(client, .get, "/bills/1")
            _ = try await ben.send(client, .get, "/bills/1")
            var ids: [Int64] = []
            for (reader, body) in [
                (ana, #"{"eId":"sec_1","text":"Short and clear."}"#), (ben, #"{"eId":"sec_1","text":"Too short."}"#),
                (ben, #"{"eId":"sec_2__subsec_a","text":"Say who checks."}"#),
            ] {
                let response = try await reader.send(client, .post, "/api/v1/bills/1/comments", json: body)
                let id = try #require(response.json?["id"]?.intValue)
                ids.append(id)
            }
            for id in ids {
                let response = try await admin.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"approve"}"#)
                #expect(response.status == .ok)
            }
            let stance = try await ana.send(client, .post, "/api/v1/bill-comments/\(ids[2])/stance", json: #"{"stance":"support"}"#)
            #expect(stance.json?["supports"]?.intValue == 1)

            var page = try await ana.send(client, .get, "/bills/1?lang=en").text
            #expect(Self.countsText(page, "sec_1") == "2 comments · 0 rewordings · 0 supports")
            #expect(Self.countsText(page, "sec_2__subsec_a") == "1 comment · 0 rewordings · 1 support")
            #expect(Self.countsText(page, "sec_2__subsec_b") == "0 comments · 0 rewordings · 0 supports")
            #expect(page.contains(#"<span data-count-noun="total">comment</span>"#), "the nouns are marked for the live counts")
            page = try await ana.send(client, .get, "/bills/1?lang=fr").text
            #expect(Self.countsText(page, "sec_1") == "2 commentaires · 0 reformulation · 0 soutien")
            #expect(Self.countsText(page, "sec_2__subsec_a") == "1 commentaire · 0 reformulation · 1 soutien")
            #expect(Self.countsText(page, "sec_2__subsec_b") == "0 commentaire · 0 reformulation · 0 soutien")
            #expect(page.contains("bill_count_comments_one"), "the page ships the nouns its script redraws")
        }
    }

    @Test func theHomePageAndTheDashboardListOpenConsultationsAndThePagesSpeakFrench() async throws {
        let (app, store) = try await Self.make(.memory)
        try await app.test(.router) { client in
            let reader = Browser(), admin = Browser()
            _ = try await reader.send(client, .get, "/bills/1")
            var response = try await reader.send(client, .post, "/api/v1/bills/1/comments", json: #"{"eId":"sec_1","text":"Short and clear."}"#)
            let id = try #require(response.json?["id"]?.intValue)
            try await admin.logIn(client, "admin@example.org")
            _ = try await admin.send(client, .post, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"approve"}"#)
            _ = try await admin.send(client, .post, "/api/v1/bills/1/marker", json: #"{"eId":"sec_2"}"#)

            response = try await reader.send(client, .get, "/")
            #expect(response.text.contains("id=\"home-bills\""))
            #expect(response.text.contains("href=\"/bills/1\""), "the open consultation is on the home page")
            response = try await reader.send(client, .get, "/dashboard")
            #expect(response.status == .ok)
            #expect(response.text.contains("id=\"dashboard-bills\""))
            #expect(response.text.contains("data-bill-id=\"1\""), "the open consultation is on the dashboard")
            #expect(response.text.contains("href=\"/bills/1#sec_1\""), "with its most commented provision")
            #expect(response.text.contains("Section 2"), "and the provision under discussion")
            #expect(response.text.contains("</a>: 1 comment, 0 supports</li>"), "each count with its noun in the right number")
            #expect(response.text.contains(#"<dt class="stats__label">Published comments</dt>"#))
            response = try await reader.send(client, .get, "/dashboard?lang=fr")
            #expect(response.text.contains("</a>: 1 commentaire, 0 soutien</li>"), "French takes the singular for 0")

            response = try await reader.send(client, .get, "/bills/1?lang=fr")
            #expect(response.text.contains("Ouvert aux commentaires"))
            #expect(response.text.contains("Envoyer le commentaire"))
            response = try await reader.send(client, .get, "/bills?lang=fr")
            #expect(response.text.contains("Projets de loi"))
            response = try await reader.send(client, .get, "/bills/1/report?lang=fr")
            #expect(response.text.contains("Rapport à la commission"))
            #expect(response.text.contains("Modération a priori"))
            #expect(response.text.contains("commentaires publiés au <time"), "the report's time in words")
            #expect(response.text.range(of: #"<time datetime="[^"]+">\d{4}-\d\d-\d\dT"#, options: .regularExpression) == nil, "not an ISO stamp")
        }
        // Closed: the consultation leaves the home page and the dashboard.
        _ = try await store.withBill(.init(1)) { state in
            guard var version = state.current, let window = CommentWindow(
                opens: Timestamp(millisecondsSince1970: 1_000), closes: Timestamp(millisecondsSince1970: 2_000)) else { return }
            try version.setWindow(window)
            state.put(version)
        }
        let (closed, _) = try await TestApp.make(.memory, store: store)
        try await closed.test(.router) { client in
            var response = try await Browser().send(client, .get, "/")
            #expect(!response.text.contains("href=\"/bills/1\""))
            response = try await Browser().send(client, .get, "/dashboard")
            #expect(!response.text.contains("data-bill-id=\"1\""))
        }
    }

    /// Publishes version 2 of the sample bill (Protocol/examples/legislation/sample-bill-v2.txt) after approving every
    /// comment, as `hemicycle bills import --bill 1 --publish --accept-uncertain` does.
    static func publishVersion2(_ store: any HemicycleStore) async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Protocol/examples/legislation/sample-bill-v2.txt")
        let document = try PlainTextBillImporter.read(Array(try Data(contentsOf: url)))
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        _ = try await store.withBill(.init(1)) { state in
            for id in state.board.comments.keys.sorted() {
                _ = try state.board.apply(.approve, to: id, settings: state.bill.settings, at: now)
            }
            guard let current = state.current else { throw StoreError(.notFound, "no published version") }
            state.put(BillVersion(billID: state.bill.id, number: 2, document: document, window: current.window))
            _ = try VersionPublisher.publishLatest(versions: &state.versions, board: &state.board, acceptUncertain: true, at: now)
        }
    }

    /// The comment `id`'s entry on a reading page (from its `<li` to its `</li>`).
    static func entry(_ page: String, comment id: Int64) -> String {
        guard let start = page.range(of: "id=\"bill-comment-\(id)\"") else { return "" }
        let rest = page[start.lowerBound...]
        return String(rest[..<(rest.range(of: "</li>")?.upperBound ?? rest.endIndex)])
    }

    @Test func readersSeeWhatChangedAndAnAuthorIsToldTheirClauseChanged() async throws {
        let (app, store) = try await Self.make(.memory)
        let author = Browser(), other = Browser()
        try await app.test(.router) { client in
            _ = try await author.send(client, .get, "/bills/1")
            _ = try await other.send(client, .get, "/bills/1")
            for (who, body) in [
                (author, #"{"eId":"sec_2__subsec_c__para_1","kind":"comment","text":"Three hours is too long.","quote":{"exact":"3 hours"}}"#),
                (author, #"{"eId":"sec_1","kind":"comment","text":"A fine title."}"#),
                (other, #"{"eId":"sec_2__subsec_c__para_1","kind":"question","text":"Why a break at all?"}"#),
                (author, #"{"eId":"sec_2__subsec_h","kind":"comment","text":"Keep the states out."}"#),
            ] {
                let response = try await who.send(client, .post, "/api/v1/bills/1/comments", json: body)
                #expect(response.status == .created)
            }
            let page = try await author.send(client, .get, "/bills/1").text
            #expect(!page.contains("id=\"version-changes\"") && !page.contains("class=\"clause-change\""), "version 1 has nothing to compare with")
            var response = try await author.send(client, .get, "/bills/1/versions/1/changes")
            #expect(response.status == .notFound, "version 1 changed nothing")
            response = try await author.send(client, .get, "/bills/1/versions/2/changes.json")
            #expect(response.status == .notFound)
            #expect(response.json?["error"]?["code"]?.stringValue == "not_found")
        }
        // The four comments, in the order they were written.
        let ids = try #require(try await store.billState(.init(1))?.board.comments.keys.sorted().map(\.rawValue))
        try #require(ids.count == 4)
        try await Self.publishVersion2(store)
        // The service read the bill at start; a fresh application sees version 2 (a running one within 30 seconds).
        let (fresh, _) = try await TestApp.make(.memory, store: store)
        try await fresh.test(.router) { client in
            var response = try await author.send(client, .get, "/bills/1")
            let page = response.text
            #expect(page.contains("id=\"version-changes\""), "the page says what changed since version 1")
            #expect(page.contains("href=\"/bills/1/versions/2/changes\""))
            // Per clause, without JavaScript (a details element), and not by colour alone: struck and inserted words
            // are del and ins elements, each said in words.
            #expect(page.contains("id=\"diff-sec_2__subsec_c__para_1\""))
            #expect(page.contains("<del><span class=\"visually-hidden\">Deleted: </span>3<span class=\"visually-hidden\"> (end of deletion)</span></del>"))
            #expect(page.contains("<ins><span class=\"visually-hidden\">Inserted: </span>2<span class=\"visually-hidden\"> (end of insertion)</span></ins>"))
            #expect(page.contains("id=\"diff-sec_2__subsec_h\""), "the renumbered (i), now (h)")
            #expect(page.contains("formerly (i)"))
            #expect(!page.contains("id=\"diff-sec_1\""), "an unchanged clause has no diff")

            // The author is told, on their comments whose clause changed, with a link to the diff.
            let changed = Self.entry(page, comment: ids[0])
            #expect(changed.contains("data-changed-in=\"2\"") && changed.contains("This clause changed in version 2"))
            #expect(changed.contains("href=\"/bills/1/versions/2/changes#change-sec_2__subsec_c__para_1\""))
            #expect(changed.contains("moved from an earlier version"), "the comment carried to version 2, with its status")
            #expect(!Self.entry(page, comment: ids[1]).contains("bill-comment__changed"), "its clause did not change")
            let removed = Self.entry(page, comment: ids[3])
            #expect(removed.contains("This clause was removed in version 2") && removed.contains("href=\"/bills/1/versions/2/changes#removed\""))
            #expect(!Self.entry(page, comment: ids[2]).contains("bill-comment__changed"), "someone else's comment: not the author's notice")

            // The other participant is told about their own comment only.
            let theirs = try await other.send(client, .get, "/bills/1").text
            #expect(Self.entry(theirs, comment: ids[2]).contains("This clause changed in version 2"))
            #expect(!Self.entry(theirs, comment: ids[0]).contains("bill-comment__changed"))
            #expect(!(try await Browser().send(client, .get, "/bills/1")).text.contains("bill-comment__changed"), "a stranger is told nothing")

            // The changes page: every clause that changed, was added or renumbered, and those removed.
            response = try await Browser().send(client, .get, "/bills/1/versions/2/changes")
            #expect(response.status == .ok)
            for id in ["change-sec_2__subsec_c__para_1", "change-sec_2__subsec_g__para_2__point_F", "change-sec_2__subsec_h", "removed-sec_2__subsec_h"] {
                #expect(response.text.contains("id=\"\(id)\""), "\(id)")
            }
            #expect(!response.text.contains("id=\"change-sec_1\""))
            #expect(response.text.contains("This provision is new"))
            response = try await Browser().send(client, .get, "/bills/1/versions/2/changes?lang=fr")
            #expect(response.text.contains("Ce qui a changé dans la version"))

            // Its open data.
            response = try await Browser().send(client, .get, "/bills/1/versions/2/changes.json")
            #expect(response.status == .ok && response.headers[.accessControlAllowOrigin] == "*")
            #expect(response.json?["from"]?.intValue == 1 && response.json?["to"]?.intValue == 2)
            let clauses = try #require(response.json?["clauses"]?.arrayValue)
            let provisionCount = try await store.billState(.init(1))?.current?.provisions.count
            #expect(clauses.count == provisionCount)
            let clause = clauses.first { $0["eId"]?.stringValue == "sec_2__subsec_c__para_1" }
            #expect(clause?["status"]?.stringValue == "changed")
            #expect(clause?["text"]?.arrayValue?.contains { $0["op"]?.stringValue == "delete" && $0["text"]?.stringValue == "3" } == true)
            #expect(clauses.first { $0["eId"]?.stringValue == "sec_1" }?["status"]?.stringValue == "unchanged")
            #expect(clauses.first { $0["eId"]?.stringValue == "sec_2__subsec_h" }?["previous_label"]?.stringValue == "(i)")
            #expect(response.json?["removed"]?.arrayValue?.contains { $0["eId"]?.stringValue == "sec_2__subsec_h" } == true)
            #expect(response.json?["summary"]?["removed"]?.intValue == response.json?["removed"]?.arrayValue.map { Int64($0.count) })

            for path in ["/bills/1/versions/1/changes", "/bills/1/versions/3/changes", "/bills/1/versions/x/changes", "/bills/1/versions/-2/changes",
                         "/bills/9/versions/2/changes", "/bills/1/versions/0/changes.json", "/bills/1/versions/99999999999999999999/changes.json"] {
                response = try await Browser().send(client, .get, path)
                #expect(response.status == .notFound, "\(path)")
            }
        }
    }
}
