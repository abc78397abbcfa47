public import HemicycleCore
import Logging
import Metrics

/// Group commit for signatures: concurrent `sign` calls are gathered into batches, each stored in one transaction;
/// no caller is answered before its batch has committed.
///
/// While one batch commits, new signatures queue; the next batch takes all of them (up to `maxBatch`). Under light
/// load a batch holds one signature and adds no delay; under a surge batches grow and the cost of a commit (its
/// fsync) is shared.
///
/// Contracts: `run()` must be running for `sign` to complete; `finish()` stops taking new signatures, and `run()`
/// returns once every signature already taken has been committed (or failed) and answered.
public actor SignatureCommitter {
    /// Called after each committed batch, before its callers are answered, with the petitions whose counts changed.
    public typealias CommitObserver = @Sendable (SignatureBatchResult) async -> Void

    private struct Waiting {
        var signature: PendingSignature
        var continuation: CheckedContinuation<SignatureOutcome, any Error>
    }

    private let store: any HemicycleStore
    private let maxBatch: Int
    private let clock: any WallClock
    private let logger: Logger
    private var observer: CommitObserver?
    private var queue: [Waiting] = []
    private var accepting = true
    private let wakeStream: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    private let committed = Counter(label: "hemicycle_signatures_committed_total")
    private let batchSizes = Recorder(label: "hemicycle_signature_batch_size", aggregate: true)
    private let failedBatches = Counter(label: "hemicycle_signature_batches_failed_total")

    public init(store: any HemicycleStore, maxBatch: Int = 1000, logger: Logger, clock: any WallClock) {
        self.store = store
        self.maxBatch = max(1, maxBatch)
        self.clock = clock
        self.logger = logger
        (wakeStream, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Sets the function told of every committed batch (the live hub's publisher).
    public func onCommit(_ observer: @escaping CommitObserver) {
        self.observer = observer
    }

    /// Queues a signature and returns its outcome once its batch is durable.
    /// - Throws: `StoreError.shuttingDown` after `finish()`, or the store's error if its batch failed (then nothing
    ///   of that batch was stored).
    public func sign(_ signature: PendingSignature) async throws -> SignatureOutcome {
        guard accepting else { throw StoreError(.shuttingDown, "The server is shutting down; try again in a moment.") }
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Waiting(signature: signature, continuation: continuation))
            wake.yield()
        }
    }

    /// Stops taking signatures; `run()` drains what it has and returns.
    public func finish() {
        accepting = false
        wake.finish()
    }

    /// Commits batches until `finish()` is called and the queue is empty.
    public func run() async {
        for await _ in wakeStream {
            await drain()
        }
        // Finished or cancelled: take nothing more, and answer everything already taken.
        accepting = false
        await drain()
    }

    private func drain() async {
        while !queue.isEmpty {
            let take = min(queue.count, maxBatch)
            let batch = Array(queue.prefix(take))
            queue.removeFirst(take)
            await commit(batch)
        }
    }

    private func commit(_ batch: [Waiting]) async {
        batchSizes.record(batch.count)
        do {
            let result = try await store.commitSignatures(batch.map(\.signature), now: clock())
            committed.increment(by: result.outcomes.filter { if case .accepted = $0 { true } else { false } }.count)
            if let observer, !result.changes.isEmpty { await observer(result) }
            for (waiting, outcome) in zip(batch, result.outcomes) { waiting.continuation.resume(returning: outcome) }
        } catch {
            failedBatches.increment()
            logger.error("signature batch failed; nothing of it was stored", metadata: ["size": "\(batch.count)", "error": "\(error)"])
            for waiting in batch { waiting.continuation.resume(throwing: error) }
        }
    }
}
