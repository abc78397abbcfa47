public import HemicycleCore

/// Which petitions a listing wants, and in what order (`HemicycleStore.petitions(_:limit:offset:)`).
///
/// Every condition given must hold. A listing always names its states: public pages ask for
/// `PetitionQuery.publicStates` (or fewer), so petitions still being drafted are never read for them, however many
/// there are; stores answer from an index on the state. `matches` and `precedes` are the contract: both stores
/// answer exactly the petitions `matches` accepts, sorted by `precedes`.
public struct PetitionQuery: Sendable, Equatable {
    /// The orders listings use. Each ends with the id, so that pages never overlap.
    public enum Order: Sendable, Equatable {
        /// Most signatures first, then the newest (`/petitions.json`, `/dashboard`).
        case mostSignatures
        /// Highest id first (the home page, `/petitions.csv`).
        case newest
        /// Lowest id first (the moderation queue, the scheduler).
        case oldest
        /// Most recently opened first (the new-petitions feed); petitions never opened last.
        case lastOpened
        /// Most recent threshold reached first (the thresholds feed).
        case lastThresholdReached
        /// Most recently updated government response first (the responses feed).
        case lastGovernmentResponse
    }

    /// Which threshold must have been reached.
    public enum ReachedThreshold: Sendable, Equatable {
        case response, debate
        /// Either.
        case any
    }

    /// The states the public sees (`open`, `closed`, `rejected`).
    public static let publicStates: Set<PetitionState> = [.open, .closed, .rejected]
    /// The largest page a store returns, whatever `limit` asks.
    public static let maxLimit = 500

    /// Petitions in one of these states (an empty set matches nothing).
    public var states: Set<PetitionState>
    public var order: Order
    /// Opened at or after this time.
    public var openedSince: Timestamp?
    /// Created at or before this time.
    public var createdBefore: Timestamp?
    public var reached: ReachedThreshold?
    /// With (true) or without (false) a government response.
    public var hasGovernmentResponse: Bool?
    /// With (true) or without (false) a debate outcome.
    public var hasDebate: Bool?
    /// Words (compared lower-cased) that must each appear in the action, background or additional details.
    public var words: [String]
    /// Only ids below this one (keyset paging in `.newest` order).
    public var idBelow: Petition.ID?
    /// Only ids above this one (keyset paging in `.oldest` order).
    public var idAbove: Petition.ID?

    public init(
        states: Set<PetitionState>, order: Order = .mostSignatures, openedSince: Timestamp? = nil, createdBefore: Timestamp? = nil,
        reached: ReachedThreshold? = nil, hasGovernmentResponse: Bool? = nil, hasDebate: Bool? = nil, words: [String] = [],
        idBelow: Petition.ID? = nil, idAbove: Petition.ID? = nil
    ) {
        self.states = states
        self.order = order
        self.openedSince = openedSince
        self.createdBefore = createdBefore
        self.reached = reached
        self.hasGovernmentResponse = hasGovernmentResponse
        self.hasDebate = hasDebate
        self.words = words.map { $0.lowercased() }.filter { !$0.isEmpty }
        self.idBelow = idBelow
        self.idAbove = idAbove
    }

    /// The text `words` are looked for in: action, background and additional details, lower-cased. Stores may keep
    /// it with the petition (a petition's text never changes once created).
    public static func searchText(action: String, background: String, additionalDetails: String) -> String {
        "\(action) \(background) \(additionalDetails)".lowercased()
    }

    /// Whether `petition` is in the answer.
    public func matches(_ p: Petition) -> Bool {
        guard states.contains(p.state) else { return false }
        if let openedSince, !(p.openedAt.map { $0 >= openedSince } ?? false) { return false }
        if let createdBefore, p.createdAt > createdBefore { return false }
        let response = p.thresholds.first { $0.name == "response" }?.reachedAt != nil
        let debate = p.thresholds.first { $0.name == "debate" }?.reachedAt != nil
        switch reached {
        case .response?: if !response { return false }
        case .debate?: if !debate { return false }
        case .any?: if !response && !debate { return false }
        case nil: break
        }
        if let hasGovernmentResponse, (p.governmentResponse != nil) != hasGovernmentResponse { return false }
        if let hasDebate, (p.debate != nil) != hasDebate { return false }
        if let idBelow, p.id >= idBelow { return false }
        if let idAbove, p.id <= idAbove { return false }
        if !words.isEmpty {
            let text = Self.searchText(action: p.action, background: p.background, additionalDetails: p.additionalDetails)
            if !words.allSatisfy({ text.contains($0) }) { return false }
        }
        return true
    }

    /// Whether `a` comes before `b` in `order`.
    public func precedes(_ a: Petition, _ b: Petition) -> Bool {
        func key(_ time: Timestamp?) -> Int64 { time?.millisecondsSince1970 ?? Int64.min }
        func lastThreshold(_ p: Petition) -> Int64 { p.thresholds.map { key($0.reachedAt) }.max() ?? Int64.min }
        switch order {
        case .mostSignatures: return (a.signatureCount, a.id) > (b.signatureCount, b.id)
        case .newest: return a.id > b.id
        case .oldest: return a.id < b.id
        case .lastOpened: return (key(a.openedAt), a.id) > (key(b.openedAt), b.id)
        case .lastThresholdReached: return (lastThreshold(a), a.id) > (lastThreshold(b), b.id)
        case .lastGovernmentResponse: return (key(a.governmentResponse?.updatedAt), a.id) > (key(b.governmentResponse?.updatedAt), b.id)
        }
    }

    /// `limit` as stores apply it: 0 to `maxLimit`.
    public static func clamped(_ limit: Int) -> Int { min(max(0, limit), maxLimit) }
}
