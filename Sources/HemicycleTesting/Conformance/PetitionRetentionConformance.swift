import Foundation
public import HemicycleCore
public import HemicycleStorage
import Testing

/// What a petition that is no longer open takes (nothing), and what is kept of its people (nothing personal), on
/// every backend. Petition 1 is the seeded demo (open, count 0).
public struct PetitionRetentionConformance {
    public init() {}

    let now = StoreConformance.now
    let p1 = Petition.ID(1)
    let everyState: Set<SignatureState> = [.pending, .counted, .held, .invalidated]

    enum Ending: String, CaseIterable, CustomTestStringConvertible {
        case close, reject, hide
        var action: PetitionAction {
            switch self {
            case .close: .close
            case .reject: .reject(PetitionRejection(code: "duplicate"))
            case .hide: .hide
            }
        }
        var testDescription: String { rawValue }
    }

    func signature(_ name: String, _ email: String, postcode: String? = "AB1 2CD", held: Bool = false, confirmation: String? = nil) throws -> PendingSignature {
        var pending = PendingSignature(
            petitionID: p1, signature: try SignatureRequest(name: name, email: email, postcode: postcode, country: "GB").validated().get(),
            address: "192.0.2.7", held: held
        )
        if let confirmation {
            pending.confirmation = .init(tokenHash: confirmation, expiresAt: now.adding(days: 7), mail: OutgoingMail(to: email, subject: "S", body: "B"))
        }
        return pending
    }

    func end(_ store: any HemicycleStore, _ id: Petition.ID, _ action: PetitionAction, at time: Timestamp) async throws {
        var petition = try #require(try await store.petition(id))
        try petition.apply(action, at: time)
        try await store.updatePetition(petition, audit: nil)
    }

    /// The count, the stored counted rows and the tallies, which must not move.
    func figures(_ store: any HemicycleStore, _ id: Petition.ID) async throws -> [Int] {
        [try await store.petition(id)?.signatureCount ?? -1, try await store.storedSignatureCount(id), try await store.tallies(of: id).reduce(0) { $0 + $1.count }]
    }

    func aSignatureConfirmedAfterThePetitionEndedCountsNothing(_ makeStore: StoreFactory, _ ending: Ending) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let result = try await store.commitSignatures([try signature("Ada", "ada@x.org"), try signature("Bo", "bo@x.org", confirmation: "late")], now: now)
        guard case .awaitingConfirmation(let pendingID) = result.outcomes[1] else {
            Issue.record("expected a pending signature, got \(result.outcomes)")
            return
        }
        try await end(store, p1, ending.action, at: now.adding(days: 1))
        let before = try await figures(store, p1)
        #expect(before == [1, 1, 1])
        for attempt in 1...2 {
            do {
                _ = try await store.useToken(hash: "late", now: now.adding(days: 2))
                Issue.record("attempt \(attempt): the token was used on a petition that is \(ending)")
            } catch let error as StoreError {
                #expect(error.code == .notOpen, "attempt \(attempt): \(error)")
                #expect(error.petitionState == (try await store.petition(p1))?.state, "the error says which state refused it")
            }
        }
        await #expect(throws: StoreError(.notOpen, "")) { try await store.confirmSignature(pendingID, now: now.adding(days: 2)) }
        #expect(try await figures(store, p1) == before, "no count, no stored row, no tally moved")
        #expect(try await store.integrity(of: p1, bucketMilliseconds: 86_400_000).now[.pending] == 1, "the signature is still pending")
    }

    func heldSignaturesOfAPetitionThatEndedStayHeld(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let result = try await store.commitSignatures([try signature("Ada", "ada@x.org", held: true)], now: now)
        guard case .held(let heldID) = result.outcomes[0] else {
            Issue.record("expected held, got \(result.outcomes)")
            return
        }
        try await end(store, p1, .close, at: now.adding(days: 1))
        let audits = try await store.auditLog(limit: 100).count
        let confirmation = PendingSignature.Confirmation(tokenHash: "r1", expiresAt: now.adding(days: 9), mail: OutgoingMail(to: "ada@x.org", subject: "S", body: "B"))
        let outcome = try await store.release([heldID], confirmations: [heldID: confirmation], audit: AuditEntry(at: now, staffID: nil, action: "signatures_released", subject: "s"),
                                              now: now.adding(days: 2))
        #expect(outcome.released == 0 && outcome.notOpen == 1 && outcome.changes.isEmpty)
        #expect(try await figures(store, p1) == [0, 0, 0])
        #expect(try await store.signatures(matching: SignatureFilter(states: [.held]), limit: 10).map(\.id) == [heldID], "still held")
        #expect(try await store.dueMail(now: now.adding(days: 2), limit: 10).isEmpty, "no confirmation mailed")
        #expect(try await store.useToken(hash: "r1", now: now.adding(days: 2)) == nil, "no token stored")
        #expect(try await store.auditLog(limit: 100).count == audits, "a release that released nothing leaves no audit entry")
    }

    /// A draft whose time ran out takes no more support: its supporters' links are refused, and count nothing.
    func anAbandonedDraftTakesNoMoreSupport(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let draft = try await store.createPetition(
            Petition(id: .init(1), action: "Draft", background: "B", additionalDetails: "", state: .pending, signatureCount: 0, creatorName: nil,
                     createdAt: now, updatedAt: now, openedAt: nil, closedAt: nil, closingAt: nil, thresholds: []),
            creator: try SignatureRequest(name: "Cy", email: "cy@x.org").validated().get(), sponsorToken: "sp",
            token: EmailToken(hash: "creator", purpose: .creator, subject: 0, expiresAt: now.adding(days: 7)), mail: OutgoingMail(to: "cy@x.org", subject: "S", body: "B")
        )
        let creator = try #require(try await store.useToken(hash: "creator", now: now))
        _ = try await store.confirmSponsorSignature(creator.subject, now: now)
        try await end(store, draft.id, .creatorConfirmed, at: now)
        try await store.addSupporter(draft.id, signature: try SignatureRequest(name: "Di", email: "di@x.org").validated().get(),
                                     token: EmailToken(hash: "supporter", purpose: .supporter, subject: 0, expiresAt: now.adding(days: 7)),
                                     mail: OutgoingMail(to: "di@x.org", subject: "S", body: "B"), now: now)
        try await end(store, draft.id, .abandon, at: now.adding(days: 1))
        #expect(try await store.petition(draft.id)?.abandonedAt == now.adding(days: 1))
        await #expect(throws: StoreError(.notOpen, "")) { try await store.useToken(hash: "supporter", now: now.adding(days: 2)) }
        let supporterID = try #require(try await store.signatures(matching: SignatureFilter(petition: draft.id, states: [.pending]), limit: 10).first?.id)
        await #expect(throws: StoreError(.notOpen, "")) { try await store.confirmSponsorSignature(supporterID, now: now.adding(days: 2)) }
        #expect(try await store.petition(draft.id)?.signatureCount == 1, "the creator only")
    }

    /// Closed, rejected, hidden and abandoned petitions alike: `anonymiseAfter` their end, no name, email, postcode or
    /// address of anyone who signed, supported or created them is left; counts and tallies stay.
    func everyEndedPetitionIsAnonymisedOnTheSameSchedule(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        func create(_ n: Int) async throws -> Petition.ID {
            let petition = try await store.createPetition(
                Petition(id: .init(1), action: "Petition \(n)", background: "B", additionalDetails: "", state: .pending, signatureCount: 0, creatorName: nil,
                         createdAt: now, updatedAt: now, openedAt: nil, closedAt: nil, closingAt: nil, thresholds: []),
                creator: try SignatureRequest(name: "Creator \(n)", email: "creator\(n)@x.org", postcode: "AB1 2CD").validated().get(), sponsorToken: "sp\(n)",
                token: EmailToken(hash: "c\(n)", purpose: .creator, subject: 0, expiresAt: now.adding(days: 7)),
                mail: OutgoingMail(to: "creator\(n)@x.org", subject: "S", body: "B")
            )
            let creator = try #require(try await store.useToken(hash: "c\(n)", now: now))
            _ = try await store.confirmSponsorSignature(creator.subject, now: now)
            try await store.addSupporter(petition.id, signature: try SignatureRequest(name: "Supporter \(n)", email: "supporter\(n)@x.org").validated().get(),
                                         token: EmailToken(hash: "s\(n)", purpose: .supporter, subject: 0, expiresAt: now.adding(days: 7)),
                                         mail: OutgoingMail(to: "supporter\(n)@x.org", subject: "S", body: "B"), now: now)
            return petition.id
        }
        // closed (demo, signed), rejected (after opening, signed), hidden (sponsored), abandoned (validated), and an open
        // one and a sponsored one that must keep everything.
        let rejected = try await create(1), hidden = try await create(2), abandoned = try await create(3), stillOpen = try await create(4)
        let sponsored = try await create(5)
        for id in [rejected, hidden, stillOpen, sponsored] {
            try await end(store, id, .creatorConfirmed, at: now)
            try await end(store, id, .sponsorsReached, at: now)
        }
        try await end(store, abandoned, .creatorConfirmed, at: now)
        try await end(store, rejected, .publish(days: 30), at: now)
        try await end(store, stillOpen, .publish(days: 30), at: now)
        for (n, id) in [p1, rejected, stillOpen].enumerated() {
            _ = try await store.commitSignatures([
                PendingSignature(petitionID: id, signature: try SignatureRequest(name: "Signer \(n)", email: "signer\(n)@x.org", postcode: "AB1 2CD").validated().get(),
                                 address: "192.0.2.\(n)"),
                PendingSignature(petitionID: id, signature: try SignatureRequest(name: "Held \(n)", email: "held\(n)@x.org").validated().get(),
                                 address: "192.0.2.9", held: true),
            ], now: now)
        }
        let day = { (n: Int64) in self.now.adding(days: n) }
        try await end(store, p1, .close, at: day(1))
        try await end(store, rejected, .reject(PetitionRejection(code: "duplicate")), at: day(2))
        try await end(store, hidden, .hide, at: day(3))
        try await end(store, abandoned, .abandon, at: day(4))
        let ended = [p1, rejected, hidden, abandoned]
        var before: [Petition.ID: [Int]] = [:]
        for id in ended + [stillOpen, sponsored] { before[id] = try await figures(store, id) }

        func records(_ id: Petition.ID) async throws -> [SignatureRecord] {
            try await store.signatures(matching: SignatureFilter(petition: id, states: everyState), limit: 100)
        }
        func erased(_ id: Petition.ID) async throws -> Bool {
            let rows = try await records(id)
            return !rows.isEmpty && rows.allSatisfy { $0.name.isEmpty && $0.email.hasPrefix("anonymised-") && $0.postcode == nil && $0.address == nil }
        }
        #expect(try await store.anonymise(endedBefore: day(1).adding(days: -1)) == 0, "nothing ended that early")
        #expect(try await store.anonymise(endedBefore: day(2)) == 2 + 4, "closed (a signer, a held one) and rejected (creator, supporter, signer, held)")
        #expect(try await erased(p1))
        #expect(try await erased(rejected))
        #expect(try await !erased(hidden), "not yet: it ended later")
        #expect(try await !erased(abandoned), "not yet: it ended later")
        #expect(try await store.anonymise(endedBefore: day(4)) == 4, "the hidden and the abandoned one: a creator and a supporter each")
        for id in ended {
            #expect(try await erased(id), "petition \(id)")
            #expect(try await store.petition(id)?.creatorName == nil, "petition \(id) keeps no creator name")
            #expect(try await store.sponsorToken(of: id) == nil, "petition \(id)'s supporter link is gone")
        }
        for id in [stillOpen, sponsored] {
            let rows = try await records(id)
            #expect(rows.allSatisfy { !$0.name.isEmpty && !$0.email.hasPrefix("anonymised-") }, "petition \(id) is still running")
            #expect(try await store.petition(id)?.creatorName == "Creator \(id == stillOpen ? 4 : 5)")
        }
        for id in ended + [stillOpen, sponsored] {
            #expect(try await figures(store, id) == before[id], "petition \(id)'s count, stored rows and tallies stay")
            #expect(try await store.tallies(of: id).allSatisfy { $0.country == "GB" || $0.country == "" }, "the country is kept for the counts")
        }
        #expect(try await store.anonymise(endedBefore: day(10)) == 0, "each petition once")
    }

    /// Every case of this part of the suite.
    public static let cases: [StoreConformance.Case] = [
        .init("PetitionRetentionConformance.heldSignaturesOfAPetitionThatEndedStayHeld") { try await PetitionRetentionConformance().heldSignaturesOfAPetitionThatEndedStayHeld($0) },
        .init("PetitionRetentionConformance.anAbandonedDraftTakesNoMoreSupport") { try await PetitionRetentionConformance().anAbandonedDraftTakesNoMoreSupport($0) },
        .init("PetitionRetentionConformance.everyEndedPetitionIsAnonymisedOnTheSameSchedule") { try await PetitionRetentionConformance().everyEndedPetitionIsAnonymisedOnTheSameSchedule($0) },
        .init("PetitionRetentionConformance.aSignatureConfirmedAfterThePetitionEndedCountsNothing") { makeStore in for ending in Ending.allCases { try await PetitionRetentionConformance().aSignatureConfirmedAfterThePetitionEndedCountsNothing(makeStore, ending) } },
    ]
}
