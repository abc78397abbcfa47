import HemicycleHub
import Logging
import NIOCore
import Synchronization

/// What every `/live` connection shares: the hub, the settings, the metrics and the logger, held once instead of
/// copied into each connection's handler (a few hundred bytes per idle viewer, times tens of thousands).
final class LiveConnectionEnvironment: Sendable {
    let hub: Hub
    let settings: LiveSettings
    let metrics: LiveMetrics
    let logger: Logger
    /// Connections opened with a staff session, so that a logout or a role change reaches them (nil in tests that
    /// have no staff).
    let staffSessions: LiveStaffSessions?
    /// A connection that sends nothing for this long is closed (4003): twice the heartbeat plus 5 s.
    let idleTimeout: TimeAmount
    /// One task executor and one subscribe batcher per event loop, made on first use.
    private let taskExecutors = Mutex<[ObjectIdentifier: (executor: EventLoopTaskExecutor, batcher: SubscribeBatcher)]>([:])

    init(hub: Hub, settings: LiveSettings, metrics: LiveMetrics, logger: Logger, staffSessions: LiveStaffSessions? = nil) {
        self.hub = hub
        self.staffSessions = staffSessions
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        let heartbeat = hub.configuration.heartbeat
        let heartbeatNanos = heartbeat.components.seconds * 1_000_000_000 + heartbeat.components.attoseconds / 1_000_000_000
        self.idleTimeout = .nanoseconds(2 * heartbeatNanos + 5_000_000_000)
    }

    /// The task executor that runs tasks on `loop` (see `EventLoopTaskExecutor`).
    func taskExecutor(for loop: any EventLoop) -> EventLoopTaskExecutor {
        perLoop(loop).executor
    }

    /// The subscribe batcher of `loop`'s connections (see `SubscribeBatcher`).
    func subscribeBatcher(for loop: any EventLoop) -> SubscribeBatcher {
        perLoop(loop).batcher
    }

    private func perLoop(_ loop: any EventLoop) -> (executor: EventLoopTaskExecutor, batcher: SubscribeBatcher) {
        taskExecutors.withLock { executors in
            if let existing = executors[ObjectIdentifier(loop)] { return existing }
            let executor = EventLoopTaskExecutor(eventLoop: loop)
            let made = (executor: executor, batcher: SubscribeBatcher(eventLoop: loop, hub: hub, executor: executor))
            executors[ObjectIdentifier(loop)] = made
            return made
        }
    }
}
