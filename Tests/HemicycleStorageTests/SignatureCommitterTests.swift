import HemicycleCore
import HemicycleStorage
import HemicycleTesting
import Logging
import Synchronization
import Testing

@Suite struct SignatureCommitterTests {
    func valid(_ n: Int) -> ValidSignature {
        try! SignatureRequest(name: "Signer \(n)", email: "s\(n)@example.org").validated().get()
    }

    @Test func concurrentSignersAreGroupCommittedAndAllCounted() async throws {
        let store = InMemoryStore()
        _ = try await store.seedDemoIfEmpty(.standard(now: .init(millisecondsSince1970: 0)))
        let committer = SignatureCommitter(store: store, maxBatch: 50, logger: Logger(label: "test"), clock: ManualClock(at: .init(millisecondsSince1970: 0)))
        let batches = Mutex<[Int]>([])
        let lastCount = Mutex(0)
        await committer.onCommit { result in
            batches.withLock { $0.append(result.outcomes.count) }
            for change in result.changes {
                lastCount.withLock {
                    #expect(change.signatureCount > $0, "counts published in commit order never go backwards")
                    $0 = change.signatureCount
                }
            }
        }
        let runner = Task { await committer.run() }
        let accepted = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<500 {
                group.addTask {
                    if case .accepted? = try? await committer.sign(PendingSignature(petitionID: .init(1), signature: valid(n))) { return true }
                    return false
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        await committer.finish()
        await runner.value
        #expect(accepted == 500)
        #expect(try await store.petition(.init(1))?.signatureCount == 500)
        #expect(lastCount.withLock { $0 } == 500)
        #expect(batches.withLock { $0.reduce(0, +) } == 500)
        #expect(batches.withLock { $0.allSatisfy { $0 <= 50 } })
    }

    @Test func aFailedBatchStoresNothingAndTellsEveryCaller() async throws {
        struct DiskFull: Error {}
        let store = InMemoryStore()
        _ = try await store.seedDemoIfEmpty(.standard(now: .init(millisecondsSince1970: 0)))
        await store.failNextCommit(with: DiskFull())
        let committer = SignatureCommitter(store: store, logger: Logger(label: "test"), clock: ManualClock(at: .init(millisecondsSince1970: 0)))
        let runner = Task { await committer.run() }
        await #expect(throws: DiskFull.self) {
            try await committer.sign(PendingSignature(petitionID: .init(1), signature: valid(1)))
        }
        #expect(try await store.petition(.init(1))?.signatureCount == 0)
        // The next batch works again.
        let outcome = try await committer.sign(PendingSignature(petitionID: .init(1), signature: valid(2)))
        #expect(outcome == .accepted(signatureID: 1, count: 1))
        await committer.finish()
        await runner.value
    }

    @Test func afterFinishNewSignaturesAreRefused() async throws {
        let store = InMemoryStore()
        let committer = SignatureCommitter(store: store, logger: Logger(label: "test"), clock: ManualClock(at: .init(millisecondsSince1970: 0)))
        let runner = Task { await committer.run() }
        await committer.finish()
        await runner.value
        await #expect(throws: StoreError.self) {
            try await committer.sign(PendingSignature(petitionID: .init(1), signature: valid(1)))
        }
    }
}
