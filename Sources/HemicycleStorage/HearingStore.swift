public import HemicycleCore

/// What live hearings keep: sittings, questions with their votes, the public moderation log and backstage notes.
///
/// Contracts:
/// - Each write method is one transaction: all of it is stored, durably, or (on a throw) none of it.
/// - `createSitting` and `insertQuestion` assign ids and ignore the id they are given.
/// - `questions(in:)` returns every question of the sitting, with its voters.
/// - `withSitting` is how actions are decided against the stored state: see there.
public protocol HearingStore: Sendable {
    /// Runs one action on sitting `id` as one transaction: `body` reads the stored state (`SittingReads`), decides,
    /// and returns its value with the write that carries the decision out; the write is then stored in the same
    /// transaction, and the call returns after it is committed.
    ///
    /// Contracts:
    /// - Two `withSitting` on one sitting never overlap (a per-sitting lock held for the whole transaction: the
    ///   in-memory store's lock, SQLite's single writer with `BEGIN IMMEDIATE`, PostgreSQL's
    ///   `pg_advisory_xact_lock(sitting)`), so each decides on what the previous one stored. Calls on different
    ///   sittings may run side by side.
    /// - If `body` throws, or the write fails, nothing of the write is stored and the error is rethrown.
    /// - Reads inside `body` see the state committed before the transaction (the write is applied after `body`).
    /// - `body` must not wait for anything but the reads (no publishing, no network): the lock is held meanwhile.
    func withSitting<T: Sendable>(
        _ id: Sitting.ID, _ body: @Sendable (any SittingReads) async throws -> (value: T, write: HearingWrite)
    ) async throws -> T
    /// The claims on questions of `sitting` that are live at `now` (to rebuild a cache on start).
    func claims(in sitting: Sitting.ID, now: Timestamp) async throws -> [QuestionClaim]
    func createSitting(_ sitting: Sitting, audit: AuditEntry?) async throws -> Sitting
    /// Replaces a sitting's fields. Throws `StoreError(.notFound)` for an unknown id.
    func updateSitting(_ sitting: Sitting, audit: AuditEntry?) async throws
    func questions(in sitting: Sitting.ID) async throws -> [Question]
    /// Stores a new question (with any log entries about it, whose `questionID` is replaced by the new id).
    func insertQuestion(_ question: Question, log: [ModerationLogEntry]) async throws -> Question
    /// Stores changes to existing questions, votes, log and audit entries together.
    func commitHearing(_ write: HearingWrite) async throws
    func moderationLog(of sitting: Sitting.ID) async throws -> [ModerationLogEntry]
    func addNote(_ note: BackstageNote, audit: AuditEntry?) async throws -> BackstageNote
    func updateNote(_ note: BackstageNote, audit: AuditEntry?) async throws
    func notes(in sitting: Sitting.ID) async throws -> [BackstageNote]
}
