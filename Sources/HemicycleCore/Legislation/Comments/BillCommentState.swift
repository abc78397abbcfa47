/// Where a comment on a bill stands: submitted -> published | rejected(reason) | merged | withdrawn; a published
/// comment can still be rejected, merged or withdrawn. Post-moderation publishes at once.
public enum BillCommentState: Sendable, Equatable, Hashable {
    case submitted
    case published
    case rejected(reasonCode: String)
    case merged(into: BillComment.ID)
    case withdrawn

    /// The label used on the wire and in exports.
    public var label: String {
        switch self {
        case .submitted: "submitted"
        case .published: "published"
        case .rejected: "rejected"
        case .merged: "merged"
        case .withdrawn: "withdrawn"
        }
    }

    /// Every label, in lifecycle order.
    public static let labels = ["submitted", "published", "rejected", "merged", "withdrawn"]

    /// Whether the comment can still be moderated, edited and receive merged duplicates.
    public var isOpen: Bool { self == .submitted || self == .published }
}
