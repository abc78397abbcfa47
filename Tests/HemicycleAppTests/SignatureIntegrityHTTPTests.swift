import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// Per-address limits that hold signatures, trusted proxies, staff review and bulk invalidation over HTTP, the
/// per-area open data, and the live `areas` and `state` events.
@Suite struct SignatureIntegrityHTTPTests {
    static func sign(_ client: some TestClientProtocol, _ name: String, _ email: String, postcode: String? = nil, forwardedFor: String? = nil)
        async throws -> TestResponse
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let forwardedFor { headers[HTTPField.Name("X-Forwarded-For")!] = forwardedFor }
        let postcodeField = postcode.map { #","postcode":"\#($0)""# } ?? ""
        return try await client.execute(
            uri: "/api/v1/petitions/1/signatures", method: .post, headers: headers,
            body: ByteBuffer(string: #"{"name":"\#(name)","email":"\#(email)"\#(postcodeField)}"#)
        )
    }

    static func count(_ store: InMemoryStore) async throws -> Int { try await store.petition(.init(1))?.signatureCount ?? -1 }

    @Test func signaturesOverTheLimitAreHeldThenReleasedByAModerator() async throws {
        let (app, store) = try await HearingFixture.make { $0.petitions.setSignRateLimits(["2/3600"]).forEach { Issue.record("bad limit \($0)") } }
        try await app.test(.live) { client in
            #expect(try await Self.sign(client, "A", "a@x.org").status == .created)
            #expect(try await Self.sign(client, "B", "b@x.org").status == .created)
            let third = try await Self.sign(client, "C", "c@x.org")
            #expect(third.status == .accepted && third.json?["state"]?.stringValue == "held", "over the limit: held, not refused")
            #expect(third.json?["message"]?.stringValue?.contains("checked") == true)
            #expect(try await Self.count(store) == 2, "a held signature does not count")
            #expect(try await Self.sign(client, "C", "c@x.org").status == .conflict, "nor can it be sent again")

            // Staff only, and only petitions moderators.
            let anyone = Browser(), chair = Browser(), moderator = Browser()
            #expect(try await anyone.send(client, .post, "/api/v1/signatures/release", json: #"{"petition_id":1}"#).status == .unauthorized)
            try await chair.logIn(client, "chair1@example.org")
            #expect(try await chair.send(client, .post, "/api/v1/signatures/release", json: #"{"petition_id":1}"#).status == .forbidden)
            try await moderator.logIn(client, "pmod@example.org")
            let search = try await moderator.send(client, .post, "/api/v1/signatures/search", json: #"{"petition_id":1,"states":["held"]}"#)
            #expect(search.status == .ok && search.json?["preview"]?["total"]?.intValue == 1)
            #expect(search.json?["signatures"]?.arrayValue?.first?["email"]?.stringValue == "c@x.org")
            #expect(search.json?["signatures"]?.arrayValue?.first?["ip"]?.stringValue == "127.0.0.1")
            let released = try await moderator.send(client, .post, "/api/v1/signatures/release", json: #"{"petition_id":1}"#)
            #expect(released.status == .ok && released.json?["released"]?.intValue == 1)
            #expect(try await Self.count(store) == 3)
            #expect(try await store.auditLog(limit: 5).contains { $0.action == "signatures_released" })

            let integrity = try await anyone.send(client, .get, "/petitions/1/integrity.json")
            #expect(integrity.status == .ok && integrity.headers[.accessControlAllowOrigin] == "*")
            #expect(integrity.json?["totals"]?["held"]?.intValue == 1 && integrity.json?["totals"]?["created"]?.intValue == 3)
            #expect(integrity.json?["now"]?["counted"]?.intValue == 3 && integrity.json?["now"]?["held"]?.intValue == 0)
            #expect(!integrity.text.contains("c@x.org") && !integrity.text.contains("127.0.0.1"), "no personal data")
            #expect(try await anyone.send(client, .get, "/petitions/1/integrity.json?by=week").status == .unprocessableContent)
        }
    }

    @Test func forwardedForIsBelievedOnlyFromATrustedProxy() async throws {
        // Trusted: each forwarded address has its own limit of one.
        let (trusted, trustedStore) = try await HearingFixture.make {
            _ = $0.petitions.setSignRateLimits(["1/3600"])
            $0.trustedProxies = [IPAddressRange("127.0.0.0/8")!]
        }
        try await trusted.test(.live) { client in
            #expect(try await Self.sign(client, "A", "a@x.org", forwardedFor: "198.51.100.1").status == .created)
            #expect(try await Self.sign(client, "B", "b@x.org", forwardedFor: "203.0.113.9, 127.0.0.5").status == .created,
                    "the right-most untrusted hop is the client")
            #expect(try await Self.sign(client, "C", "c@x.org", forwardedFor: "1.2.3.4, 198.51.100.1").status == .accepted,
                    "a forged left-most entry changes nothing: 198.51.100.1 is over its limit")
            let addresses = try await trustedStore.signatures(matching: SignatureFilter(petition: .init(1)), limit: 10).compactMap(\.address)
            #expect(Set(addresses) == ["198.51.100.1", "203.0.113.9"])
        }
        // Not trusted: the header is ignored, every signature is 127.0.0.1's.
        let (plain, _) = try await HearingFixture.make { _ = $0.petitions.setSignRateLimits(["1/3600"]) }
        try await plain.test(.live) { client in
            let first = try await Self.sign(client, "A", "a@x.org", forwardedFor: "198.51.100.1")
            let second = try await Self.sign(client, "B", "b@x.org", forwardedFor: "198.51.100.2")
            #expect(first.status == .created && second.status == .accepted)
        }
    }

    @Test func bulkInvalidationPreviewsRecordsAndLowersTheCount() async throws {
        let store = try await HearingFixture.store()
        _ = try await store.importRegions(try SampleRegions.load())
        let (app, _) = try await TestApp.make(store: store)
        try await app.test(.router) { client in
            for (name, email, postcode) in [("A", "a@spam.test", "SW1A 1AA"), ("B", "b@spam.test", "OX4 1AA"), ("C", "c@good.org", "SW1A 0AA")] {
                #expect(try await Self.sign(client, name, email, postcode: postcode).status == .created)
            }
            let moderator = Browser()
            try await moderator.logIn(client, "pmod@example.org")
            // Bad conditions change nothing.
            for (body, field) in [
                (#"{"reason":"x"}"#, "petition_id"), (#"{"petition_id":1,"ip_range":"10.0.0.0/99","reason":"x"}"#, "ip_range"),
                (#"{"email_domain":"not a domain","reason":"x"}"#, "email_domain"), (#"{"petition_id":"one","reason":"x"}"#, "petition_id"),
                (#"{"petition_id":1,"from":"yesterday","reason":"x"}"#, "from"), (#"{"petition_id":1,"states":["invalidated"],"reason":"x"}"#, "states"),
                (#"{"petition_id":1,"reason":"<b>x</b>"}"#, "reason"), (#"{"petition_id":1}"#, "reason"),
            ] {
                let answer = try await moderator.send(client, .post, "/api/v1/signatures/invalidate", json: body)
                #expect(answer.status == .unprocessableContent && answer.json?["error"]?["fields"]?[field] != nil, "\(body): \(answer.text)")
            }
            #expect(try await Self.count(store) == 3)

            let search = try await moderator.send(client, .post, "/api/v1/signatures/search", json: #"{"email_domain":"spam.test"}"#)
            #expect(search.json?["preview"]?["total"]?.intValue == 2 && search.json?["preview"]?["counted"]?.intValue == 2)
            let stale = try await moderator.send(client, .post, "/api/v1/signatures/invalidate", json: #"{"email_domain":"spam.test","reason":"Spam","expected_total":5}"#)
            #expect(stale.status == .conflict && stale.errorCode == "preview_changed" && stale.json?["preview"]?["total"]?.intValue == 2)
            #expect(try await Self.count(store) == 3, "a stale preview changes nothing")

            let done = try await moderator.send(client, .post, "/api/v1/signatures/invalidate", json: #"{"email_domain":"spam.test","reason":"Spam","expected_total":2}"#)
            #expect(done.status == .created && done.json?["changed"]?["counted"]?.intValue == 2 && done.json?["reason"]?.stringValue == "Spam")
            #expect(try await Self.count(store) == 1)
            let petition = try await moderator.send(client, .get, "/petitions/1.json")
            let constituencies = petition.json?["data"]?["attributes"]?["signatures_by_constituency"]?.arrayValue ?? []
            #expect(constituencies.map { $0["ons_code"]?.stringValue ?? "" } == ["E14001172"] && constituencies.first?["signature_count"]?.intValue == 1)
            #expect(petition.json?["data"]?["attributes"]?["signatures_by_region"]?.arrayValue?.map { $0["name"]?.stringValue ?? "" } == ["London"])
            let integrity = try await moderator.send(client, .get, "/petitions/1/integrity.json")
            #expect(integrity.json?["invalidations"]?.arrayValue?.first?["reason"]?.stringValue == "Spam")
            #expect(integrity.json?["totals"]?["invalidated"]?.intValue == 2)
            let repeated = try await moderator.send(client, .post, "/api/v1/signatures/invalidate", json: #"{"email_domain":"spam.test","reason":"Spam"}"#)
            #expect(repeated.status == .unprocessableContent && repeated.errorCode == "no_match", "nothing left to invalidate: refused")
            let unknown = try await moderator.send(client, .post, "/api/v1/signatures/invalidate", json: #"{"petition_id":999,"reason":"x"}"#)
            #expect(unknown.status == .notFound)
            #expect(try await moderator.send(client, .post, "/api/v1/signatures/release", json: "{}").status == .unprocessableContent,
                    "releasing everything at once is refused")
            let records = try await moderator.send(client, .get, "/api/v1/signatures/invalidations")
            #expect(records.json?["invalidations"]?.arrayValue?.count == 1, "refusals leave no record")
            #expect(try await store.auditLog(limit: 5).contains { $0.action == "signatures_invalidated" })

            // History per constituency.
            let history = try await moderator.send(client, .get, "/petitions/1/history.json?constituency=E14001172")
            #expect(history.json?["constituency"]?.stringValue == "E14001172" && history.json?["day"]?.arrayValue?.last?["count"]?.intValue == 1)
            #expect(try await moderator.send(client, .get, "/petitions/1/history.json?constituency=NOPE").status == .unprocessableContent)
        }
    }

    @Test func areasAndStateGoOutLive() async throws {
        let store = try await HearingFixture.store()
        _ = try await store.importRegions(try SampleRegions.load())
        let (app, _) = try await TestApp.make(store: store)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let live = try await TestLiveClient.connect(port: port)
            _ = try await live.next()
            try await live.sendText(#"{"type":"subscribe","topics":["petition:1","petition:1:areas"]}"#)
            let snapshot = try await live.next { if case .snapshot(let topic, _, _, _) = $0 { topic == .petitionAreas(.init(1)) } else { false } }
            if case .snapshot(_, _, _, let data) = snapshot { #expect(data["constituencies"]?.objectValue?.isEmpty == true) }
            #expect(try await Self.sign(client, "A", "a@x.org", postcode: "SW1A 1AA").status == .created)
            #expect(try await Self.sign(client, "B", "b@x.org", postcode: "OX4 1AA").status == .created)
            var constituencies: [String: Int64] = [:]
            var named: [String: String] = [:]
            while constituencies.count < 2 {
                let event = try await live.next { if case .event(_, _, _, "areas", _) = $0 { true } else { false } }
                if case .event(_, _, _, _, let data) = event {
                    for (code, value) in data["constituencies"]?.objectValue ?? [] { constituencies[code] = value.intValue }
                    #expect(data["petition_id"]?.intValue == 1)
                    // Every area is new to the topic: the events name them (Protocol/PROTOCOL.md §6.5).
                    for kind in ["constituencies", "regions"] {
                        for (code, entry) in data["names"]?[kind]?.objectValue ?? [] { named[code] = entry["name"]?.stringValue }
                    }
                }
            }
            #expect(constituencies == ["E14001172": 1, "E14001398": 1])
            #expect(named == ["E14001172": "Cities of London and Westminster", "E14001398": "Oxford East", "E15000007": "London", "E15000008": "South East"])

            let moderator = Browser()
            try await moderator.logIn(client, "pmod@example.org")
            let rejected = try await moderator.send(client, .post, "/api/v1/petitions/1/moderation", json: #"{"action":"reject","code":"duplicate"}"#)
            #expect(rejected.status == .ok)
            let state = try await live.next { if case .event(_, _, _, "state", _) = $0 { true } else { false } }
            if case .event(_, _, _, _, let data) = state {
                #expect(data["state"]?.stringValue == "rejected" && data["rejection"]?["code"]?.stringValue == "duplicate")
            }
            await live.close()
        }
    }
}
