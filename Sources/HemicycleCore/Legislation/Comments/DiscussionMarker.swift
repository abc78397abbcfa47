/// The committee's "now discussing" marker: the provision under discussion in the mark-up session, since when.
public struct DiscussionMarker: Sendable, Equatable, Hashable {
    /// The version whose provision is under discussion.
    public var version: Int
    public var eId: EId
    public var key: ProvisionKey
    public var since: Timestamp

    public init(version: Int, eId: EId, key: ProvisionKey, since: Timestamp) {
        self.version = version
        self.eId = eId
        self.key = key
        self.since = since
    }

    /// The rule that marks a comment: written while the marker was on its provision or on a provision enclosing it
    /// (the committee discussing section 2 is discussing its subsections), in the same version.
    public func covers(_ anchor: CommentAnchor, in tree: ProvisionTree) -> Bool {
        anchor.version == version && tree.contains(anchor.eId, within: eId)
    }
}
