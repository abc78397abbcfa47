/// A comment's anchor carried from one version to the next: a new value that refers to the anchor it came from,
/// which stays as it was.
public struct CarriedAnchor: Sendable, Equatable, Hashable {
    /// The anchor in the previous version (the original, or the previous carried anchor's `to`).
    public var from: CommentAnchor
    /// The anchor in the new version; nil when the comment is now about the bill as a whole.
    public var to: CommentAnchor?
    public var status: AnchorStatus

    public init(from: CommentAnchor, to: CommentAnchor?, status: AnchorStatus) {
        self.from = from
        self.to = to
        self.status = status
    }

    /// Whether the comment no longer has a provision (orphaned at bill level).
    public var isBillLevel: Bool { to == nil }
}
