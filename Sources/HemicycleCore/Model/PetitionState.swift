/// Where a petition is in its life. Issue 2 uses `open` and `closed`; the full UK lifecycle comes later.
public enum PetitionState: String, Sendable, CaseIterable {
    /// Created, its creator has not confirmed their email.
    case pending
    /// Collecting supporters.
    case validated
    /// Has enough supporters, awaiting moderation.
    case sponsored
    /// A moderator asked for a second look.
    case flagged
    /// Published and taking signatures.
    case open
    /// Past its deadline; no longer taking signatures.
    case closed
    /// Rejected by moderators, with a published reason.
    case rejected
    /// Hidden by moderators.
    case hidden

    /// Whether the petition accepts signatures in this state.
    public var acceptsSignatures: Bool { self == .open }

    /// A label for people.
    public var label: String {
        switch self {
        case .pending: "Awaiting confirmation"
        case .validated: "Gathering supporters"
        case .sponsored: "Awaiting moderation"
        case .flagged: "Flagged for review"
        case .open: "Open"
        case .closed: "Closed"
        case .rejected: "Rejected"
        case .hidden: "Hidden"
        }
    }
}
