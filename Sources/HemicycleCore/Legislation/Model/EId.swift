/// An Akoma Ntoso `eId`: where a provision sits in one version of a bill (`sec_2__subsec_b__para_1`).
///
/// Built by the naming convention: the parent's eId, `__`, the kind's abbreviation, `_`, the number
/// (`ProvisionKind.abbreviation`, `ProvisionNumber.eIdComponent`). It changes when a provision is renumbered or moved;
/// what stays is the `ProvisionKey`.
public struct EId: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The longest eId accepted (a deep point under a part and a chapter stays far below it).
    public static let maxLength = 200

    public let rawValue: String

    /// Accepts `text` when it has the shape of an eId: 1 to 200 ASCII letters, digits, `_` and `-`, starting with a
    /// letter. Says nothing about whether a provision has it.
    public init?(_ text: String) {
        guard Self.isWellFormed(text) else { return nil }
        self.rawValue = text
    }

    /// Builds the eId of a child: `parent__abbreviation_component` (or `abbreviation_component` at the top).
    public init(parent: EId?, kind: ProvisionKind, component: String) {
        let own = "\(kind.abbreviation)_\(component)"
        self.rawValue = parent.map { "\($0.rawValue)__\(own)" } ?? own
    }

    /// Whether `text` has the shape `init?` accepts (also used for `wId`s).
    public static func isWellFormed(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= maxLength,
            (first >= "a" && first <= "z") || (first >= "A" && first <= "Z")
        else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_" || scalar == "-"
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: EId, rhs: EId) -> Bool { lhs.rawValue < rhs.rawValue }
}
