/// Where a citizen's question stands (issue 4): submitted -> approved | rejected(reason); approved -> on screen ->
/// answered; merged into another question; withdrawn by its author.
public enum QuestionState: Sendable, Equatable {
    case submitted
    case approved
    case rejected(reasonCode: String)
    case onScreen
    /// Answered `streamOffsetSeconds` after the stream started (nil when the sitting has no stream start).
    case answered(streamOffsetSeconds: Int?)
    case merged(into: Question.ID)
    case withdrawn

    /// The label used on the wire and in exports.
    public var label: String {
        switch self {
        case .submitted: "submitted"
        case .approved: "approved"
        case .rejected: "rejected"
        case .onScreen: "on_screen"
        case .answered: "answered"
        case .merged: "merged"
        case .withdrawn: "withdrawn"
        }
    }

    /// Every label, in lifecycle order.
    public static let labels = ["submitted", "approved", "on_screen", "answered", "rejected", "merged", "withdrawn"]

    /// Whether the question still takes votes and can receive merged duplicates.
    public var isOpen: Bool {
        switch self {
        case .submitted, .approved, .onScreen: true
        case .rejected, .answered, .merged, .withdrawn: false
        }
    }
}
