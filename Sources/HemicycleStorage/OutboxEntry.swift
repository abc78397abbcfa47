public import HemicycleCore

/// One row of the outbox as the store keeps it (`PetitionStore.outboxEntries`). Once sent or abandoned, its
/// recipient, subject and body are empty: what stays is a count for audit.
public struct OutboxEntry: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        /// Waiting for its (next) attempt.
        case queued
        case sent
        /// Given up: refused by the header builder, or still failing after the retention period.
        case abandoned
    }

    public var id: Int64
    public var kind: OutgoingMail.Kind
    /// Empty once sent or abandoned.
    public var recipient: String
    public var subject: String
    public var body: String
    public var recipientKey: String?
    public var state: State
    public var attempts: Int
    public var createdAt: Timestamp
    public var nextAttemptAt: Timestamp
    /// When it was sent or abandoned.
    public var finishedAt: Timestamp?
    public var lastError: String?

    public init(
        id: Int64, kind: OutgoingMail.Kind, recipient: String, subject: String, body: String, recipientKey: String?, state: State, attempts: Int,
        createdAt: Timestamp, nextAttemptAt: Timestamp, finishedAt: Timestamp?, lastError: String?
    ) {
        self.id = id
        self.kind = kind
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.recipientKey = recipientKey
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.finishedAt = finishedAt
        self.lastError = lastError
    }

    /// The same row with its personal data erased.
    func erased() -> OutboxEntry {
        var copy = self
        copy.recipient = ""
        copy.subject = ""
        copy.body = ""
        return copy
    }
}
