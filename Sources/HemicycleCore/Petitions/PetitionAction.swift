/// What moves a petition through its lifecycle (Protocol/PETITIONS.md §1); `Petition.apply` checks and performs it.
public enum PetitionAction: Sendable, Equatable {
    /// The creator confirmed their email.
    case creatorConfirmed
    /// Enough supporters confirmed: waiting for moderation.
    case sponsorsReached
    /// A moderator publishes it, open for `days` days.
    case publish(days: Int)
    case reject(PetitionRejection)
    case hide
    case flag
    /// The deadline passed (the scheduler).
    case close
    /// Still awaiting its creator or its supporters when its time ran out (the scheduler).
    case abandon

    public var name: String {
        switch self {
        case .creatorConfirmed: "creator_confirmed"
        case .sponsorsReached: "sponsored"
        case .publish: "publish"
        case .reject: "reject"
        case .hide: "hide"
        case .flag: "flag"
        case .close: "close"
        case .abandon: "abandon"
        }
    }
}
