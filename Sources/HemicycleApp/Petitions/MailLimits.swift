import HemicycleCore
import HemicycleStorage
import Metrics

/// The limits on outbound mail (`MailAllowance` in the core) with the store's per-recipient counts: every request
/// that would queue mail reserves it here first, and gives the reservation back once the mail is stored (or not).
///
/// Recipients are counted under a keyed hash (`recipientKey`): the outbox erases each address once its mail is sent,
/// but the key stays for the limit's window, and it tells nobody without the server key which address it was.
actor MailLimits {
    private let store: any OutboxStore
    private let key: ServerKey
    private var allowance: MailAllowance

    /// Mail not queued because of a limit (`/metrics`), by `limit` (recipient or address).
    static let refused = (recipient: Counter(label: "hemicycle_mail_refused_total", dimensions: [("limit", "recipient")]),
                          address: Counter(label: "hemicycle_mail_refused_total", dimensions: [("limit", "address")]))

    init(store: any OutboxStore, key: ServerKey, settings: MailSettings) {
        self.store = store
        self.key = key
        allowance = MailAllowance(perRecipient: settings.recipientLimit, perAddress: settings.addressLimits)
    }

    /// The key the per-recipient limit counts `email` under (an HMAC under the server key).
    nonisolated func recipientKey(_ email: String) -> String { key.mac("mail-recipient", email.lowercased()) }

    /// Reserves one message to `email` caused by a request from `address` (nil: staff or the server itself, not
    /// limited by address). On `.admitted`, call `finish(_:)` with the key once the mail is stored or not.
    func reserve(to email: String, causedBy address: String?, now: Timestamp) async throws -> Admission {
        let recipient = recipientKey(email)
        let addressKey = address.map(AddressKey.init)
        // The cheap check first: an address over its limit costs no store read.
        if let refusal = allowance.addressRefusal(addressKey, now: now) { return refused(refusal) }
        while true {
            let ticket = allowance.beginRead(recipient)
            var tally = MailTally(count: 0, oldest: nil)
            if allowance.perRecipient != nil {
                do {
                    tally = try await store.mailTally(recipientKey: recipient, since: allowance.windowStart(now: now))
                } catch {
                    allowance.abandonRead(ticket)
                    throw error
                }
            }
            switch allowance.endRead(ticket, stored: tally.count, oldest: tally.oldest, address: addressKey, now: now) {
            case .admitted: return .admitted(recipientKey: recipient)
            case .refused(let refusal): return refused(refusal)
            case .readAgain: continue
            }
        }
    }

    /// Ends a reservation (its mail is in the store now, or was not queued after all).
    func finish(_ recipientKey: String) { allowance.finish(recipientKey) }

    private func refused(_ refusal: MailAllowance.Refusal) -> Admission {
        switch refusal {
        case .recipient: Self.refused.recipient.increment()
        case .address: Self.refused.address.increment()
        }
        return .refused(refusal)
    }

    /// What `reserve` decided.
    enum Admission: Sendable {
        /// Queue the mail with this `recipientKey`, then `finish` it.
        case admitted(recipientKey: String)
        case refused(MailAllowance.Refusal)
    }
}
