/// What happened to one provision of version n + 1 since version n (`VersionChanges`): nothing, its words changed
/// (with the word diff of its heading and of its text), or it is new. A provision is the same one across versions
/// when it has the same key (`Provision.key`: publishing carries keys forward, `ProvisionMatching.keyedTree`).
public struct ClauseChange: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// Same heading and text (it may still have been renumbered or moved).
        case unchanged
        /// The heading or the text changed.
        case changed
        /// No provision of the previous version has its key: new, or a part split from another.
        case added
    }

    /// The provision in the newer version.
    public let eId: EId
    public let key: ProvisionKey
    public let status: Status
    /// Where it was in the previous version (nil when added).
    public let previousEId: EId?
    /// Its label in the previous version, when its number changed (`(i)` became `(h)`); nil otherwise.
    public let previousLabel: String?
    /// The heading's word diff, when the heading changed (an added or removed heading diffs against "").
    public let heading: Redline?
    /// The quotable text's word diff (`Provision.quotableText`), when it changed; for an added provision, all of it
    /// inserted.
    public let text: Redline?

    public init(
        eId: EId, key: ProvisionKey, status: Status, previousEId: EId?, previousLabel: String?, heading: Redline?, text: Redline?
    ) {
        self.eId = eId
        self.key = key
        self.status = status
        self.previousEId = previousEId
        self.previousLabel = previousLabel
        self.heading = heading
        self.text = text
    }

    /// Whether its number changed.
    public var renumbered: Bool { previousLabel != nil }
}
