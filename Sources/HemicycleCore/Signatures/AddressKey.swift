/// The key a per-address limit counts under: an IPv4 address itself, an IPv6 address's /64 network.
///
/// An IPv6 subscriber usually holds a whole /64 (RFC 6177), so limiting single IPv6 addresses would let one home or
/// one script change address for every request. Every per-address limit (signing, questions, votes, new participants,
/// logins, mail) counts under this key, never under the raw address. Text that is not an IP address ("unknown", when
/// a request did not come over a socket) is its own key.
public struct AddressKey: Hashable, Sendable, CustomStringConvertible {
    /// `203.0.113.7`, `2001:db8:1:2::/64`, or the text itself when it is not an address.
    public let value: String

    /// The key of `address` (an IP address as text, as the socket or a trusted proxy reports it).
    public init(_ address: String) {
        guard let bytes = IPAddressRange.parse(address) else {
            value = address
            return
        }
        if bytes.count == 4 {
            value = bytes.map(String.init).joined(separator: ".")
        } else {
            value = IPAddressRange("\(address)/64")?.description ?? address
        }
    }

    public var description: String { value }
}
