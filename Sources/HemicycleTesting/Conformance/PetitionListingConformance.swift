import Foundation
public import HemicycleCore
public import HemicycleStorage
import Testing

/// Listings by state, order and page (`petitions(_:limit:offset:)`, `countPetitions`, `sittings(in:limit:)`), on every
/// backend: what a public page asks for never includes a draft, and no page is larger than asked or than the cap.
public struct PetitionListingConformance {
    public init() {}

    let now = StoreConformance.now

    func at(_ minutes: Int64) -> Timestamp { Timestamp(millisecondsSince1970: now.millisecondsSince1970 + minutes * 60_000) }

    /// Creates a petition through the lifecycle's own write (as `POST /api/v1/petitions` does): it starts `pending`.
    func draft(_ store: any HemicycleStore, _ n: Int, action: String? = nil, background: String = "Background") async throws -> Petition {
        let petition = Petition(
            id: .init(1), action: action ?? "Draft \(n)", background: background, additionalDetails: "", state: .pending, signatureCount: 0,
            creatorName: nil, createdAt: at(Int64(n)), updatedAt: at(Int64(n)), openedAt: nil, closedAt: nil, closingAt: nil,
            thresholds: [Threshold(name: "response", signatures: 2), Threshold(name: "debate", signatures: 4)]
        )
        return try await store.createPetition(
            petition, creator: try SignatureRequest(name: "Creator \(n)", email: "c\(n)@x.org").validated().get(), sponsorToken: "sp\(n)",
            token: EmailToken(hash: "draft-\(n)", purpose: .creator, subject: 0, expiresAt: now.adding(days: 7)),
            mail: OutgoingMail(to: "c\(n)@x.org", subject: "S", body: "B")
        )
    }

    /// Moves a stored petition through `actions` at minute `minute`.
    func move(_ store: any HemicycleStore, _ id: Petition.ID, _ actions: [PetitionAction], minute: Int64) async throws -> Petition {
        var petition = try #require(try await store.petition(id))
        for action in actions { try petition.apply(action, at: at(minute)) }
        try await store.updatePetition(petition, audit: nil)
        return try #require(try await store.petition(id))
    }

    static let toOpen: [PetitionAction] = [.creatorConfirmed, .sponsorsReached, .publish(days: 30)]

    func sign(_ store: any HemicycleStore, _ id: Petition.ID, _ count: Int, from: Int = 0, minute: Int64) async throws {
        let batch = try (from..<(from + count)).map {
            PendingSignature(petitionID: id, signature: try SignatureRequest(name: "S\($0)", email: "s\($0)@\(id).org").validated().get())
        }
        _ = try await store.commitSignatures(batch, now: at(minute))
    }

    func listingsFilterByStateOrderAndPage(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        // The demo (id 1, open, opened at `now`), then: a, b open; c closed; d rejected; e hidden; f sponsored; g pending.
        let a = try await draft(store, 1, action: "Parks for everyone", background: "Green rivers")
        let b = try await draft(store, 2, action: "École ouverte", background: "Écoles")
        let c = try await draft(store, 3), d = try await draft(store, 4), e = try await draft(store, 5), f = try await draft(store, 6)
        let g = try await draft(store, 7)
        _ = try await move(store, a.id, Self.toOpen, minute: 10)
        _ = try await move(store, b.id, Self.toOpen, minute: 20)
        _ = try await move(store, c.id, Self.toOpen + [.close], minute: 30)
        _ = try await move(store, d.id, [.creatorConfirmed, .sponsorsReached, .reject(PetitionRejection(code: "duplicate"))], minute: 40)
        _ = try await move(store, e.id, Self.toOpen + [.hide], minute: 50)
        _ = try await move(store, f.id, [.creatorConfirmed, .sponsorsReached], minute: 60)
        try await sign(store, a.id, 3, minute: 70)  // reaches the response threshold (2)
        try await sign(store, b.id, 5, minute: 80)  // reaches both
        try await sign(store, .init(1), 1, minute: 90)

        let everyone = PetitionQuery(states: PetitionQuery.publicStates)
        let listed = try await store.petitions(everyone, limit: 50, offset: 0)
        #expect(listed.map(\.id) == [b.id, a.id, .init(1), d.id, c.id], "public only, most signatures first, then the newest")
        #expect(try await store.countPetitions(everyone) == 5)
        #expect(try await store.petitions(everyone, limit: 2, offset: 0).map(\.id) == [b.id, a.id], "the limit holds")
        #expect(try await store.petitions(everyone, limit: 2, offset: 2).map(\.id) == [.init(1), d.id], "the offset skips")
        #expect(try await store.petitions(everyone, limit: 2, offset: 99).isEmpty)
        #expect(try await store.petitions(everyone, limit: 0, offset: 0).isEmpty)
        #expect(try await store.petitions(PetitionQuery(states: []), limit: 50, offset: 0).isEmpty, "no state, no petition")
        #expect(try await store.countPetitions(PetitionQuery(states: [])) == 0)

        #expect(try await store.petitions(PetitionQuery(states: [.pending]), limit: 50, offset: 0).map(\.id) == [g.id])
        #expect(try await store.petitions(PetitionQuery(states: [.sponsored, .flagged], order: .oldest), limit: 50, offset: 0).map(\.id) == [f.id])
        #expect(try await store.petitions(PetitionQuery(states: [.hidden]), limit: 50, offset: 0).first?.hiddenAt == at(50), "the hiding is stamped")
        #expect(try await store.petitions(PetitionQuery(states: PetitionQuery.publicStates, order: .newest), limit: 50, offset: 0).map(\.id)
                == [d.id, c.id, b.id, a.id, .init(1)])
        var page = PetitionQuery(states: PetitionQuery.publicStates, order: .newest, idBelow: c.id)
        #expect(try await store.petitions(page, limit: 50, offset: 0).map(\.id) == [b.id, a.id, .init(1)], "keyset pages by id")
        page = PetitionQuery(states: PetitionQuery.publicStates, order: .oldest, idAbove: .init(1))
        #expect(try await store.petitions(page, limit: 2, offset: 0).map(\.id) == [a.id, b.id])

        // The UK site's filters.
        #expect(try await store.petitions(PetitionQuery(states: [.open], openedSince: at(15)), limit: 50, offset: 0).map(\.id) == [b.id])
        #expect(try await store.petitions(PetitionQuery(states: [.open, .closed], reached: .response, hasGovernmentResponse: false), limit: 50, offset: 0)
                .map(\.id) == [b.id, a.id])
        #expect(try await store.petitions(PetitionQuery(states: [.open, .closed], reached: .debate), limit: 50, offset: 0).map(\.id) == [b.id])
        #expect(try await store.petitions(PetitionQuery(states: PetitionQuery.publicStates, hasDebate: true), limit: 50, offset: 0).isEmpty)
        #expect(try await store.petitions(PetitionQuery(states: [.pending], createdBefore: at(6)), limit: 50, offset: 0).isEmpty,
                "g was created at minute 7")
        #expect(try await store.petitions(PetitionQuery(states: [.pending], createdBefore: at(7)), limit: 50, offset: 0).map(\.id) == [g.id])

        // Words: every one, anywhere in the text, case folded beyond ASCII.
        #expect(try await store.petitions(PetitionQuery(states: PetitionQuery.publicStates, words: ["RIVERS", "parks"]), limit: 50, offset: 0)
                .map(\.id) == [a.id])
        #expect(try await store.petitions(PetitionQuery(states: PetitionQuery.publicStates, words: ["école"]), limit: 50, offset: 0).map(\.id) == [b.id],
                "É folds to é")
        #expect(try await store.petitions(PetitionQuery(states: PetitionQuery.publicStates, words: ["parks", "école"]), limit: 50, offset: 0).isEmpty)
        #expect(try await store.countPetitions(PetitionQuery(states: PetitionQuery.publicStates, words: ["draft"])) == 2, "c and d")
    }

    func feedOrdersPutTheLatestFirst(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let a = try await draft(store, 1), b = try await draft(store, 2), c = try await draft(store, 3)
        _ = try await move(store, a.id, Self.toOpen, minute: 30)
        _ = try await move(store, b.id, Self.toOpen, minute: 10)
        _ = try await move(store, c.id, [.creatorConfirmed, .sponsorsReached, .reject(PetitionRejection(code: "duplicate"))], minute: 20)
        let opened = PetitionQuery(states: PetitionQuery.publicStates, order: .lastOpened, openedSince: Timestamp(millisecondsSince1970: 0))
        #expect(try await store.petitions(opened, limit: 50, offset: 0).map(\.id) == [a.id, b.id, .init(1)], "never-opened c is not in it")
        try await sign(store, b.id, 2, minute: 40)
        try await sign(store, a.id, 2, minute: 50)
        try await sign(store, b.id, 2, from: 2, minute: 60)  // b reaches debate at 60, a reached response at 50
        let thresholds = PetitionQuery(states: PetitionQuery.publicStates, order: .lastThresholdReached, reached: .any)
        #expect(try await store.petitions(thresholds, limit: 50, offset: 0).map(\.id) == [b.id, a.id])
        for (id, minute) in [(a.id, Int64(70)), (b.id, 65)] {
            var petition = try #require(try await store.petition(id))
            petition.governmentResponse = GovernmentResponse(respondedOn: "2026-01-01", summary: "S", details: "D", createdAt: at(minute), updatedAt: at(minute))
            try await store.updatePetition(petition, audit: nil)
        }
        let responses = PetitionQuery(states: PetitionQuery.publicStates, order: .lastGovernmentResponse, hasGovernmentResponse: true)
        #expect(try await store.petitions(responses, limit: 50, offset: 0).map(\.id) == [a.id, b.id])
        #expect(try await store.petitions(PetitionQuery(states: PetitionQuery.publicStates, hasGovernmentResponse: false), limit: 50, offset: 0).map(\.id)
                == [c.id, .init(1)], "no signatures either: the newest first")
    }

    /// A flood of drafts (unlimited creation) is never read for a public listing, and no page exceeds the cap.
    func aFloodOfDraftsStaysOutOfPublicListingsAndPagesAreCapped(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let drafts = PetitionQuery.maxLimit + 100
        for n in 1...drafts { _ = try await draft(store, n) }
        let everyone = PetitionQuery(states: PetitionQuery.publicStates)
        #expect(try await store.petitions(everyone, limit: 10_000, offset: 0).map(\.id) == [.init(1)], "the demo only")
        #expect(try await store.countPetitions(everyone) == 1)
        let pending = try await store.petitions(PetitionQuery(states: [.pending], order: .oldest), limit: 10_000, offset: 0)
        #expect(pending.count == PetitionQuery.maxLimit, "a page is at most \(PetitionQuery.maxLimit), whatever is asked")
        #expect(try await store.countPetitions(PetitionQuery(states: [.pending])) == drafts)
        let rest = try await store.petitions(PetitionQuery(states: [.pending], order: .oldest, idAbove: pending.last?.id), limit: 10_000, offset: 0)
        #expect(rest.count == 100 && Set(rest.map(\.id)).isDisjoint(with: pending.map(\.id)), "the next page continues where the first stopped")
    }

    func sittingsByStateAreBoundedAndInOrder(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let first = try #require(try await store.sitting(.init(1)))
        var created: [Sitting] = []
        for n in 0..<4 {
            var sitting = first
            sitting.title = "Sitting \(n)"
            sitting.scheduledStart = at(Int64(100 - n))
            sitting.state = n == 3 ? .ended : .scheduled
            created.append(try await store.createSitting(sitting, audit: nil))
        }
        let upcoming = try await store.sittings(in: [.scheduled, .live], limit: 2)
        #expect(upcoming.map(\.title) == ["Sitting 2", "Sitting 1"], "by scheduled start, at most 2, ended ones left out")
        #expect(try await store.sittings(in: [.ended], limit: 10).map(\.title) == ["Sitting 3"])
        #expect(try await store.sittings(in: [], limit: 10).isEmpty)
        #expect(try await store.sittings(in: [.scheduled], limit: 0).isEmpty)
    }

    /// Every case of this part of the suite.
    public static let cases: [StoreConformance.Case] = [
        .init("PetitionListingConformance.listingsFilterByStateOrderAndPage") { try await PetitionListingConformance().listingsFilterByStateOrderAndPage($0) },
        .init("PetitionListingConformance.feedOrdersPutTheLatestFirst") { try await PetitionListingConformance().feedOrdersPutTheLatestFirst($0) },
        .init("PetitionListingConformance.aFloodOfDraftsStaysOutOfPublicListingsAndPagesAreCapped") { try await PetitionListingConformance().aFloodOfDraftsStaysOutOfPublicListingsAndPagesAreCapped($0) },
        .init("PetitionListingConformance.sittingsByStateAreBoundedAndInOrder") { try await PetitionListingConformance().sittingsByStateAreBoundedAndInOrder($0) },
    ]
}
