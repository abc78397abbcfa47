/// A participant's position on someone else's published comment: one per participant per comment.
public enum CommentStance: String, Sendable, CaseIterable {
    case support
    case oppose
}
