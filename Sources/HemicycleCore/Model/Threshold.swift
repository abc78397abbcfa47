/// A signature count at which a petition earns something (a government response, a debate), and when it got there.
public struct Threshold: Sendable, Equatable {
    /// The stable name used on the wire: `response` or `debate`.
    public var name: String
    /// The count that reaches it.
    public var signatures: Int
    /// When the count first reached it, if it has.
    public var reachedAt: Timestamp?

    public init(name: String, signatures: Int, reachedAt: Timestamp? = nil) {
        self.name = name
        self.signatures = signatures
        self.reachedAt = reachedAt
    }

    /// A label for people.
    public var label: String {
        switch name {
        case "response": "Government response"
        case "debate": "Considered for debate"
        default: name
        }
    }
}
