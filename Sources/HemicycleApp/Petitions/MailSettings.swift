public import HemicycleCore

/// The limits and retention of outbound mail (README, "In production"; Protocol/PETITIONS.md §2).
public struct MailSettings: Sendable {
    /// Messages one recipient may be sent in a window (`--mail-recipient-limit`, default ten a day); nil: no limit.
    public var recipientLimit: PeriodLimit? = PeriodLimit(count: 10, seconds: 86_400)
    /// Messages the requests of one client address (IPv6: its /64) may cause (`--mail-address-limit`, repeatable,
    /// default 100 an hour).
    public var addressLimits: [PeriodLimit] = PeriodLimit(count: 100, seconds: 3600).map { [$0] } ?? []
    /// Days unsent mail is retried before it is given up and erased (`--outbox-retention-days`).
    public var retentionDays = 7

    public init() {}
}
