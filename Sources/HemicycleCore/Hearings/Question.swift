/// A citizen's question in a sitting, with the participants who voted for it.
///
/// Votes are a set of participant ids, so a participant counts once, also after duplicates are merged. A vote is
/// either counted (`voters`: the public count) or held (`heldVoters`): held votes came from an address that had
/// already cast `HearingSettings.votesPerAddress` counted votes on this question; only moderators see them, and they
/// can release them (`QuestionBoard`). `voterAddresses` keeps the address tag of each vote that has one (an opaque
/// keyed hash of its `AddressKey`, never the address itself).
public struct Question: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<Question>

    public let id: ID
    public var sittingID: Sitting.ID
    /// The participant who asked (their token's id; never shown to the public).
    public var participant: String
    public var text: String
    /// The text as submitted, kept when a moderator edits it (the public sees "edited by the moderators").
    public var originalText: String?
    /// The display name, or nil for "Anonymous".
    public var name: String?
    public var region: String?
    public var state: QuestionState
    /// Participants whose vote counts.
    public var voters: Set<String>
    /// Participants whose vote is held: not counted, shown to moderators.
    public var heldVoters: Set<String> = []
    /// The address tag of each vote (counted or held), by participant; votes cast before tags existed have none.
    public var voterAddresses: [String: String] = [:]
    /// Questions merged into this one.
    public var mergedFrom: [ID] = []
    /// An agenda item or witness of the sitting.
    public var tag: String?
    /// Moderator priority, -100…100; the chair can order by it.
    public var priority: Int = 0
    public var submittedAt: Timestamp
    public var answeredAt: Timestamp?

    public init(
        id: ID, sittingID: Sitting.ID = Sitting.ID(1), participant: String = "", text: String, name: String? = nil, region: String? = nil,
        state: QuestionState = .submitted, voters: Set<String> = [], submittedAt: Timestamp = Timestamp(millisecondsSince1970: 0)
    ) {
        self.id = id
        self.sittingID = sittingID
        self.participant = participant
        self.text = text
        self.name = name
        self.region = region
        self.state = state
        self.voters = voters
        self.submittedAt = submittedAt
    }

    public var votes: Int { voters.count }
    public var heldVotes: Int { heldVoters.count }
    public var isEdited: Bool { originalText != nil }
    /// Whether the public sees it in the list (approved, on screen or answered).
    public var isPublished: Bool {
        switch state {
        case .approved, .onScreen, .answered: true
        default: false
        }
    }
}
