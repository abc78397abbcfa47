import Foundation
public import HemicycleCore
public import HemicycleStorage
import Testing

/// The `SignatureIntegrityStore` contracts on every backend: held signatures, bulk invalidation arithmetic, release,
/// regions and tallies, history per constituency, integrity figures. Petition 1 is the seeded demo (open, count 0).
public struct SignatureIntegrityConformance {
    public init() {}

    let now = StoreConformance.now
    let p1 = Petition.ID(1)

    static let regions = RegionData(
        regions: [NamedArea(code: "R1", name: "North"), NamedArea(code: "R2", name: "South")],
        constituencies: [Constituency(code: "C1", name: "Alpha", regionCode: "R1", member: "Ann"), Constituency(code: "C2", name: "Beta", regionCode: "R2", member: "")],
        postcodes: [("AB12CD", "C1"), ("EF34GH", "C2")],
        countries: [NamedArea(code: "GB", name: "United Kingdom"), NamedArea(code: "FR", name: "France")]
    )

    func pending(_ name: String, _ email: String, postcode: String? = nil, country: String? = "GB", address: String? = "10.0.0.1",
                 held: Bool = false, petition: Petition.ID = .init(1)) throws -> PendingSignature {
        PendingSignature(
            petitionID: petition, signature: try SignatureRequest(name: name, email: email, postcode: postcode, country: country).validated().get(),
            address: address, held: held
        )
    }

    func count(_ store: any HemicycleStore) async throws -> Int { try await store.petition(p1)?.signatureCount ?? -1 }

    /// Count, stored rows and tallies agree.
    func expectConsistent(_ store: any HemicycleStore, _ expected: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await count(store) == expected, sourceLocation: sourceLocation)
        #expect(try await store.storedSignatureCount(p1) == expected, sourceLocation: sourceLocation)
        #expect(try await store.tallies(of: p1).reduce(0) { $0 + $1.count } == expected, "tallies sum to the count", sourceLocation: sourceLocation)
    }

    func heldSignaturesDoNotCountUntilReleased(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let result = try await store.commitSignatures([try pending("Ada", "ada@x.org"), try pending("Bo", "bo@x.org", held: true)], now: now)
        guard case .held(let heldID) = result.outcomes[1] else {
            Issue.record("expected held, got \(result.outcomes)")
            return
        }
        #expect(result.changes.map(\.signatureCount) == [1], "the held one is not in the count")
        #expect(try await store.dueMail(now: now, limit: 10).isEmpty, "no mail for a held signature")
        try await expectConsistent(store, 1)
        let held = try await store.signatures(matching: SignatureFilter(states: [.held]), limit: 10)
        #expect(held.map(\.id) == [heldID] && held.first?.address == "10.0.0.1" && held.first?.email == "bo@x.org")
        #expect(try await store.commitSignatures([try pending("Bo", "bo@x.org")], now: now).outcomes == [.duplicate], "a held signature still blocks a duplicate")

        let audit = AuditEntry(at: now, staffID: nil, action: "signatures_released", subject: "signatures")
        let (released, _, changes) = try await store.release([heldID, 999_999], confirmations: [:], audit: audit, now: now.adding(days: 1))
        #expect(released == 1 && changes.map(\.signatureCount) == [2])
        try await expectConsistent(store, 2)
        let again = try await store.release([heldID], confirmations: [:], audit: audit, now: now)
        #expect(again.released == 0 && again.changes.isEmpty, "releasing twice changes nothing")
        let figures = try await store.integrity(of: p1, bucketMilliseconds: 86_400_000)
        #expect(figures.totals == .init(created: 2, confirmed: 2, held: 1, invalidated: 0))
        #expect(figures.now[.counted] == 2 && figures.now[.held] == nil)
    }

    func releasingWithEmailConfirmationMailsTheLink(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let result = try await store.commitSignatures([try pending("Bo", "bo@x.org", held: true)], now: now)
        guard case .held(let id) = result.outcomes[0] else {
            Issue.record("expected held")
            return
        }
        let confirmation = PendingSignature.Confirmation(tokenHash: "t1", expiresAt: now.adding(days: 7), mail: OutgoingMail(to: "bo@x.org", subject: "S", body: "B"))
        let (released, _, changes) = try await store.release([id], confirmations: [id: confirmation], audit: AuditEntry(at: now, staffID: nil, action: "a", subject: "s"), now: now)
        #expect(released == 1 && changes.isEmpty, "pending, not counted yet")
        #expect(try await store.dueMail(now: now, limit: 10).map(\.mail.to) == ["bo@x.org"])
        let token = try #require(try await store.useToken(hash: "t1", now: now))
        #expect(try await store.confirmSignature(token.subject, now: now)?.signatureCount == 1)
        try await expectConsistent(store, 1)
    }

    func bulkInvalidationArithmetic(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        _ = try await store.importRegions(Self.regions)
        let later = now.adding(days: 1)
        _ = try await store.commitSignatures([
            try pending("A", "a@spam.test", postcode: "AB1 2CD", address: "203.0.113.5"),
            try pending("B", "b@spam.test", postcode: "EF3 4GH", address: "203.0.113.6"),
            try pending("C", "c@good.org", postcode: "AB1 2CD", address: "203.0.113.7"),
            try pending("D", "d@good.org", country: "FR", address: "198.51.100.1"),
            try pending("E", "e@spam.test", address: "198.51.100.2", held: true),
        ], now: now)
        let confirmation = PendingSignature.Confirmation(tokenHash: "tf", expiresAt: now.adding(days: 7), mail: OutgoingMail(to: "f@spam.test", subject: "S", body: "B"))
        var f = try pending("F", "f@spam.test", address: "203.0.113.9")
        f.confirmation = confirmation
        _ = try await store.commitSignatures([f], now: later)
        try await expectConsistent(store, 4)
        #expect(Set(try await store.tallies(of: p1).map { "\($0.country)/\($0.constituency)=\($0.count)" }) == ["GB/C1=2", "GB/C2=1", "FR/=1"])

        // The preview: spam.test → 2 counted, 1 held, 1 pending.
        let spam = SignatureFilter(petition: p1, emailDomain: "spam.test")
        let preview = try await store.previewInvalidation(spam)
        #expect(preview.petitions == [.init(petitionID: p1, counted: 2, pending: 1, held: 1)] && preview.total == 4)
        // Narrowing by range and window: 203.0.113.0/24 created before `later` → A, B, C (counted).
        let ranged = SignatureFilter(addressRange: IPAddressRange("203.0.113.0/24"), until: later)
        #expect(try await store.previewInvalidation(ranged).petitions == [.init(petitionID: p1, counted: 3)])
        #expect(try await count(store) == 4, "a preview changes nothing")

        let audit = AuditEntry(at: later, staffID: StaffMember.ID(7), action: "signatures_invalidated", subject: "invalidation")
        let (record, changes) = try await store.invalidate(spam, reason: "A spam run", condition: "email domain spam.test", staffID: StaffMember.ID(7), audit: audit, now: later)
        #expect(record.changed == preview, "what happened is what the preview showed")
        #expect(record.reason == "A spam run" && record.staffID == StaffMember.ID(7))
        #expect(changes.map(\.signatureCount) == [2])
        try await expectConsistent(store, 2)
        #expect(Set(try await store.tallies(of: p1).map { "\($0.country)/\($0.constituency)=\($0.count)" }) == ["GB/C1=1", "FR/=1"])
        #expect(try await store.invalidations(limit: 10).map(\.id) == [record.id])
        #expect(try await store.auditLog(limit: 10).contains { $0.action == "signatures_invalidated" && $0.subject == "invalidation:\(record.id)" })

        // The pending one can no longer be confirmed into the count; the held one can no longer be released.
        let token = try #require(try await store.useToken(hash: "tf", now: later))
        #expect(try await store.confirmSignature(token.subject, now: later) == nil)
        let heldIDs = try await store.signatures(matching: SignatureFilter(petition: p1, states: [.held]), limit: 10).map(\.id)
        #expect(heldIDs.isEmpty)
        try await expectConsistent(store, 2)

        // Invalidating again matches nothing: refused, nothing stored (no empty record).
        await #expect(throws: StoreError.self) {
            try await store.invalidate(spam, reason: "again", condition: "c", staffID: nil, audit: audit, now: later)
        }
        #expect(try await store.invalidations(limit: 10).count == 1)
        try await expectConsistent(store, 2)

        let figures = try await store.integrity(of: p1, bucketMilliseconds: 86_400_000)
        #expect(figures.totals == .init(created: 6, confirmed: 4, held: 1, invalidated: 4))
        #expect(figures.now == [.counted: 2, .invalidated: 4])
        #expect(figures.buckets.last?.figures.invalidated == 4)
    }

    func regionsMapPostcodesAndRebuildTallies(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        // Signed before any regions exist: no constituency yet.
        _ = try await store.commitSignatures([try pending("A", "a@x.org", postcode: "ab1 2cd"), try pending("B", "b@x.org", postcode: "ZZ9 9ZZ")], now: now)
        #expect(try await store.tallies(of: p1).map(\.constituency) == [""])
        let mapped = try await store.importRegions(Self.regions)
        #expect(mapped == 1, "the stored signature with a known postcode is mapped")
        #expect(Set(try await store.tallies(of: p1).map { "\($0.constituency)=\($0.count)" }) == ["=1", "C1=1"])
        let names = try await store.regionNames()
        #expect(names.regions.map(\.code) == ["R1", "R2"] && names.constituencies.map(\.member) == ["Ann", ""] && names.countries.map(\.code) == ["FR", "GB"])
        #expect(names.postcodes.isEmpty, "names only")
        // Signed after: mapped at once.
        _ = try await store.commitSignatures([try pending("C", "c@x.org", postcode: "EF3-4GH")], now: now.adding(days: 1))
        let c2 = try await store.signatureHistory(of: p1, bucketMilliseconds: 86_400_000, constituency: "C2")
        #expect(c2.map(\.added) == [1] && c2.first?.start == Timestamp(millisecondsSince1970: (now.adding(days: 1).millisecondsSince1970 / 86_400_000) * 86_400_000))
        #expect(try await store.signatureHistory(of: p1, bucketMilliseconds: 86_400_000, constituency: "C1").map(\.added) == [1])
        #expect(try await store.signatureHistory(of: p1, bucketMilliseconds: 86_400_000, constituency: nil).map(\.added) == [2, 1])
        try await expectConsistent(store, 3)
        // A new import replaces everything.
        let smaller = RegionData(regions: [NamedArea(code: "R1", name: "North")], constituencies: [Constituency(code: "C1", name: "Alpha", regionCode: "R1", member: "")],
                                 postcodes: [("EF34GH", "C1")], countries: [])
        #expect(try await store.importRegions(smaller) == 1)
        #expect(Set(try await store.tallies(of: p1).map { "\($0.constituency)=\($0.count)" }) == ["=2", "C1=1"])
    }

    /// Every case of this part of the suite.
    public static let cases: [StoreConformance.Case] = [
        .init("SignatureIntegrityConformance.heldSignaturesDoNotCountUntilReleased") { try await SignatureIntegrityConformance().heldSignaturesDoNotCountUntilReleased($0) },
        .init("SignatureIntegrityConformance.releasingWithEmailConfirmationMailsTheLink") { try await SignatureIntegrityConformance().releasingWithEmailConfirmationMailsTheLink($0) },
        .init("SignatureIntegrityConformance.bulkInvalidationArithmetic") { try await SignatureIntegrityConformance().bulkInvalidationArithmetic($0) },
        .init("SignatureIntegrityConformance.regionsMapPostcodesAndRebuildTallies") { try await SignatureIntegrityConformance().regionsMapPostcodesAndRebuildTallies($0) },
    ]
}
