/// A draft law put to the public, clause by clause. Its text lives in its versions (`BillVersion`).
public struct Bill: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<Bill>

    public let id: ID
    public var title: String
    /// The committee that marks it up, shown to readers and in the report.
    public var committee: String
    /// The settings of its consultation (moderation, limits).
    public var settings: BillSettings

    public init(id: ID, title: String, committee: String, settings: BillSettings = BillSettings()) {
        self.id = id
        self.title = title
        self.committee = committee
        self.settings = settings
    }

    /// The public live topic name of this bill (comments, counts, the marker): `bill:{id}`.
    public var topicName: String { "bill:\(id)" }
    /// The staff live topic name of this bill: `bill:{id}:moderation`.
    public var moderationTopicName: String { "bill:\(id):moderation" }
}
