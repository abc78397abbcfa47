import Foundation

/// A FIFO of worker events filled by a reader thread and drained by async code, in arrival order.
final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [WorkerEvent] = []
    private var waiter: CheckedContinuation<WorkerEvent, Never>?

    func push(_ event: WorkerEvent) {
        lock.lock()
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(returning: event)
        } else {
            items.append(event)
            lock.unlock()
        }
    }

    func next() async -> WorkerEvent {
        await withCheckedContinuation { continuation in
            lock.lock()
            if items.isEmpty {
                waiter = continuation
                lock.unlock()
            } else {
                let event = items.removeFirst()
                lock.unlock()
                continuation.resume(returning: event)
            }
        }
    }
}
