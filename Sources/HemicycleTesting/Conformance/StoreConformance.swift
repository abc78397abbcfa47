import Foundation
public import HemicycleCore
public import HemicycleStorage
import Testing

/// One suite, run against every store: the contracts of `HemicycleStore` hold for each backend.
public struct StoreConformance {
    public init() {}

    public static let now = Timestamp(millisecondsSince1970: 1_764_400_000_000)

    /// A store from `makeStore`, migrated and seeded with the demo (petition 1: open, thresholds 3 and 5; sitting 1).
    public static func seeded(_ makeStore: StoreFactory) async throws -> any HemicycleStore {
        let store = try await makeStore()
        try await store.migrate()
        #expect(try await store.seedDemoIfEmpty(.standard(now: now, responseThreshold: 3, debateThreshold: 5)))
        return store
    }

    /// A valid signature numbered `n` ("Signer n", sn@example.org) on `petition`.
    public static func signature(_ n: Int, petition: Int64 = 1) throws -> PendingSignature {
        PendingSignature(petitionID: .init(petition), signature: try SignatureRequest(name: "Signer \(n)", email: "s\(n)@example.org").validated().get())
    }

    func seedsOnceAndReadsBack(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        #expect(try await store.seedDemoIfEmpty(.standard(now: Self.now)) == false, "a second seed does nothing")
        let petition = try #require(try await store.petition(.init(1)))
        #expect(petition.state == .open)
        #expect(petition.signatureCount == 0)
        #expect(petition.thresholds.map(\.signatures) == [3, 5])
        #expect(try await store.sitting(.init(1))?.state == .scheduled)
        #expect(try await store.petition(.init(2)) == nil)
        try await store.close()
    }

    func commitsABatchWithDuplicatesAndUnknowns(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        let batch = [try Self.signature(1), try Self.signature(2), try Self.signature(1), try Self.signature(3, petition: 99)]
        let result = try await store.commitSignatures(batch, now: Self.now)
        guard case .accepted(_, let count) = result.outcomes[0], case .accepted = result.outcomes[1] else {
            Issue.record("the first two must be accepted: \(result.outcomes)")
            return
        }
        #expect(count == 2)
        #expect(result.outcomes[2] == .duplicate)
        #expect(result.outcomes[3] == .notFound)
        #expect(result.changes == [.init(petitionID: .init(1), signatureCount: 2, thresholdsReached: [])])
        #expect(try await store.petition(.init(1))?.signatureCount == 2)
        #expect(try await store.storedSignatureCount(.init(1)) == 2)

        let again = try await store.commitSignatures([try Self.signature(2)], now: Self.now)
        #expect(again.outcomes == [.duplicate])
        #expect(again.changes.isEmpty)
        try await store.close()
    }

    func stampsThresholdsOnce(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        let first = try await store.commitSignatures((1...3).map { try Self.signature($0) }, now: Self.now)
        #expect(first.changes.first?.thresholdsReached.map(\.name) == ["response"])
        let second = try await store.commitSignatures((4...6).map { try Self.signature($0) }, now: Self.now)
        #expect(second.changes.first?.thresholdsReached.map(\.name) == ["debate"])
        let petition = try #require(try await store.petition(.init(1)))
        #expect(petition.thresholds.allSatisfy { $0.reachedAt == Self.now })
        #expect(petition.signatureCount == 6)
        try await store.close()
    }

    /// Every case of this part of the suite.
    public static let cases: [StoreConformance.Case] = [
        .init("StoreConformance.seedsOnceAndReadsBack") { try await StoreConformance().seedsOnceAndReadsBack($0) },
        .init("StoreConformance.commitsABatchWithDuplicatesAndUnknowns") { try await StoreConformance().commitsABatchWithDuplicatesAndUnknowns($0) },
        .init("StoreConformance.stampsThresholdsOnce") { try await StoreConformance().stampsThresholdsOnce($0) },
    ]
}
