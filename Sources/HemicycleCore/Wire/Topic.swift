/// A live topic: what a client subscribes to. Wire form `petition:1`, `petition:1:areas`, `sitting:1`, `sitting:1:moderation`, `dashboard`, `bill:1`,
/// `bill:1:moderation`.
public enum Topic: Hashable, Sendable, CustomStringConvertible {
    /// A petition's count and thresholds. Public.
    case petition(Petition.ID)
    /// A petition's counted signatures by country, constituency and region (at most one event a second). Public.
    case petitionAreas(Petition.ID)
    /// A sitting's public state (viewers now; questions in a later issue). Public.
    case sitting(Sitting.ID)
    /// A sitting's moderation queue. Staff assigned to the sitting only.
    case sittingModeration(Sitting.ID)
    /// Live tallies across sittings and petitions. Public.
    case dashboard
    /// A bill's published comments, per-clause counts and "now discussing" marker. Public.
    case bill(Bill.ID)
    /// A bill's moderation queue. Staff assigned to the bill, and admins.
    case billModeration(Bill.ID)

    /// Parses the wire form; `nil` when the text is not a topic at all.
    public init?(_ text: String) {
        guard text.utf8.count <= 64 else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if text == "dashboard" {
            self = .dashboard
            return
        }
        switch (parts.count, parts.first) {
        case (2, "petition"):
            guard let id = Petition.ID(parsing: parts[1]) else { return nil }
            self = .petition(id)
        case (2, "sitting"):
            guard let id = Sitting.ID(parsing: parts[1]) else { return nil }
            self = .sitting(id)
        case (3, "petition") where parts[2] == "areas":
            guard let id = Petition.ID(parsing: parts[1]) else { return nil }
            self = .petitionAreas(id)
        case (3, "sitting") where parts[2] == "moderation":
            guard let id = Sitting.ID(parsing: parts[1]) else { return nil }
            self = .sittingModeration(id)
        case (2, "bill"):
            guard let id = Bill.ID(parsing: parts[1]) else { return nil }
            self = .bill(id)
        case (3, "bill") where parts[2] == "moderation":
            guard let id = Bill.ID(parsing: parts[1]) else { return nil }
            self = .billModeration(id)
        default:
            return nil
        }
    }

    /// The wire form.
    public var description: String {
        switch self {
        case .petition(let id): "petition:\(id)"
        case .petitionAreas(let id): "petition:\(id):areas"
        case .sitting(let id): "sitting:\(id)"
        case .sittingModeration(let id): "sitting:\(id):moderation"
        case .dashboard: "dashboard"
        case .bill(let id): "bill:\(id)"
        case .billModeration(let id): "bill:\(id):moderation"
        }
    }

    /// Whether anyone may subscribe, without a staff session.
    public var isPublic: Bool {
        switch self {
        case .sittingModeration, .billModeration: false
        default: true
        }
    }
}
