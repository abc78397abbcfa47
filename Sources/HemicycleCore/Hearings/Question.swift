/// A citizen's question in a sitting, with the participants who voted for it.
///
/// Votes are a set of participant ids, so a participant counts once, also after duplicates are merged.
public struct Question: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<Question>

    public let id: ID
    public var text: String
    /// The text as submitted, kept when a moderator edits it (the public sees "edited by the moderators").
    public var originalText: String?
    public var state: QuestionState
    public var voters: Set<String>
    /// Questions merged into this one.
    public var mergedFrom: [ID] = []

    public init(id: ID, text: String, state: QuestionState = .submitted, voters: Set<String> = []) {
        self.id = id
        self.text = text
        self.state = state
        self.voters = voters
    }

    public var votes: Int { voters.count }
    public var isEdited: Bool { originalText != nil }
}
