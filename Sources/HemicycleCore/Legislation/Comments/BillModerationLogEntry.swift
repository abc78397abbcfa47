/// One decision in a bill's public moderation log: no personal data, no comment text.
public struct BillModerationLogEntry: Sendable, Equatable, Hashable {
    public var billID: Bill.ID
    public var commentID: BillComment.ID
    /// `approve`, `reject`, `edit`, `edit_proposal`, `merge`, `withdraw`, `published` (post-moderation).
    public var action: String
    /// The comment's state after the decision.
    public var state: String
    public var reasonCode: String?
    public var mergedInto: BillComment.ID?
    public var at: Timestamp

    public init(
        billID: Bill.ID, commentID: BillComment.ID, action: String, state: String, reasonCode: String? = nil,
        mergedInto: BillComment.ID? = nil, at: Timestamp
    ) {
        self.billID = billID
        self.commentID = commentID
        self.action = action
        self.state = state
        self.reasonCode = reasonCode
        self.mergedInto = mergedInto
        self.at = at
    }
}
