public import HemicycleCore

/// The mail outbox: what the mailer and the per-recipient mail limit use. Mail queued by other writes (a petition's
/// creation, a signature's confirmation) is stored in their transactions; this is the outbox's own side.
///
/// Contracts: each write is one durable transaction; rows of sent and abandoned mail keep no personal data.
public protocol OutboxStore: Sendable {
    /// Adds mail to the outbox (for writes that are not otherwise stored).
    func enqueue(_ mail: OutgoingMail, now: Timestamp) async throws
    /// Mail due at `now` (not sent, not abandoned, its next attempt due), signature confirmations first: ordered by
    /// priority (`OutgoingMail.Kind.priority`), then by when the attempt is due, then by id. So a flood of other mail
    /// never delays the emails that make signatures count.
    func dueMail(now: Timestamp, limit: Int) async throws -> [QueuedMail]
    /// Marks mail sent, in one transaction, and erases its recipient, subject and body: the row stays (kind,
    /// created, sent, attempts) as a count for audit, with no personal data.
    func markSent(_ ids: [Int64], at now: Timestamp) async throws
    /// Records a failed attempt: the mail is tried again at `retryAt`.
    func markFailed(_ id: Int64, error: String, retryAt: Timestamp) async throws
    /// Gives up on mail that can never be sent (its headers or recipient are refused): it is not tried again, and its
    /// recipient, subject and body are erased as for sent mail. Mail already sent is left as it is.
    func markAbandoned(_ id: Int64, error: String, at now: Timestamp) async throws
    /// The mail queued since `since` (in any state: queued, sent or abandoned) whose `recipientKey` is `recipientKey`:
    /// what the per-recipient limit counts. Rows whose key was forgotten (`pruneOutbox`) are not counted.
    func mailTally(recipientKey: String, since: Timestamp) async throws -> MailTally
    /// The retention sweep, in one transaction: unsent mail created before `unsentBefore` is abandoned and erased (it
    /// has failed for the whole retention period), and the recipient keys of mail created before `keysBefore` (past
    /// the per-recipient limit's window) are forgotten.
    func pruneOutbox(unsentBefore: Timestamp, keysBefore: Timestamp, now: Timestamp) async throws -> OutboxPruning
    /// The newest outbox rows, newest first (audit and tests).
    func outboxEntries(limit: Int) async throws -> [OutboxEntry]
}
