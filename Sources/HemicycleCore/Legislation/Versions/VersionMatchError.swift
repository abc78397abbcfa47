/// Why a clerk's change to a matching was refused. Nothing changes when one is thrown.
public enum VersionMatchError: Error, Sendable, Equatable {
    /// No match pairs these two provisions.
    case noSuchMatch(old: EId, new: EId)
    /// No provision has this eId in its version.
    case unknownProvision(EId)
    /// The provision already has a primary match; reject it first.
    case alreadyMatched(EId)

    /// The stable error code.
    public var code: String {
        switch self {
        case .noSuchMatch: "no_such_match"
        case .unknownProvision: "unknown_provision"
        case .alreadyMatched: "already_matched"
        }
    }

    /// A sentence for people.
    public var message: String {
        switch self {
        case .noSuchMatch(let old, let new): "\(old) and \(new) are not matched."
        case .unknownProvision(let eId): "There is no provision \(eId)."
        case .alreadyMatched(let eId): "\(eId) is already matched; reject that match first."
        }
    }
}
