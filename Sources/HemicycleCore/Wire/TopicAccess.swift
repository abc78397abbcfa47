/// What a live connection may read, decided once at the WebSocket upgrade from the request's cookies, never from
/// anything the client sends later.
public struct TopicAccess: Sendable, Equatable {
    /// The participant the `hc_participant` cookie identified, if any.
    public var participant: String?
    /// Sittings whose moderation topic this connection may read (a staff session assigned to them).
    public var moderationSittings: Set<Sitting.ID>
    /// An admin session: every moderation topic (of sittings and of bills).
    public var allSittings: Bool
    /// Bills whose moderation topic this connection may read (a staff session assigned to them).
    public var moderationBills: Set<Bill.ID>

    public init(participant: String? = nil, moderationSittings: Set<Sitting.ID> = [], allSittings: Bool = false, moderationBills: Set<Bill.ID> = []) {
        self.participant = participant
        self.moderationSittings = moderationSittings
        self.allSittings = allSittings
        self.moderationBills = moderationBills
    }

    /// Anyone without a staff session.
    public static let `public` = TopicAccess()

    public func allows(_ topic: Topic) -> Bool {
        switch topic {
        case .petition, .petitionAreas, .sitting, .dashboard, .bill: true
        case .sittingModeration(let id): allSittings || moderationSittings.contains(id)
        case .billModeration(let id): allSittings || moderationBills.contains(id)
        }
    }

    /// What is left of this access when the staff session behind it now grants only `current` (after a logout, the
    /// removal of a role or an assignment): the staff topics both allow. Access is never widened after the upgrade:
    /// a new role takes effect on the next connection. The participant stays.
    public func narrowed(to current: TopicAccess) -> TopicAccess {
        let sittings: Set<Sitting.ID>
        switch (allSittings, current.allSittings) {
        case (true, true): sittings = []
        case (true, false): sittings = current.moderationSittings
        case (false, true): sittings = moderationSittings
        case (false, false): sittings = moderationSittings.intersection(current.moderationSittings)
        }
        let bills: Set<Bill.ID>
        switch (allSittings, current.allSittings) {
        case (true, true): bills = []
        case (true, false): bills = current.moderationBills
        case (false, true): bills = moderationBills
        case (false, false): bills = moderationBills.intersection(current.moderationBills)
        }
        return TopicAccess(
            participant: participant, moderationSittings: sittings, allSittings: allSittings && current.allSittings, moderationBills: bills)
    }

    /// Whether this access opens any staff topic.
    public var hasStaffTopics: Bool { allSittings || !moderationSittings.isEmpty || !moderationBills.isEmpty }
}
