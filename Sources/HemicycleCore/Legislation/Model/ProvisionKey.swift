/// What identifies a provision across the versions of a bill, whatever its number or place: the Akoma Ntoso `wId`
/// when the file gives one, else the eId it had when it first appeared (carried forward by `ProvisionMatching`).
///
/// Comments, counts and open data are keyed by it, so renumbering a clause keeps its conversation.
public struct ProvisionKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts the same shape as an eId (ASCII letters, digits, `_`, `-`; a letter first; at most 200).
    public init?(_ text: String) {
        guard EId.isWellFormed(text) else { return nil }
        self.rawValue = text
    }

    /// The key a provision gets from its eId when nothing else names it.
    public init(_ eId: EId) {
        self.rawValue = eId.rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: ProvisionKey, rhs: ProvisionKey) -> Bool { lhs.rawValue < rhs.rawValue }
}
