/// Where a comment points in one version of a bill: a provision (eId, and the key that survives renumbering), and
/// optionally a passage of its text (`quote` and `position`, both set together once resolved).
///
/// Anchors are values and are never rewritten: carrying a comment to a new version makes a new anchor
/// (`CarriedAnchor`) that refers to the old one.
public struct CommentAnchor: Sendable, Equatable, Hashable {
    /// The version the anchor points into.
    public var version: Int
    public var eId: EId
    public var key: ProvisionKey
    /// The passage, or nil for a comment on the whole provision.
    public var quote: TextQuoteSelector?
    /// Where the passage lies in the provision's `quotableText`; set whenever `quote` is.
    public var position: TextPositionSelector?

    public init(version: Int, eId: EId, key: ProvisionKey, quote: TextQuoteSelector? = nil, position: TextPositionSelector? = nil) {
        self.version = version
        self.eId = eId
        self.key = key
        self.quote = quote
        self.position = position
    }

    /// Whether the anchor is on a passage rather than on the whole provision.
    public var isPassage: Bool { quote != nil }
}
