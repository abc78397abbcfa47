import HemicycleCore
import HemicycleHub
import HemicycleStorage
import Logging
import ServiceLifecycle

/// Feeds the public `dashboard` topic: once a second it gathers viewers and question counts per sitting and counts,
/// signatures per minute and thresholds per petition, and publishes a conflated `tally` when anything changed.
/// Each tally also feeds the sittings' minute-by-minute series (`GET /api/v1/dashboard/series`): kept in memory for
/// the last `seriesMinutes` minutes, so a restart starts them again (the record of a sitting is the durable part).
actor DashboardService: Service {
    let hub: any LiveBroker
    let store: any HemicycleStore
    let hearings: HearingService
    let logger: Logger
    let clock: any WallClock
    private var rates: [Petition.ID: RateWindow] = [:]
    /// Most petitions in a tally (it is computed every second, and sent to every dashboard viewer).
    static let petitionLimit = 100
    private var last: JSONValue = .null
    private var sittingSeries: [Sitting.ID: SittingSeries] = [:]
    /// How long the sittings' series reach back: 12 hours.
    static let seriesMinutes = 720

    init(hub: any LiveBroker, store: any HemicycleStore, hearings: HearingService, logger: Logger, clock: any WallClock) {
        self.clock = clock
        self.hub = hub
        self.store = store
        self.hearings = hearings
        self.logger = logger
    }

    /// Declares the topic with a first tally.
    func declare() async throws {
        let tally = try await self.tally()
        last = tally
        await hub.declare(.dashboard, snapshot: tally)
    }

    func tally() async throws -> JSONValue {
        let now = clock.now()
        var sittings: [JSONValue] = []
        for room in await hearings.allRooms() {
            let presence = await hub.presence(of: room.sitting.topic) ?? (0, 0)
            let counts = Dictionary(uniqueKeysWithValues: room.board.counts.map { ($0.label, $0.count) })
            let approved = (counts["approved"] ?? 0) + (counts["on_screen"] ?? 0)
            sittingSeries[room.sitting.id, default: SittingSeries(capacity: Self.seriesMinutes)].record(
                viewers: presence.viewers, submitted: counts["submitted"] ?? 0, approved: approved, answered: counts["answered"] ?? 0, at: now
            )
            sittings.append(.object([
                ("id", .int(room.sitting.id.rawValue)), ("title", .string(room.sitting.title)), ("state", .string(room.sitting.state.rawValue)),
                ("viewers", .int(Int64(presence.viewers))), ("peak_viewers", .int(Int64(presence.peak))),
                ("questions", .object([
                    ("submitted", .int(Int64(counts["submitted"] ?? 0))),
                    ("approved", .int(Int64(approved))),
                    ("answered", .int(Int64(counts["answered"] ?? 0))),
                ])),
            ]))
        }
        var petitions: [JSONValue] = []
        // At most `petitionLimit`: the open ones with most signatures, then, if there is room, closed ones
        // (a rejected or hidden petition leaves /live, this topic included).
        var listed = try await store.petitions(PetitionQuery(states: [.open]), limit: Self.petitionLimit, offset: 0)
        if listed.count < Self.petitionLimit {
            listed += try await store.petitions(PetitionQuery(states: [.closed]), limit: Self.petitionLimit - listed.count, offset: 0)
        }
        // Rates of petitions no longer listed are dropped, so that the table stays as small as the list.
        let ids = Set(listed.map(\.id))
        rates = rates.filter { ids.contains($0.key) }
        for petition in listed {
            // The hub's count is the live one (committed batches); the store's row is the same or older.
            let live = await hub.state(of: petition.topic)?.data["signature_count"]?.intValue.map(Int.init) ?? petition.signatureCount
            var window = rates[petition.id] ?? RateWindow()
            let perMinute = window.record(live, at: now)
            rates[petition.id] = window
            petitions.append(.object([
                ("id", .int(petition.id.rawValue)), ("action", .string(petition.action)), ("state", .string(petition.state.rawValue)),
                ("signature_count", .int(Int64(live))), ("per_minute", .int(Int64(perMinute))),
                ("thresholds", .array(petition.thresholds.map {
                    .object([("name", .string($0.name)), ("signatures", .int(Int64($0.signatures))), ("reached_at", HearingJSON.time($0.reachedAt))])
                })),
            ]))
        }
        let cutoff = Timestamp(millisecondsSince1970: now.millisecondsSince1970 - Int64(Self.seriesMinutes) * 60_000)
        for id in sittingSeries.keys { sittingSeries[id]?.prune(before: cutoff) }
        return .object([("at", .string(now.iso8601)), ("sittings", .array(sittings)), ("petitions", .array(petitions))])
    }

    /// The sittings' audience and questions minute by minute (Protocol/HEARINGS.md §5): every sitting, in the tally's
    /// order, with its peak and its minutes (a minute that changed nothing is left out: the values before it hold).
    func series() async -> JSONValue {
        let now = clock.now()
        let sittings: [JSONValue] = await hearings.allRooms().map { room in
            let series = sittingSeries[room.sitting.id] ?? SittingSeries()
            let peak: JSONValue = series.peak.map { .object([("at", .string($0.start.iso8601)), ("viewers", .int(Int64($0.viewers)))]) } ?? .null
            return .object([
                ("id", .int(room.sitting.id.rawValue)), ("peak", peak),
                ("minutes", .array(series.minutes.map { minute in
                    .object([
                        ("at", .string(minute.start.iso8601)), ("viewers", .int(Int64(minute.viewers))),
                        ("submitted", .int(Int64(minute.submitted))), ("approved", .int(Int64(minute.approved))),
                        ("answered", .int(Int64(minute.answered))),
                    ])
                })),
            ])
        }
        return .object([("at", .string(now.iso8601)), ("window_minutes", .int(Int64(Self.seriesMinutes))), ("sittings", .array(sittings))])
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await self.clock.sleep(for: .seconds(1)) }
            do {
                let tally = try await self.tally()
                // `at` always changes; compare the rest.
                if tally.setting("at", to: .null) != last.setting("at", to: .null) {
                    await hub.publish(.dashboard, event: "tally", data: tally, delivery: .conflated, snapshot: tally)
                }
                last = tally
            } catch {
                logger.warning("dashboard tally failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
