/// "At most `count` in `seconds`": the form of every configurable limit on the command line (`N/SECONDS`, e.g.
/// `10/86400` for ten a day).
public struct PeriodLimit: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let count: Int
    public let seconds: Int

    /// A limit; nil unless both are positive.
    public init?(count: Int, seconds: Int) {
        guard count > 0, seconds > 0 else { return nil }
        self.count = count
        self.seconds = seconds
    }

    /// Parses `N/SECONDS` (`5/300`); nil when malformed or not positive.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), let seconds = Int(parts[1]) else { return nil }
        self.init(count: count, seconds: seconds)
    }

    public var milliseconds: Int64 { Int64(seconds) * 1000 }

    public var description: String { "\(count)/\(seconds)" }
}
