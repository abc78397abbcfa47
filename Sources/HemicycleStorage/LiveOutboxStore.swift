public import HemicycleCore

/// A store that also holds the shared event log of several nodes (PostgreSQL): an action's live events are appended
/// in the action's own transaction (a transactional outbox), numbered there, so an event exists exactly when the
/// change that causes it committed. A node killed after the commit loses none of them; a refused or failed action
/// leaves none.
public protocol LiveOutboxStore: HearingStore {
    /// `withSitting` (same lock, same contracts) where `body` also returns the non-conflated live events of its
    /// decision: they are appended to the shared event log in the same transaction, after the write, as written by
    /// `node`. Returns the value and the numbered entries (the caller wakes the other nodes after the commit).
    func withSitting<T: Sendable>(
        _ id: Sitting.ID, node: String,
        _ body: @Sendable (any SittingReads) async throws -> (value: T, write: HearingWrite, events: [BusDraft])
    ) async throws -> (value: T, entries: [BusEntry])
}
