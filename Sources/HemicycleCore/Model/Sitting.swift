/// A committee sitting (hearing) that citizens can watch and, in a later issue, put questions to.
public struct Sitting: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<Sitting>

    public var id: ID
    public var title: String
    public var committee: String
    public var state: SittingState
    public var scheduledStart: Timestamp
    public var streamURL: String?

    public init(id: ID, title: String, committee: String, state: SittingState, scheduledStart: Timestamp, streamURL: String?) {
        self.id = id
        self.title = title
        self.committee = committee
        self.state = state
        self.scheduledStart = scheduledStart
        self.streamURL = streamURL
    }

    /// The public live topic of this sitting.
    public var topic: Topic { .sitting(id) }
}
