/// A typed identifier: `ID<Petition>` and `ID<Sitting>` cannot be mixed up, though both are integers on the wire.
public struct ID<Tag>: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The integer as stored and as it appears in URLs and topics.
    public let rawValue: Int64

    /// Wraps a raw integer id.
    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// Parses a decimal id as it appears in a URL or a topic; `nil` for anything but a positive integer.
    public init?(parsing text: Substring) {
        guard !text.isEmpty, text.count <= 18, text.first != "0", text.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int64(text), value > 0
        else { return nil }
        self.rawValue = value
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: ID<Tag>, rhs: ID<Tag>) -> Bool { lhs.rawValue < rhs.rawValue }
}
