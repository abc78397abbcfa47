import NIOCore

/// Runs Swift tasks on a NIO event loop.
///
/// A viewer's subscribe awaits the hub (an actor). Started as a plain `Task`, it would run on Swift's global executor:
/// two thread switches per subscribe (to a pool thread and back to the loop), which is a fifth of the CPU of a
/// reconnect storm on one core. With this executor as the task's preference, the task and the hub's default-actor
/// code run on the connection's own event loop thread. NIO's event loops are serial executors but not task
/// executors, hence this adapter.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
