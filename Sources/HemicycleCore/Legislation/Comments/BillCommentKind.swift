/// What a participant writes on a provision.
public enum BillCommentKind: String, Sendable, CaseIterable {
    /// An opinion or remark.
    case comment
    /// A proposed rewording of the provision or of the quoted passage (`BillComment.proposedText`), shown as a
    /// redline.
    case rewording
    /// A question to the committee about the provision.
    case question
}
