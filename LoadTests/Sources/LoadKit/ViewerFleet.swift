import NIOCore
import NIOPosix

/// A fleet of viewer connections on one event loop: connect them with bounded concurrency, count what they see,
/// cut and resume them, make some stop reading, and wait until all have seen a value.
///
/// Every method must be called on `loop` (the worker process runs one loop, one thread). Replies go through the
/// `reply` closure given at creation.
public final class ViewerFleet: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var kind: ServerKind
        public let topic: String
        /// A sitting topic: viewers record published question ids instead of counts (decided once, not per frame).
        public let watchesQuestions: Bool
        /// A bill topic: viewers record published comment ids and marker moves (`FrameScan.billValue`).
        public let watchesBill: Bool
        public var viewers: Int
        /// Local addresses to connect from, in turn (127.0.0.x spreads connections over more source ports).
        public var sources: [String]
        /// Connections being opened at once.
        public var maxInFlight: Int
        /// Attempts per connection before it counts as failed (not counted while rejoining).
        public var maxAttempts: Int
        /// Set: a viewer whose connection is lost (the server died) reconnects on its own with the web client's
        /// backoff and resumes, for as long as it takes (the `crash` scenario). Nil: a lost connection is counted as
        /// dropped and stays closed.
        public var rejoin: ReconnectBackoff?

        public init(
            host: String, port: Int, kind: ServerKind, topic: String, viewers: Int, sources: [String],
            maxInFlight: Int = 256, maxAttempts: Int = 50, rejoin: ReconnectBackoff? = nil
        ) {
            self.host = host
            self.port = port
            self.kind = kind
            self.topic = topic
            self.watchesQuestions = topic.hasPrefix("sitting:")
            self.watchesBill = topic.hasPrefix("bill:")
            self.viewers = viewers
            self.sources = sources.isEmpty ? ["127.0.0.1"] : sources
            self.maxInFlight = maxInFlight
            self.maxAttempts = maxAttempts
            self.rejoin = rejoin
        }
    }

    public let configuration: Configuration
    public let loop: any EventLoop
    private let reply: @Sendable (WorkerEvent) -> Void
    private let sourceAddresses: [SocketAddress]
    var viewers: [Viewer] = []
    private var pending = CircularBuffer<Int>()
    private var inFlight = 0
    private var sourceCursor = 0
    private var started: UInt64 = 0
    private var settled = false
    // Counters
    var framesReceived = 0
    var serverErrors = 0
    private var readyCount = 0
    private var failedCount = 0
    private var retries = 0
    private var dropped = 0
    private var closeCodes: [Int: Int] = [:]
    private var recovered = 0
    private var unrecovered = 0
    // A cut in progress
    private var cutStarted: UInt64 = 0
    private var cutRemaining = 0
    // An await in progress
    private var awaitValue: Int64 = 0
    private var awaitTarget = 0
    private var awaitReached = 0
    private var awaitTimer: Scheduled<Void>?
    private var awaiting = false
    // A `rejoined` report in progress: the coordinator's restart time, and the timeout.
    private var rejoinSince: UInt64 = 0
    private var rejoinTimer: Scheduled<Void>?

    public init(configuration: Configuration, loop: any EventLoop, reply: @escaping @Sendable (WorkerEvent) -> Void) throws {
        self.configuration = configuration
        self.loop = loop
        self.reply = reply
        self.sourceAddresses = try configuration.sources.map { try SocketAddress(ipAddress: $0, port: 0) }
        self.viewers = (0..<configuration.viewers).map { Viewer(index: $0) }
    }

    // MARK: - Connecting

    /// Opens every viewer; replies `ready` once each is subscribed or has failed for good.
    public func start() {
        loop.preconditionInEventLoop()
        started = MonotonicClock.nanos()
        for index in viewers.indices { pending.append(index) }
        pump()
        if viewers.isEmpty { settle() }
    }

    private func pump() {
        while inFlight < configuration.maxInFlight, let index = pending.popFirst() {
            inFlight += 1
            connect(viewers[index])
        }
    }

    private func connect(_ viewer: Viewer) {
        viewer.attempts += 1
        let source = sourceAddresses[sourceCursor % sourceAddresses.count]
        sourceCursor &+= 1
        let fleet = self
        ClientBootstrap(group: loop)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(to: source)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ViewerHandler(viewer: viewer, fleet: fleet))
                }
            }
            .connect(host: configuration.host, port: configuration.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    viewer.channel = channel
                case .failure:
                    fleet.attemptFailed(viewer)
                }
            }
    }

    /// A connect, upgrade or subscribe did not complete: retry with a short backoff, or give up.
    private func attemptFailed(_ viewer: Viewer) {
        viewer.channel = nil
        inFlight -= 1
        if let backoff = configuration.rejoin, viewer.lostAt != 0 {
            // The server is away (or just back and busy): wait as the web client would, then try again, without end.
            retries += 1
            scheduleRejoin(viewer, backoff)
        } else if viewer.attempts < configuration.maxAttempts {
            retries += 1
            let delay = TimeAmount.milliseconds(Int64(min(1_000, 20 * viewer.attempts)))
            loop.scheduleTask(in: delay) { [self] in
                pending.append(viewer.index)
                pump()
            }
        } else {
            failedCount += 1
            if viewer.isReconnecting { viewer.isReconnecting = false; cutRemaining -= 1; checkCut() }
            checkSettled()
        }
        pump()
    }

    func viewerReady(_ viewer: Viewer, recovered: Bool?) {
        guard !viewer.isReady else { return }
        viewer.isReady = true
        viewer.attempts = 0
        readyCount += 1
        inFlight -= 1
        if viewer.lostAt != 0 && viewer.backAt == 0 {
            viewer.backAt = MonotonicClock.nanos()
            viewer.backRecovered = recovered
        }
        switch recovered {
        case true?: self.recovered += 1
        case false?: self.unrecovered += 1
        case nil: break
        }
        if viewer.isReconnecting {
            viewer.isReconnecting = false
            cutRemaining -= 1
            checkCut()
        }
        if awaiting && !viewer.isSlow {
            awaitTarget += 1
            if viewer.lastValue >= awaitValue { awaitReached += 1 }
            checkAwait()
        }
        checkSettled()
        checkRejoined()
        pump()
    }

    func viewerClosed(_ viewer: Viewer) {
        viewer.channel = nil
        if viewer.isReady {
            viewer.isReady = false
            readyCount -= 1
            if awaiting && !viewer.isSlow {
                awaitTarget -= 1
                if viewer.lastValue >= awaitValue { awaitReached -= 1 }
            }
            if viewer.isReconnecting {
                pending.append(viewer.index)
                pump()
            } else if let backoff = configuration.rejoin {
                viewer.lostAt = MonotonicClock.nanos()
                viewer.backAt = 0
                viewer.backRecovered = nil
                viewer.snapshotValue = -1
                scheduleRejoin(viewer, backoff)
            } else {
                dropped += 1
            }
            checkAwait()
        } else {
            attemptFailed(viewer)
        }
    }

    /// Reconnects `viewer` after the web client's backoff for its attempt number (0 after a connection was lost, then
    /// one more for each failed attempt).
    private func scheduleRejoin(_ viewer: Viewer, _ backoff: ReconnectBackoff) {
        let delay = backoff.delayMs(attempt: viewer.attempts, random: Double.random(in: 0..<1))
        loop.scheduleTask(in: .microseconds(Int64(delay * 1000))) { [self] in
            pending.append(viewer.index)
            pump()
        }
    }

    func serverClosed(_ viewer: Viewer, code: Int) {
        closeCodes[code, default: 0] += 1
    }

    func protocolFailure(_ viewer: Viewer, _ error: any Error) {
        serverErrors += 1
    }

    private func checkSettled() {
        guard !settled, readyCount + failedCount == viewers.count else { return }
        settle()
    }

    private func settle() {
        settled = true
        var event = WorkerEvent(event: "ready")
        event.ms = Double(MonotonicClock.nanos() - started) / 1e6
        event.stats = stats()
        reply(event)
    }

    // MARK: - Commands

    /// Runs one command from the coordinator.
    public func handle(_ command: WorkerCommand) {
        loop.preconditionInEventLoop()
        switch command.cmd {
        case "status":
            var event = WorkerEvent(event: "status")
            event.stats = stats()
            reply(event)
        case "await":
            startAwait(value: command.value ?? 0, timeoutMs: command.timeoutMs ?? 10_000)
        case "cut":
            cut()
        case "stop_reading":
            stopReading(every: max(1, command.every ?? 10))
        case "clear":
            for viewer in viewers { viewer.frames.removeAll(keepingCapacity: true) }
            reply(WorkerEvent(event: "cleared"))
        case "dump":
            dump(to: command.path ?? "")
        case "rejoined":
            startRejoined(since: UInt64(max(0, command.value ?? 0)), timeoutMs: command.timeoutMs ?? 120_000)
        default:
            var event = WorkerEvent(event: "error")
            event.message = "unknown command \(command.cmd)"
            reply(event)
        }
    }

    /// Replies `awaited` once every ready, reading viewer holds a value of at least `value` (or at the timeout,
    /// with `ok: false` and how many are behind).
    private func startAwait(value: Int64, timeoutMs: Int) {
        awaitTimer?.cancel()
        awaiting = true
        awaitValue = value
        awaitTarget = 0
        awaitReached = 0
        for viewer in viewers where viewer.isReady && !viewer.isSlow {
            awaitTarget += 1
            if viewer.lastValue >= value { awaitReached += 1 }
        }
        awaitTimer = loop.scheduleTask(in: .milliseconds(Int64(timeoutMs))) { [self] in
            finishAwait(ok: false)
        }
        checkAwait()
    }

    /// A viewer's value rose from `previous`; counts it once, when it first crosses the awaited value.
    func valueSeen(_ viewer: Viewer, previous: Int64) {
        guard awaiting, viewer.isReady, !viewer.isSlow else { return }
        if previous < awaitValue && viewer.lastValue >= awaitValue { awaitReached += 1 }
        checkAwait()
    }

    private func checkAwait() {
        if awaiting && awaitReached >= awaitTarget { finishAwait(ok: true) }
    }

    private func finishAwait(ok: Bool) {
        guard awaiting else { return }
        awaiting = false
        awaitTimer?.cancel()
        awaitTimer = nil
        var event = WorkerEvent(event: "awaited")
        event.ok = ok
        event.value = awaitValue
        event.behind = max(0, awaitTarget - awaitReached)
        reply(event)
    }

    /// Closes every connection at once and reconnects each with resume; replies `back` when all are subscribed again.
    private func cut() {
        cutStarted = MonotonicClock.nanos()
        cutRemaining = 0
        for viewer in viewers where viewer.isReady {
            viewer.isReconnecting = true
            cutRemaining += 1
            viewer.channel?.close(promise: nil)
        }
        checkCut()
    }

    private func checkCut() {
        guard cutStarted != 0, cutRemaining == 0 else { return }
        var event = WorkerEvent(event: "back")
        event.ms = Double(MonotonicClock.nanos() - cutStarted) / 1e6
        event.stats = stats()
        cutStarted = 0
        reply(event)
    }

    /// Replies `rejoined` once every viewer that lost its connection since the last report is subscribed again (or
    /// at the timeout, with `ok: false` and how many are not): for each, the milliseconds from `since` (the
    /// coordinator's restart of the server) until it was back; how many came back with a snapshot and how many
    /// resumed from the history; the lowest and highest count those snapshots carried. Then starts afresh.
    private func startRejoined(since: UInt64, timeoutMs: Int) {
        rejoinTimer?.cancel()
        rejoinSince = max(1, since)
        rejoinTimer = loop.scheduleTask(in: .milliseconds(Int64(timeoutMs))) { [self] in
            finishRejoined(ok: false)
        }
        checkRejoined()
    }

    private func checkRejoined() {
        guard rejoinSince != 0 else { return }
        // Every viewer that was subscribed (so not one that failed for good at the start) must have been lost and be
        // back, subscribed again.
        for viewer in viewers where viewer.isReady || viewer.lostAt != 0 {
            if viewer.lostAt == 0 || viewer.backAt == 0 || !viewer.isReady { return }
        }
        finishRejoined(ok: true)
    }

    private func finishRejoined(ok: Bool) {
        guard rejoinSince != 0 else { return }
        var event = WorkerEvent(event: "rejoined")
        event.ok = ok
        var times: [Double] = []
        var notBack = 0, snapshots = 0, resumed = 0
        var low = Int64.max, high = Int64.min
        for viewer in viewers {
            guard viewer.lostAt != 0 else { continue }
            guard viewer.backAt != 0 else { notBack += 1; continue }
            times.append(viewer.backAt > rejoinSince ? Double(viewer.backAt - rejoinSince) / 1e6 : 0)
            if viewer.backRecovered == true {
                resumed += 1
            } else {
                snapshots += 1
                low = min(low, viewer.snapshotValue)
                high = max(high, viewer.snapshotValue)
            }
        }
        event.times = times
        event.behind = notBack
        event.count = snapshots
        event.resumed = resumed
        event.low = snapshots > 0 ? low : nil
        event.high = snapshots > 0 ? high : nil
        event.stats = stats()
        rejoinTimer?.cancel()
        rejoinTimer = nil
        rejoinSince = 0
        for viewer in viewers {
            viewer.lostAt = 0
            viewer.backAt = 0
            viewer.backRecovered = nil
        }
        reply(event)
    }

    /// Every `every`-th viewer stops reading from its socket (the others go on).
    private func stopReading(every: Int) {
        var count = 0
        for viewer in viewers where viewer.index % every == 0 {
            viewer.isSlow = true
            count += 1
            _ = viewer.channel?.setOption(ChannelOptions.autoRead, value: false)
        }
        var event = WorkerEvent(event: "stopped_reading")
        event.count = count
        reply(event)
    }

    private func dump(to path: String) {
        var event = WorkerEvent(event: "dumped")
        do {
            try FrameLog.write(viewers.map { FrameLog.ViewerLog(slow: $0.isSlow, frames: $0.frames) }, to: path)
            event.path = path
            event.stats = stats()
        } catch {
            event.event = "error"
            event.message = "could not write \(path): \(error)"
        }
        reply(event)
    }

    func stats() -> FleetStats {
        var stats = FleetStats()
        stats.viewers = viewers.count
        stats.ready = readyCount
        stats.failed = failedCount
        stats.retries = retries
        stats.slow = viewers.reduce(0) { $0 + ($1.isSlow ? 1 : 0) }
        stats.frames = framesReceived
        stats.serverErrors = serverErrors
        stats.dropped = dropped
        stats.closeCodes = Dictionary(uniqueKeysWithValues: closeCodes.map { (String($0.key), $0.value) })
        stats.missedEvents = viewers.reduce(0) { $0 + $1.missedEvents }
        stats.recovered = recovered
        stats.unrecovered = unrecovered
        let values = viewers.filter { $0.isReady && !$0.isSlow }.map(\.lastValue)
        stats.minLastValue = values.min() ?? -1
        stats.maxLastValue = values.max() ?? -1
        return stats
    }
}
