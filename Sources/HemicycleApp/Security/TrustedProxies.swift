import Foundation
import HemicycleCore

/// The reverse proxies whose `X-Forwarded-For` the server believes (`--trusted-proxy`, none by default).
///
/// Contract: a request's client address is its peer's, unless the peer is a trusted proxy; then it is the right-most
/// address of `X-Forwarded-For` that is not itself a trusted proxy (each proxy appends the address it saw, so entries
/// further left were written by the client and can be forged). A malformed header is ignored.
struct TrustedProxies: Sendable {
    let ranges: [IPAddressRange]

    func isTrusted(_ address: String) -> Bool { ranges.contains { $0.contains(address) } }

    func clientAddress(peer: String, forwardedFor: [String]) -> String {
        guard !ranges.isEmpty, isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { String($0).trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard IPAddressRange.parse(hop) != nil else { return client }
            client = hop
            if !isTrusted(hop) { return hop }
        }
        return client
    }
}
