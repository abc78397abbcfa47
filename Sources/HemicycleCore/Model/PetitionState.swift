/// Where a petition is in its life (Protocol/PETITIONS.md §1).
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
    /// Never got going: its creator did not confirm, or it did not gather its supporters, in time (the scheduler).
    case abandoned

    /// Whether the petition accepts signatures in this state.
    public var acceptsSignatures: Bool { self == .open }

    /// Whether no action leaves this state: the petition takes nothing more (signatures, supporters, confirmations),
    /// and its people's personal data is erased a set time after it got here.
    public var isFinal: Bool {
        switch self {
        case .closed, .rejected, .hidden, .abandoned: true
        case .pending, .validated, .sponsored, .flagged, .open: false
        }
    }

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
        case .abandoned: "Abandoned"
        }
    }
}
