import HemicycleCore
import Metrics
import Synchronization

/// Issues participants: the signed token of the `hc_participant` cookie, set by a visit to a sitting's page. Asking
/// and voting need one, so a client cannot mint a participant per request; and one address gets at most
/// `ParticipantLimit` new ones (per `AddressKey`), so it cannot mint them per page visit either. Beyond the limit the
/// page still renders, without a participant (it says why), and votes already cast keep counting.
final class ParticipantIssuer: Sendable {
    let key: ServerKey
    let limit: ParticipantLimit
    private let limiter: Mutex<RateLimiter<AddressKey>>
    private let refused = Counter(label: "hemicycle_participants_refused_total")
    private let issued = Counter(label: "hemicycle_participants_issued_total")

    init(key: ServerKey, limit: ParticipantLimit) {
        self.key = key
        self.limit = limit
        self.limiter = Mutex(RateLimiter(limit: limit.count, periodMilliseconds: Int64(limit.seconds) * 1000))
    }

    /// A new participant for a client at `address`, or nil when its address has had its share of new participants.
    func issue(address: String, now: Timestamp) -> (id: String, token: String)? {
        let admitted = limiter.withLock { limiter -> Bool in
            let key = AddressKey(address)
            guard case .success = limiter.check(key, now: now) else { return false }
            limiter.record(key, now: now)
            return true
        }
        guard admitted else {
            refused.increment()
            return nil
        }
        issued.increment()
        return key.newParticipantToken()
    }
}
