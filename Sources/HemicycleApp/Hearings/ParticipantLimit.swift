/// How many new participants (new `hc_participant` cookies) one address may be given: at most `count` per `seconds`,
/// with bursts of up to `count` (`--participants-per-address N/SECONDS`). Counted per `AddressKey` (an IPv4 address,
/// an IPv6 /64).
public struct ParticipantLimit: Sendable, Equatable, CustomStringConvertible {
    public var count: Int
    public var seconds: Int

    public init(count: Int, seconds: Int) {
        self.count = count
        self.seconds = seconds
    }

    /// Parses `N/SECONDS` (`60/300`); nil when malformed or not positive.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), let seconds = Int(parts[1]), count > 0, seconds > 0 else { return nil }
        self.init(count: count, seconds: seconds)
    }

    /// The default: 60 new participants at once from one address, then one every 5 seconds. A class or an office
    /// behind one address gets in; a script that mints a participant per request does not get far.
    public static let standard = ParticipantLimit(count: 60, seconds: 300)

    public var description: String { "\(count)/\(seconds)" }
}
