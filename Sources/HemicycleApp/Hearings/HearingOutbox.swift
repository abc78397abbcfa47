import HemicycleCore
import HemicycleStorage

/// Several nodes: how `HearingService` writes an action's reliable events in the action's own transaction (the
/// transactional outbox): the store that holds the shared event log, this node's name in it, and what runs after the
/// commit with the numbered entries (the cluster broker wakes its reader and the other nodes).
struct HearingOutbox: Sendable {
    let store: any LiveOutboxStore
    let node: String
    let committed: @Sendable ([BusEntry]) async -> Void
}
