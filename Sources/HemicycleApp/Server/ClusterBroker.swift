import HemicycleCore
import HemicycleHub
import HemicycleStorage
import Logging
import ServiceLifecycle

/// The broker of several nodes on one PostgreSQL (`LiveBroker`): what publishers declare, publish and retire is
/// appended to the shared event log (`SharedEventLog`), which numbers it per topic; every node, this one included,
/// reads the new entries and publishes them on its own hub at those offsets, so a client resumes on any node.
///
/// - Writing: a reliable event, a declaration made while running and a topic's end are appended at once (the
///   publisher awaits the commit); conflated events (counts, votes, tallies, viewers) at most once per tick per
///   topic and name, with the latest data. A petition's `count` is read by the database in the statement that
///   numbers it (`BusDraft.Data.petitionCount`), so counts never go backwards whichever node wrote them. Appends
///   that fail (the database is gone) are kept in order and retried.
/// - Waking: after appending, at most one `NOTIFY` per tick carries the topics and their newest offsets (never
///   bodies, `BusNotice`); this node wakes its own reader directly.
/// - Reading: at most once per tick (leading edge), one query reads every entry after this node's offsets of the
///   topics it was told about; superseded conflated entries are dropped (`BusEntry.conflate`) and the rest
///   published in offset order. Topics another node changed are passed to `onForeign` (the app refreshes its
///   caches, a sitting's room); topics whose history was pruned past this node's offset get a fresh snapshot
///   (`onLost`) under a restarted history.
/// - Presence: each node reports its viewers per sitting once a second and publishes the sum and peak across nodes
///   (`PresenceTally`) when they changed; a node that stops reporting drops out after `presenceExpiry`.
/// - Failure: on losing the database it keeps its sockets, listens again after a jittered backoff, then reads
///   everything after its offsets. `state` says whether it listens (`/ready`).
actor ClusterBroker: LiveBroker, Service {
    enum BusState: String, Sendable {
        case starting
        case listening
        case reconnecting
    }

    let hub: Hub
    let log: any SharedEventLog
    let settings: ClusterSettings
    let tick: Duration
    let logger: Logger
    private(set) var state: BusState = .starting
    private var running = false
    private var cursors: [Topic: UInt64] = [:]
    private var wanted: Set<Topic> = []
    private var wantAll = false
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private var pending: [BusDraft] = []
    private var conflated: [String: (draft: BusDraft, pacer: Conflator)] = [:]
    private var notice = BusNotice()
    private var notifyPacer: Conflator
    private var onForeign: (@Sendable (Set<Topic>) async -> Void)?
    private var onLost: (@Sendable (Topic) async -> JSONValue?)?
    private var onCurrent: (@Sendable (Topic) async -> JSONValue?)?
    private var onReconnected: (@Sendable () async -> Void)?
    /// Whether this node has listened before: listening again means it was cut off, and what it missed may not all be
    /// in the log (`onReconnected`).
    private var listenedBefore = false
    /// Set when listening again: the next successful read is followed by `onReconnected`.
    private var catchUpAfterRead = false
    private var readRetryScheduled = false
    private var noticeRetryScheduled = false

    init(hub: Hub, settings: ClusterSettings, tick: Duration, logger: Logger) {
        self.hub = hub
        self.log = settings.log
        self.settings = settings
        self.tick = tick
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        notifyPacer = Conflator(tick: tick)
    }

    /// Sets what runs when other nodes changed topics, how a topic whose history was lost is read again, what a topic's
    /// state is as this node's caches hold it, and what runs after this node listens again following a loss of the
    /// database.
    ///
    /// - `foreign`: other nodes changed these topics; the app reads its caches of them again from the store (called
    ///   before their entries go to the sockets).
    /// - `lost`: a topic's snapshot read again, when the shared history no longer holds what this node missed.
    /// - `current`: a topic's state as this node's caches hold it (nil: the entries' own snapshots are kept). Called
    ///   after `foreign`, for every topic that got entries: it becomes the topic's snapshot, since an entry's snapshot
    ///   was made from its writer's caches, which may lag a change another node numbered earlier.
    /// - `reconnected`: this node listens again after losing the database; the entries appended meanwhile have been
    ///   read and sent. The app reads what it serves from the store again and publishes what still differs (a change
    ///   committed whose event never reached the log).
    func observe(
        foreign: @escaping @Sendable (Set<Topic>) async -> Void, lost: @escaping @Sendable (Topic) async -> JSONValue?,
        current: (@Sendable (Topic) async -> JSONValue?)? = nil, reconnected: (@Sendable () async -> Void)? = nil
    ) {
        onForeign = foreign
        onLost = lost
        onCurrent = current
        onReconnected = reconnected
    }

    // MARK: - LiveBroker

    func declare(_ topic: Topic, snapshot: JSONValue, tracksPresence: Bool) async {
        if await hub.state(of: topic) == nil {
            // New here: numbered where the shared log stands (later entries come through the reader), with the
            // shared log's recent entries as this node's history, so a client resumes here from where it was on
            // another node, or on this one before it restarted.
            do {
                guard let position = try await log.positions(of: [topic])[topic] else { return }
                let keep = UInt64(hub.configuration.historyCapacity)
                let from = position.offset > keep ? position.offset - keep : 0
                let read = from < position.offset ? try await log.entries(after: [topic: from]) : nil
                if let read, !read.lost.contains(topic), read.epochs[topic] ?? position.epoch == position.epoch {
                    // Nobody subscribes before the topic is declared: ingesting fills the history and sends nothing.
                    await hub.declare(topic, snapshot: snapshot, tracksPresence: tracksPresence,
                                      at: ResumePosition(epoch: position.epoch, offset: from))
                    let entries = read.entries.filter { $0.topic == topic }
                    await hub.ingest(BusEntry.conflate(entries), epochs: read.epochs)
                    // The store's snapshot, read now, is the state (the entries' snapshots are older).
                    let last = max(position.offset, entries.last?.offset ?? 0)
                    await hub.declare(topic, snapshot: snapshot, tracksPresence: tracksPresence,
                                      at: ResumePosition(epoch: position.epoch, offset: last))
                    cursors[topic] = max(cursors[topic] ?? 0, last)
                } else {
                    await hub.declare(topic, snapshot: snapshot, tracksPresence: tracksPresence, at: position)
                    cursors[topic] = max(cursors[topic] ?? 0, position.offset)
                }
            } catch {
                logger.error("could not declare a topic in the shared log", metadata: ["topic": "\(topic)", "error": "\(error)"])
                return
            }
        } else {
            await hub.declare(topic, snapshot: snapshot, tracksPresence: tracksPresence, at: nil)
        }
        // While running, other nodes learn of it (a new sitting, a petition just opened, a refreshed snapshot).
        if running { await append([BusDraft(topic: topic, kind: .declare, name: "", data: .value(snapshot))]) }
    }

    func retire(_ topic: Topic, event: String, data: JSONValue) async {
        await append([BusDraft(topic: topic, kind: .retire, name: event, data: .value(data))])
    }

    func state(of topic: Topic) async -> (data: JSONValue, epoch: String, offset: UInt64)? {
        await hub.state(of: topic)
    }

    func presence(of topic: Topic) async -> (viewers: Int, peak: Int)? {
        await hub.presence(of: topic)
    }

    func publish(_ topic: Topic, event: String, data: JSONValue, delivery: Delivery, snapshotPatch: JSONValue?, snapshot: JSONValue?) async {
        let change: BusEntry.SnapshotChange = snapshot.map { .replace($0) } ?? snapshotPatch.map { .patch($0) } ?? .mergeData
        switch delivery {
        case .reliable:
            await append(LivePublication.event(topic, event: event, data: data, delivery: delivery, snapshotPatch: snapshotPatch, snapshot: snapshot).drafts)
        case .conflated:
            var body = BusDraft.Data.value(data)
            if case .petition(let id) = topic, event == "count" { body = .petitionCount(id) }
            conflate(BusDraft(topic: topic, kind: .conflated, name: event, data: body, snapshot: change))
        }
    }

    func publish(_ topic: Topic, batch events: [(event: String, data: JSONValue)], snapshot: JSONValue) async {
        await append(LivePublication.batch(topic, events: events.map { LiveBatchEvent(event: $0.event, data: $0.data) }, snapshot: snapshot).drafts)
    }

    /// Entries another writer appended in its own transaction (an action's outbox, `LiveOutboxStore`), now committed:
    /// they are sent like this broker's own (the reader woken, the other nodes notified).
    func committed(_ entries: [BusEntry]) {
        guard !entries.isEmpty else { return }
        appended(entries)
    }

    // MARK: - Writing

    /// Appends in order behind any that wait for the database.
    private func append(_ drafts: [BusDraft]) async {
        guard !drafts.isEmpty else { return }
        guard pending.isEmpty else {
            pending += drafts
            return
        }
        do {
            appended(try await log.append(drafts))
        } catch {
            logger.warning("could not append to the shared log; kept to retry", metadata: ["error": "\(error)"])
            pending += drafts
        }
    }

    private func retryPending() async {
        guard !pending.isEmpty else { return }
        let drafts = pending
        do {
            let entries = try await log.append(drafts)
            pending.removeFirst(drafts.count)
            appended(entries)
        } catch {
            logger.debug("shared log still unavailable", metadata: ["error": "\(error)"])
        }
    }

    private func conflate(_ draft: BusDraft) {
        let key = "\(draft.topic)|\(draft.name)"
        var slot = conflated[key] ?? (draft, Conflator(tick: tick))
        slot.draft = draft
        let decision = slot.pacer.change(now: .now)
        conflated[key] = slot
        switch decision {
        case .sendNow:
            Task { await self.append([draft]) }
        case .scheduleFlush(let deadline):
            Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                await self.flushConflated(key)
            }
        case .collapsed:
            break
        }
    }

    private func flushConflated(_ key: String) async {
        guard var slot = conflated[key], slot.pacer.fire(now: .now) else { return }
        conflated[key] = slot
        await append([slot.draft])
    }

    private func appended(_ entries: [BusEntry]) {
        for entry in entries {
            notice.add(entry.topic, entry.offset)
            wanted.insert(entry.topic)
        }
        wake.yield()
        switch notifyPacer.change(now: .now) {
        case .sendNow:
            Task { await self.sendNotice() }
        case .scheduleFlush(let deadline):
            Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                if await self.notifyDue() { await self.sendNotice() }
            }
        case .collapsed:
            break
        }
    }

    private func notifyDue() -> Bool { notifyPacer.fire(now: .now) }

    private func sendNotice() async {
        let sending = notice
        notice = BusNotice()
        guard !sending.isEmpty else { return }
        do {
            try await log.notify(sending)
        } catch {
            // The entries are in the log but nobody was woken: kept and sent again (merged with any later notice),
            // or the others would not read them before the next change of the same topics. Not after stopping.
            guard running else { return }
            logger.warning("NOTIFY failed; kept to send again", metadata: ["error": "\(error)"])
            if sending.everything { notice.everything = true }
            for (topic, offset) in sending.offsets { notice.add(topic, offset) }
            guard !noticeRetryScheduled else { return }
            noticeRetryScheduled = true
            let wait = settings.backoff
            Task {
                try? await Task.sleep(for: wait)
                await self.retryNotice()
            }
        }
    }

    private func retryNotice() async {
        noticeRetryScheduled = false
        await sendNotice()
    }

    // MARK: - Reading

    private func noticed(_ notice: BusNotice) {
        if notice.everything {
            wantAll = true
        } else {
            for (topic, offset) in notice.offsets where offset > (cursors[topic] ?? 0) { wanted.insert(topic) }
        }
        wake.yield()
    }

    private func listening() {
        if state != .listening { logger.notice("listening on the shared event log") }
        state = .listening
        wantAll = true
        if listenedBefore { catchUpAfterRead = true }
        listenedBefore = true
        wake.yield()
    }

    private func readNow() async {
        var topics = wantAll ? Set(cursors.keys) : wanted
        topics.formUnion(wanted)
        wanted = []
        wantAll = false
        guard !topics.isEmpty else { return }
        var after: [Topic: UInt64] = [:]
        for topic in topics { after[topic] = cursors[topic] ?? 0 }
        let read: SharedEventLogRead
        do {
            read = try await log.entries(after: after)
        } catch {
            // Read again after a backoff, whether or not another wake-up comes: the entries are in the log and this
            // node's subscribers wait for them.
            logger.warning("could not read the shared log; reading again", metadata: ["error": "\(error)"])
            wanted.formUnion(topics)
            scheduleReadRetry()
            return
        }
        let fresh = read.entries.filter { $0.offset > (cursors[$0.topic] ?? 0) }
        let foreign = Set(fresh.filter { $0.node != log.node }.map(\.topic))
        // The caches first, then the sockets: a moderator who sees a question asked on another node can act on it
        // here at once (this node knows it by then), instead of getting a 404 for a tick.
        if !foreign.isEmpty, let onForeign { await onForeign(foreign) }
        var snapshots: [Topic: JSONValue] = [:]
        if let onCurrent {
            for topic in Set(fresh.map(\.topic)) { snapshots[topic] = await onCurrent(topic) }
        }
        await hub.ingest(BusEntry.conflate(fresh), epochs: read.epochs, snapshots: snapshots)
        for entry in fresh {
            cursors[entry.topic] = max(cursors[entry.topic] ?? 0, entry.offset)
        }
        for topic in read.lost.sorted(by: { $0.description < $1.description }) {
            await resync(topic)
        }
        if catchUpAfterRead {
            catchUpAfterRead = false
            if let onReconnected { await onReconnected() }
        }
    }

    private func scheduleReadRetry() {
        guard !readRetryScheduled else { return }
        readRetryScheduled = true
        let wait = settings.backoff
        Task {
            try? await Task.sleep(for: wait * Double.random(in: 0.5...1.5))
            await self.readRetryDue()
        }
    }

    private func readRetryDue() {
        readRetryScheduled = false
        if running { wake.yield() }
    }

    /// The shared history no longer holds what this node missed of `topic`: start again where the log stands, with
    /// a snapshot read from the store, sent to every subscriber.
    private func resync(_ topic: Topic) async {
        guard let position = try? await log.positions(of: [topic])[topic] else { return }
        var snapshot: JSONValue? = nil
        if let onLost { snapshot = await onLost(topic) }
        if snapshot == nil { snapshot = await hub.state(of: topic)?.data }
        guard let data = snapshot else { return }
        logger.notice("a topic's shared history was lost; subscribers get a snapshot", metadata: ["topic": "\(topic)"])
        await hub.resync(topic, snapshot: data, at: position.offset)
        cursors[topic] = position.offset
        if let onForeign { await onForeign([topic]) }
    }

    // MARK: - Presence and pruning

    private func reportPresence() async {
        let local = await hub.localPresence()
        let tallies: [Topic: PresenceTally]
        do {
            tallies = try await log.reportPresence(local, expiryMilliseconds: Self.milliseconds(settings.presenceExpiry))
        } catch {
            logger.debug("could not report presence", metadata: ["error": "\(error)"])
            return
        }
        for (topic, tally) in tallies where local[topic] != nil {
            let shown = await hub.presence(of: topic)
            guard shown?.viewers != tally.viewers || shown?.peak != tally.peak else { continue }
            let data: JSONValue = .object([("viewers", .int(Int64(tally.viewers))), ("peak_viewers", .int(Int64(tally.peak)))])
            conflate(BusDraft(topic: topic, kind: .conflated, name: "viewers", data: .value(data)))
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    // MARK: - Running

    func run() async throws {
        running = true
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listenLoop() }
            group.addTask { await self.readLoop() }
            group.addTask { await self.every(self.settings.presenceInterval) { await self.reportPresence() } }
            group.addTask { await self.every(self.settings.backoff * 2) { await self.retryPending() } }
            group.addTask {
                await self.every(self.settings.pruneInterval) {
                    _ = try? await self.log.prune(keep: self.settings.historyCount, olderThanMilliseconds: Self.milliseconds(self.settings.historyAge))
                }
            }
            group.addTask {
                try? await gracefulShutdown()
            }
            await group.next()
            group.cancelAll()
        }
        running = false
        wake.finish()
        try? await log.close()
    }

    private nonisolated func every(_ interval: Duration, _ body: @Sendable () async -> Void) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            await body()
        }
    }

    private func listenLoop() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await log.listen(onListening: { await self.listening() }, { notice in await self.noticed(notice) })
            } catch {
                if Task.isCancelled { return }
                logger.warning("lost the shared event log; listening again", metadata: ["error": "\(error)"])
            }
            if Task.isCancelled { return }
            if state == .listening { failures = 0 }
            state = .reconnecting
            failures += 1
            let base = min(settings.backoff * (1 << min(failures - 1, 16)), settings.maxBackoff)
            try? await Task.sleep(for: base * Double.random(in: 0.5...1.5))
        }
    }

    private func readLoop() async {
        var pacer = Conflator(tick: tick)
        for await _ in wakes {
            if Task.isCancelled { return }
            switch pacer.change(now: .now) {
            case .sendNow:
                break
            case .scheduleFlush(let deadline):
                try? await Task.sleep(until: deadline, clock: .continuous)
                _ = pacer.fire(now: .now)
            case .collapsed:
                _ = pacer.fire(now: .now)
            }
            await readNow()
        }
    }
}
