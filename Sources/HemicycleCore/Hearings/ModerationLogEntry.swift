/// One decision in a sitting's public moderation log: no personal data, no question text.
public struct ModerationLogEntry: Sendable, Equatable {
    public var sittingID: Sitting.ID
    public var questionID: Question.ID
    /// `approve`, `reject`, `edit`, `merge`, `tag`, `priority`, `on_screen`, `answered`, `withdraw`, `published`
    /// (post-moderation).
    public var action: String
    /// The question's state after the decision.
    public var state: String
    public var reasonCode: String?
    public var mergedInto: Question.ID?
    public var at: Timestamp

    public init(sittingID: Sitting.ID, questionID: Question.ID, action: String, state: String, reasonCode: String? = nil, mergedInto: Question.ID? = nil, at: Timestamp) {
        self.sittingID = sittingID
        self.questionID = questionID
        self.action = action
        self.state = state
        self.reasonCode = reasonCode
        self.mergedInto = mergedInto
        self.at = at
    }
}
