import HemicycleHub
import NIOCore

/// Collects the subscribe requests of one event loop's connections during a turn of the loop and takes them to the
/// hub together: one task and one hop onto the hub actor per batch instead of per request, and one hop back with the
/// outcomes. When thousands of viewers connect at once, a turn reads many sockets before it runs its tasks, so a
/// batch holds all the subscribes that arrived in that turn (up to `maxBatch`).
///
/// Order: requests reach the hub in the order they were submitted, and each connection has at most one in flight
/// (`LiveConnectionHandler` runs its requests one at a time), so a connection's requests keep their order.
// `@unchecked Sendable`: every member asserts it runs on `eventLoop`; only the reference crosses threads.
final class SubscribeBatcher: @unchecked Sendable {
    typealias Completion = (SubscribeOutcome) -> Void

    let eventLoop: any EventLoop
    private let hub: Hub
    private let executor: EventLoopTaskExecutor
    private var waiting: [SubscribeRequest] = []
    private var completions: [Completion] = []
    /// The most requests taken to the hub at once (the hub runs a batch without yielding).
    static let maxBatch = 256

    init(eventLoop: any EventLoop, hub: Hub, executor: EventLoopTaskExecutor) {
        self.eventLoop = eventLoop
        self.hub = hub
        self.executor = executor
    }

    /// Queues `request`; `completion` runs on this loop with its outcome, after the hub has scheduled its writes.
    func submit(_ request: SubscribeRequest, completion: @escaping Completion) {
        eventLoop.assertInEventLoop()
        waiting.append(request)
        completions.append(completion)
        if waiting.count == 1 {
            // Runs after the I/O of this turn, so every subscribe read in it joins the batch.
            eventLoop.execute { self.flush() }
        }
    }

    private func flush() {
        eventLoop.assertInEventLoop()
        while !waiting.isEmpty {
            let count = min(waiting.count, Self.maxBatch)
            let batch = Array(waiting.prefix(count))
            let done = NIOLoopBound(Array(completions.prefix(count)), eventLoop: eventLoop)
            waiting.removeFirst(count)
            completions.removeFirst(count)
            let hub = hub, loop = eventLoop
            Task(executorPreference: executor) {
                let outcomes = await hub.subscribe(batch: batch)
                loop.execute {
                    for (completion, outcome) in zip(done.value, outcomes) { completion(outcome) }
                }
            }
        }
    }
}
