import HemicycleCore
import HemicycleHub
import HemicycleStorage
import Logging
import ServiceLifecycle

/// Keeps each public petition's `petition:{id}:areas` topic in step with its tallies: petitions whose count changed
/// are marked, and once a second the marked ones are read from the store and an `areas` event carries the areas whose
/// count changed, with the names of those new to the topic (Protocol/PROTOCOL.md §6.5). The snapshot always holds
/// every area's count (no names: a page has those of the areas counted when it was rendered).
///
/// Reliable delivery, not conflation: the events are already at most one a second, and each carries only what
/// changed, so none may be dropped (a resume replays them; a client that missed too many gets the snapshot).
actor LiveAreas: Service {
    private let hub: any LiveBroker
    private let store: any HemicycleStore
    private let regions: RegionDirectory
    private let logger: Logger
    private let interval: Duration
    private let clock: any WallClock
    private var marked: Set<Petition.ID> = []
    private var published: [Petition.ID: AreaCounts] = [:]

    init(hub: any LiveBroker, store: any HemicycleStore, regions: RegionDirectory, logger: Logger, interval: Duration = .seconds(1), clock: any WallClock) {
        self.clock = clock
        self.hub = hub
        self.store = store
        self.regions = regions
        self.logger = logger
        self.interval = interval
    }

    /// Declares (or refreshes) the topic of a public petition with its current counts.
    func declare(_ petition: Petition.ID) async throws {
        let tallies = try await store.tallies(of: petition)
        let counts = AreaCounts(tallies: tallies, names: try await regions.names(covering: tallies.map(\.constituency)))
        published[petition] = counts
        await hub.declare(.petitionAreas(petition), snapshot: Self.snapshot(petition, counts))
    }

    /// Ends the petition's areas topic (it was hidden or rejected): subscribers get `event` as its last event
    /// (`Hub.retire`), and nothing is published for it any more.
    func retire(_ petition: Petition.ID, event: String, data: JSONValue) async {
        published[petition] = nil
        marked.remove(petition)
        await hub.retire(.petitionAreas(petition), event: event, data: data)
    }

    /// Marks petitions whose counts changed; the next tick publishes them.
    func changed(_ petitions: [Petition.ID]) {
        for petition in petitions where published[petition] != nil { marked.insert(petition) }
    }

    /// Publishes every marked petition's changes now (the tick; tests call it directly).
    func flush() async {
        let due = marked
        marked = []
        for petition in due.sorted() {
            do {
                let tallies = try await store.tallies(of: petition)
                let names = try await regions.names(covering: tallies.map(\.constituency))
                let counts = AreaCounts(tallies: tallies, names: names)
                let old = published[petition] ?? AreaCounts()
                guard let changes = counts.changes(since: old) else { continue }
                published[petition] = counts
                var data = changes.setting("petition_id", to: .int(petition.rawValue))
                // The names of the areas new to the topic: a page shows them at once instead of their codes (its
                // names came with it, for the areas counted then).
                if let newNames = counts.newAreaNames(since: old, names: names) { data = data.setting("names", to: newNames) }
                await hub.publish(.petitionAreas(petition), event: "areas", data: data, delivery: .reliable, snapshot: Self.snapshot(petition, counts))
            } catch {
                marked.insert(petition)  // try again next tick
                logger.warning("could not read a petition's tallies", metadata: ["petition": "\(petition)", "error": "\(error)"])
            }
        }
    }

    static func snapshot(_ petition: Petition.ID, _ counts: AreaCounts) -> JSONValue {
        counts.live.setting("petition_id", to: .int(petition.rawValue))
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await flush()
            try? await cancelWhenGracefulShutdown { try await self.clock.sleep(for: self.interval) }
        }
    }
}
