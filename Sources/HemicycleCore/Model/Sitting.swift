/// A committee sitting (hearing) that citizens watch and put questions to.
public struct Sitting: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<Sitting>

    public var id: ID
    public var title: String
    public var committee: String
    public var state: SittingState
    public var scheduledStart: Timestamp
    /// An embeddable player URL (`https://…`), or nil.
    public var streamURL: String?
    /// When the chair started the sitting: answers are stamped relative to it (stream chapters).
    public var streamStartedAt: Timestamp?
    public var endedAt: Timestamp?
    /// Agenda items questions can be tagged with.
    public var agenda: [String]
    /// Witnesses questions can be directed to (and tagged with).
    public var witnesses: [String]
    public var settings: HearingSettings

    public init(
        id: ID, title: String, committee: String, state: SittingState, scheduledStart: Timestamp, streamURL: String?,
        streamStartedAt: Timestamp? = nil, endedAt: Timestamp? = nil, agenda: [String] = [], witnesses: [String] = [],
        settings: HearingSettings = HearingSettings()
    ) {
        self.id = id
        self.title = title
        self.committee = committee
        self.state = state
        self.scheduledStart = scheduledStart
        self.streamURL = streamURL
        self.streamStartedAt = streamStartedAt
        self.endedAt = endedAt
        self.agenda = agenda
        self.witnesses = witnesses
        self.settings = settings
    }

    /// The public live topic of this sitting.
    public var topic: Topic { .sitting(id) }
    /// The staff topic of this sitting.
    public var moderationTopic: Topic { .sittingModeration(id) }

    /// Whether `tag` is one of this sitting's agenda items or witnesses.
    public func isKnownTag(_ tag: String) -> Bool { agenda.contains(tag) || witnesses.contains(tag) }

    /// Seconds from the stream start to `time`, or nil without a start.
    public func streamOffset(at time: Timestamp) -> Int? {
        guard let start = streamStartedAt else { return nil }
        return Int(max(0, time.millisecondsSince1970 - start.millisecondsSince1970) / 1000)
    }

    /// Moves to `target` (scheduled -> live -> ended), stamping the stream start or end; refuses any other move.
    public mutating func transition(to target: SittingState, at now: Timestamp) throws(SittingTransitionError) {
        switch (state, target) {
        case (.scheduled, .live):
            streamStartedAt = now
        case (.live, .ended):
            endedAt = now
        default:
            throw SittingTransitionError(from: state, to: target)
        }
        state = target
    }
}
