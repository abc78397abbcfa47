/// A petition as the public sees it.
public struct Petition: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<Petition>

    public var id: ID
    /// What the petition asks for (at most 80 characters on the UK site).
    public var action: String
    public var background: String
    public var additionalDetails: String
    public var state: PetitionState
    /// Signatures that count.
    public var signatureCount: Int
    public var creatorName: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var openedAt: Timestamp?
    public var closedAt: Timestamp?
    /// The day it stops taking signatures, while open.
    public var closingAt: Timestamp?
    public var thresholds: [Threshold]
    /// When the petition had its supporters (the UK API's `moderation_threshold_reached_at`).
    public var moderationThresholdReachedAt: Timestamp?
    public var rejectedAt: Timestamp?
    /// When a moderator hid it.
    public var hiddenAt: Timestamp?
    /// When the scheduler found it abandoned (creator or supporters missing after the deadline).
    public var abandonedAt: Timestamp?
    public var rejection: PetitionRejection?
    public var governmentResponse: GovernmentResponse?
    public var debate: DebateOutcome?

    public init(
        id: ID, action: String, background: String, additionalDetails: String, state: PetitionState,
        signatureCount: Int, creatorName: String?, createdAt: Timestamp, updatedAt: Timestamp,
        openedAt: Timestamp?, closedAt: Timestamp?, closingAt: Timestamp?, thresholds: [Threshold]
    ) {
        self.id = id
        self.action = action
        self.background = background
        self.additionalDetails = additionalDetails
        self.state = state
        self.signatureCount = signatureCount
        self.creatorName = creatorName
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.closingAt = closingAt
        self.thresholds = thresholds
    }

    /// When it reached its final state (closed, rejected, hidden or abandoned), or nil while it can still move: the
    /// anonymisation delay counts from here.
    public var endedAt: Timestamp? {
        switch state {
        case .closed: closedAt
        case .rejected: rejectedAt
        case .hidden: hiddenAt
        case .abandoned: abandonedAt
        case .pending, .validated, .sponsored, .flagged, .open: nil
        }
    }

    /// The live topic that carries this petition's count.
    public var topic: Topic { .petition(id) }

    /// Applies a lifecycle action, or throws and changes nothing (Protocol/PETITIONS.md §1).
    public mutating func apply(_ action: PetitionAction, at now: Timestamp) throws(PetitionTransitionError) {
        let refused = PetitionTransitionError(action: action.name, state: state)
        switch action {
        case .creatorConfirmed:
            guard state == .pending else { throw refused }
            state = .validated
        case .sponsorsReached:
            guard state == .validated else { throw refused }
            state = .sponsored
            moderationThresholdReachedAt = now
        case .publish(let days):
            guard state == .sponsored || state == .flagged else { throw refused }
            state = .open
            openedAt = now
            closingAt = now.adding(days: Int64(days))
        case .reject(let rejection):
            guard [.sponsored, .flagged, .open].contains(state) else { throw refused }
            state = .rejected
            rejectedAt = now
            self.rejection = rejection
        case .hide:
            guard [.sponsored, .flagged, .open].contains(state) else { throw refused }
            state = .hidden
            hiddenAt = now
        case .flag:
            guard state == .sponsored else { throw refused }
            state = .flagged
        case .close:
            guard state == .open else { throw refused }
            state = .closed
            closedAt = now
        case .abandon:
            guard state == .pending || state == .validated else { throw refused }
            state = .abandoned
            abandonedAt = now
        }
        updatedAt = now
    }

    /// The thresholds that `newCount` reaches for the first time, stamped with `now`.
    public func thresholdsCrossed(by newCount: Int, at now: Timestamp) -> [Threshold] {
        thresholds.filter { $0.reachedAt == nil && newCount >= $0.signatures }.map {
            Threshold(name: $0.name, signatures: $0.signatures, reachedAt: now)
        }
    }
}
