public import HemicycleCore
public import NIOCore

/// One connection's subscribe request, as `Hub.subscribe(batch:)` takes it.
public struct SubscribeRequest: Sendable {
    /// The subscriber, bound to its loop.
    public var connection: NIOLoopBound<any LiveConnection>
    public var id: ConnectionID
    public var topics: [Topic]
    public var resume: [Topic: ResumePosition]
    public var ref: String?
    /// Which staff-only topics the connection may read.
    public var access: TopicAccess

    public init(
        connection: NIOLoopBound<any LiveConnection>, id: ConnectionID, topics: [Topic], resume: [Topic: ResumePosition], ref: String?,
        access: TopicAccess = .public
    ) {
        self.connection = connection
        self.id = id
        self.topics = topics
        self.resume = resume
        self.ref = ref
        self.access = access
    }
}
