import Foundation
public import HemicycleCore
public import HemicycleStorage
import Testing

/// The `PetitionStore` contracts and the household rule, on every backend.
public struct PetitionStoreConformance {
    public init() {}

    let now = StoreConformance.now

    func signature(_ name: String, _ email: String) throws -> ValidSignature {
        try SignatureRequest(name: name, email: email).validated().get()
    }

    func mail(_ to: String) -> OutgoingMail { OutgoingMail(to: to, subject: "S", body: "B") }

    func theHouseholdRuleInOneBatchAndAcrossBatches(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let batch = try [("Ada", "home@x.org"), ("ADA", "home@x.org"), ("Byron", "home@x.org"), ("Anna", "home@x.org"), ("Cy", "cy@x.org")].map {
            PendingSignature(petitionID: .init(1), signature: try signature($0.0, $0.1))
        }
        let result = try await store.commitSignatures(batch, now: now)
        #expect(result.outcomes.map { outcome -> String in
            switch outcome {
            case .accepted: "accepted"
            case .duplicate: "duplicate"
            case .householdLimit: "household"
            default: "other"
            }
        } == ["accepted", "duplicate", "accepted", "household", "accepted"])
        #expect(result.changes.first?.signatureCount == 3)
        let again = try await store.commitSignatures([PendingSignature(petitionID: .init(1), signature: try signature("Dee", "home@x.org"))], now: now)
        #expect(again.outcomes == [.householdLimit], "the limit holds across batches")
        #expect(try await store.storedSignatureCount(.init(1)) == 3)
    }

    func unconfirmedSignaturesCountOnlyOnceConfirmed(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let confirmation = PendingSignature.Confirmation(tokenHash: "h1", expiresAt: now.adding(days: 7), mail: mail("ada@x.org"))
        let result = try await store.commitSignatures([PendingSignature(petitionID: .init(1), signature: try signature("Ada", "ada@x.org"), confirmation: confirmation)], now: now)
        guard case .awaitingConfirmation(let id) = result.outcomes.first else {
            Issue.record("expected a pending signature, got \(result.outcomes)")
            return
        }
        #expect(result.changes.isEmpty)
        #expect(try await store.petition(.init(1))?.signatureCount == 0)
        #expect(try await store.dueMail(now: now, limit: 10).map(\.mail.to) == ["ada@x.org"], "the email is stored with the signature")
        let token = try #require(try await store.useToken(hash: "h1", now: now))
        #expect(token.purpose == .signature && token.subject == id)
        #expect(try await store.useToken(hash: "h1", now: now) == nil, "single use")
        let change = try await store.confirmSignature(id, now: now)
        #expect(change?.signatureCount == 1)
        #expect(try await store.confirmSignature(id, now: now) == nil, "confirming twice counts once")
        #expect(try await store.petition(.init(1))?.signatureCount == 1)
        #expect(try await store.storedSignatureCount(.init(1)) == 1)
    }

    func petitionsTokensAndTheOutbox(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let draft = Petition(id: .init(1), action: "New", background: "B", additionalDetails: "", state: .pending, signatureCount: 0, creatorName: nil,
                             createdAt: now, updatedAt: now, openedAt: nil, closedAt: nil, closingAt: nil, thresholds: [Threshold(name: "response", signatures: 10)])
        let created = try await store.createPetition(draft, creator: try signature("Ada", "ada@x.org"), sponsorToken: "sponsor",
                                                     token: EmailToken(hash: "c1", purpose: .creator, subject: 0, expiresAt: now.adding(days: 1)), mail: mail("ada@x.org"))
        #expect(created.id != .init(1) && created.creatorName == "Ada")
        #expect(try await store.sponsorToken(of: created.id) == "sponsor")
        #expect(try await store.useToken(hash: "c1", now: now.adding(days: 2)) == nil, "an expired token does nothing")
        let creatorToken = try #require(try await store.useToken(hash: "c1", now: now))
        let confirmed = try await store.confirmSponsorSignature(creatorToken.subject, now: now)
        #expect(confirmed.petition == created.id && confirmed.supporters == 0)
        try await store.addSupporter(created.id, signature: try signature("Bo", "bo@x.org"),
                                     token: EmailToken(hash: "s1", purpose: .supporter, subject: 0, expiresAt: now.adding(days: 1)), mail: mail("bo@x.org"), now: now)
        await #expect(throws: StoreError(.conflict, "")) {
            try await store.addSupporter(created.id, signature: try signature("Bo again", "bo@x.org"),
                                         token: EmailToken(hash: "s2", purpose: .supporter, subject: 0, expiresAt: now.adding(days: 1)), mail: mail("bo@x.org"), now: now)
        }
        let supporter = try #require(try await store.useToken(hash: "s1", now: now))
        #expect(try await store.confirmSponsorSignature(supporter.subject, now: now).supporters == 1)
        #expect(try await store.petition(created.id)?.signatureCount == 2)

        var due = try await store.dueMail(now: now, limit: 10)
        #expect(due.map(\.mail.to) == ["ada@x.org", "bo@x.org"])
        try await store.markFailed(due[0].id, error: "down", retryAt: now.adding(days: 1))
        try await store.markSent([due[1].id], at: now)
        due = try await store.dueMail(now: now, limit: 10)
        #expect(due.isEmpty, "failed mail waits for its retry time; sent mail is done")
        #expect(try await store.dueMail(now: now.adding(days: 1), limit: 10).map(\.attempts) == [1])
    }

    func closingAndAnonymising(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        _ = try await store.commitSignatures([PendingSignature(petitionID: .init(1), signature: try signature("Ada", "ada@x.org"))], now: now)
        var petition = try #require(try await store.petition(.init(1)))
        #expect(try await store.petitionsToClose(now: now).isEmpty)
        #expect(try await store.petitionsToClose(now: now.adding(days: 400)).map(\.id) == [petition.id])
        try petition.apply(.close, at: now)
        try await store.updatePetition(petition, audit: nil)
        #expect(try await store.anonymise(endedBefore: now.adding(days: -1)) == 0, "not closed long enough")
        #expect(try await store.anonymise(endedBefore: now) == 1)
        #expect(try await store.anonymise(endedBefore: now) == 0, "once")
        #expect(try await store.storedSignatureCount(.init(1)) == 1, "counts stay")
        #expect(try await store.petition(.init(1))?.signatureCount == 1)
    }
}

extension PetitionStoreConformance {
    func historyBucketsCountedSignaturesByWhenTheyCounted(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let minute: Int64 = 60_000
        let t0 = Timestamp(millisecondsSince1970: (now.millisecondsSince1970 / minute) * minute)
        _ = try await store.commitSignatures([PendingSignature(petitionID: .init(1), signature: try signature("A", "a@x.org"))], now: t0)
        _ = try await store.commitSignatures([PendingSignature(petitionID: .init(1), signature: try signature("B", "b@x.org")),
                                              PendingSignature(petitionID: .init(1), signature: try signature("C", "c@x.org"))],
                                             now: Timestamp(millisecondsSince1970: t0.millisecondsSince1970 + 2 * minute + 5))
        let pending = PendingSignature.Confirmation(tokenHash: "hx", expiresAt: t0.adding(days: 1), mail: mail("d@x.org"))
        _ = try await store.commitSignatures([PendingSignature(petitionID: .init(1), signature: try signature("D", "d@x.org"), confirmation: pending)], now: t0)
        let history = try await store.signatureHistory(of: .init(1), bucketMilliseconds: minute, constituency: nil)
        #expect(history.map(\.added) == [1, 2], "an unconfirmed signature is not in the history")
        #expect(history.map(\.start) == [t0, Timestamp(millisecondsSince1970: t0.millisecondsSince1970 + 2 * minute)])
    }

    /// Every case of this part of the suite.
    public static let cases: [StoreConformance.Case] = [
        .init("PetitionStoreConformance.theHouseholdRuleInOneBatchAndAcrossBatches") { try await PetitionStoreConformance().theHouseholdRuleInOneBatchAndAcrossBatches($0) },
        .init("PetitionStoreConformance.unconfirmedSignaturesCountOnlyOnceConfirmed") { try await PetitionStoreConformance().unconfirmedSignaturesCountOnlyOnceConfirmed($0) },
        .init("PetitionStoreConformance.petitionsTokensAndTheOutbox") { try await PetitionStoreConformance().petitionsTokensAndTheOutbox($0) },
        .init("PetitionStoreConformance.closingAndAnonymising") { try await PetitionStoreConformance().closingAndAnonymising($0) },
        .init("PetitionStoreConformance.historyBucketsCountedSignaturesByWhenTheyCounted") { try await PetitionStoreConformance().historyBucketsCountedSignaturesByWhenTheyCounted($0) },
    ]
}
