public import HemicycleCore

/// What live hearings keep: sittings, questions with their votes, the public moderation log and backstage notes.
///
/// Contracts:
/// - Each write method is one transaction: all of it is stored, durably, or (on a throw) none of it.
/// - `createSitting` and `insertQuestion` assign ids and ignore the id they are given.
/// - `questions(in:)` returns every question of the sitting, with its voters.
public protocol HearingStore: Sendable {
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
