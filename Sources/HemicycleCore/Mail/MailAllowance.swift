/// The arithmetic of the limits on outbound mail (Protocol/PETITIONS.md §2): per recipient, at most
/// `perRecipient.count` messages in `perRecipient.seconds` (counted by the store, durably, plus the messages
/// reserved but not stored yet); per client address (`AddressKey`), GCRA limits on the mail its requests cause.
///
/// Pure: the shell reads the store between `beginRead` and `endRead` and passes the time. The reservation taken by an
/// admission is held until `finish` (after the mail is stored, or not), so concurrent requests for one recipient
/// cannot all slip under the limit; and a read during which another reservation for that recipient finished is done
/// again (`endRead` answers nil), since the store may have answered before that mail was stored.
public struct MailAllowance: Sendable {
    /// Why no mail may be queued now.
    public enum Refusal: Sendable, Equatable {
        /// The recipient has had `perRecipient.count` messages in the window.
        case recipient(RetryAfter)
        /// The client address has caused too much mail.
        case address(RetryAfter)

        public var retryAfter: RetryAfter {
            switch self {
            case .recipient(let wait), .address(let wait): wait
            }
        }
    }

    /// What `endRead` decided.
    public enum Decision: Sendable, Equatable {
        /// A reservation is now held: call `finish` once the mail is stored (or was not queued after all).
        case admitted
        /// No mail may be queued; nothing is held.
        case refused(Refusal)
        /// A reservation for this recipient finished during the read: read the store again, with a new ticket.
        case readAgain
    }

    /// A read of one recipient's stored count in progress.
    public struct Ticket: Sendable, Equatable {
        public let recipient: String
        let finishedBefore: Int
    }

    /// Nil: no per-recipient limit.
    public let perRecipient: PeriodLimit?
    private var addressLimiters: [RateLimiter<AddressKey>]
    /// Per recipient key: reads in progress, reservations held, reservations finished (while anything is in progress).
    private var recipients: [String: (reading: Int, held: Int, finished: Int)] = [:]

    public init(perRecipient: PeriodLimit?, perAddress: [PeriodLimit]) {
        self.perRecipient = perRecipient
        addressLimiters = perAddress.map { RateLimiter(limit: $0.count, periodMilliseconds: $0.milliseconds) }
    }

    /// The start of the window a recipient's stored mail is counted from.
    public func windowStart(now: Timestamp) -> Timestamp {
        Timestamp(millisecondsSince1970: now.millisecondsSince1970 - (perRecipient?.milliseconds ?? 0))
    }

    /// Whether `address` is over one of its limits now (checked before reading the store, which it spares).
    public func addressRefusal(_ address: AddressKey?, now: Timestamp) -> Refusal? {
        guard let address else { return nil }
        for limiter in addressLimiters {
            if case .failure(let wait) = limiter.check(address, now: now) { return .address(wait) }
        }
        return nil
    }

    /// Starts reading `recipient`'s stored count.
    public mutating func beginRead(_ recipient: String) -> Ticket {
        var state = recipients[recipient] ?? (0, 0, 0)
        state.reading += 1
        recipients[recipient] = state
        return Ticket(recipient: recipient, finishedBefore: state.finished)
    }

    /// Ends a read with what the store counted since `windowStart` (`stored`, the oldest at `oldest`).
    public mutating func endRead(_ ticket: Ticket, stored: Int, oldest: Timestamp?, address: AddressKey?, now: Timestamp) -> Decision {
        guard var state = recipients[ticket.recipient] else { return .readAgain }
        state.reading -= 1
        defer { store(state, for: ticket.recipient) }
        if state.finished != ticket.finishedBefore { return .readAgain }
        if let perRecipient, stored + state.held >= perRecipient.count {
            // A place frees when the oldest stored message leaves the window (or, with only reservations in flight, soon).
            let freesAt = oldest.map { $0.millisecondsSince1970 + perRecipient.milliseconds } ?? now.millisecondsSince1970 + 1000
            return .refused(.recipient(RetryAfter(milliseconds: max(1000, freesAt - now.millisecondsSince1970))))
        }
        if let refusal = addressRefusal(address, now: now) { return .refused(refusal) }
        if let address {
            for index in addressLimiters.indices { addressLimiters[index].record(address, now: now) }
        }
        state.held += 1
        return .admitted
    }

    /// Gives up a read without deciding (the store failed).
    public mutating func abandonRead(_ ticket: Ticket) {
        guard var state = recipients[ticket.recipient] else { return }
        state.reading -= 1
        store(state, for: ticket.recipient)
    }

    /// Ends a reservation: its mail is now in the store (and counted there), or was not queued after all.
    public mutating func finish(_ recipient: String) {
        guard var state = recipients[recipient], state.held > 0 else { return }
        state.held -= 1
        state.finished += 1
        store(state, for: recipient)
    }

    /// Reservations held for `recipient` (tests).
    public func held(_ recipient: String) -> Int { recipients[recipient]?.held ?? 0 }

    /// Recipients with anything in progress: memory follows requests in flight, not every recipient ever mailed.
    public var tracked: Int { recipients.count }

    private mutating func store(_ state: (reading: Int, held: Int, finished: Int), for recipient: String) {
        recipients[recipient] = state.reading == 0 && state.held == 0 ? nil : state
    }
}
