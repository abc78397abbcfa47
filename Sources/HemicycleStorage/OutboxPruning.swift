/// What one retention sweep of the outbox did (`PetitionStore.pruneOutbox`).
public struct OutboxPruning: Sendable, Equatable {
    /// Unsent mail given up and erased after the retention period.
    public var abandoned: Int
    /// Rows whose recipient key was forgotten (past the per-recipient limit's window).
    public var keysForgotten: Int

    public init(abandoned: Int, keysForgotten: Int) {
        self.abandoned = abandoned
        self.keysForgotten = keysForgotten
    }
}
