import HemicycleCore
import Synchronization

/// Counts open connections per client address (`AddressKey`: an IPv4 address, an IPv6 /64) against
/// `--max-connections-per-address`. The count is of the TCP peer: behind a reverse proxy every connection comes from
/// the proxy, so trusted proxies are not counted (the proxy limits its own clients).
final class ConnectionLimiter: Sendable {
    let limit: Int
    private let exempt: TrustedProxies
    private let open = Mutex<[AddressKey: Int]>([:])

    init(limit: Int, exempt: TrustedProxies) {
        self.limit = limit
        self.exempt = exempt
    }

    /// Takes a place for a new connection from `address`: the key to `release` when it closes, `.unlimited` when the
    /// address is not counted, or nil when the address already holds `limit` connections.
    func acquire(_ address: String) -> Place? {
        guard !exempt.isTrusted(address) else { return .unlimited }
        let key = AddressKey(address)
        return open.withLock { open in
            let count = open[key, default: 0]
            guard count < limit else { return nil }
            open[key] = count + 1
            return .counted(key)
        }
    }

    func release(_ place: Place) {
        guard case .counted(let key) = place else { return }
        open.withLock { open in
            let count = (open[key] ?? 1) - 1
            open[key] = count > 0 ? count : nil
        }
    }

    enum Place: Sendable {
        case unlimited
        case counted(AddressKey)
    }
}
