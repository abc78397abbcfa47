/// A participant's comment, proposed rewording or question on a provision of a bill, with the participants who
/// support or oppose it.
///
/// `anchor` is where it was written and never changes; each later version adds a `CarriedAnchor` to `carried`, and
/// `currentAnchor` is where it stands now. Supports and opposes are sets of participant ids, so each participant
/// counts once, also after duplicates are merged, and never on both sides.
public struct BillComment: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<BillComment>

    public let id: ID
    public let billID: Bill.ID
    /// The participant who wrote it (their token's id; never shown to the public).
    public var participant: String
    public var kind: BillCommentKind
    public var text: String
    /// The text as submitted, kept when a moderator edits it.
    public var originalText: String?
    /// The proposed wording (rewordings only).
    public var proposedText: String?
    /// The proposed wording as submitted, kept when a moderator edits it.
    public var originalProposedText: String?
    /// Where it was written, in the version then current.
    public let anchor: CommentAnchor
    /// Its anchor in each later version, in order.
    public var carried: [CarriedAnchor] = []
    public var state: BillCommentState
    public var supporters: Set<String> = []
    public var opposers: Set<String> = []
    /// Comments merged into this one.
    public var mergedFrom: [ID] = []
    /// The display name, or nil for "Anonymous".
    public var name: String?
    public var region: String?
    public var submittedAt: Timestamp
    /// The marker at the time of writing, when it was on this comment's provision (`DiscussionMarker.covers`).
    public var discussion: DiscussionMarker?

    public init(
        id: ID, billID: Bill.ID, participant: String, kind: BillCommentKind, text: String, proposedText: String? = nil,
        anchor: CommentAnchor, state: BillCommentState = .submitted, name: String? = nil, region: String? = nil,
        submittedAt: Timestamp, discussion: DiscussionMarker? = nil
    ) {
        self.id = id
        self.billID = billID
        self.participant = participant
        self.kind = kind
        self.text = text
        self.proposedText = proposedText
        self.anchor = anchor
        self.state = state
        self.name = name
        self.region = region
        self.submittedAt = submittedAt
        self.discussion = discussion
    }

    /// Where the comment stands in the latest version it was carried to; nil when it is now about the whole bill.
    public var currentAnchor: CommentAnchor? {
        guard let last = carried.last else { return anchor }
        return last.to
    }

    /// The key of the provision the comment counts for now (nil: the bill as a whole).
    public var currentKey: ProvisionKey? { currentAnchor?.key }

    /// The status of the last carry; nil when the comment is on the version it was written on.
    public var anchorStatus: AnchorStatus? { carried.last?.status }

    public var isPublished: Bool { state == .published }
    public var isEdited: Bool { originalText != nil || originalProposedText != nil }
    public var supports: Int { supporters.count }
    public var opposes: Int { opposers.count }
    /// Whether it was written while the committee discussed its provision.
    public var writtenDuringDiscussion: Bool { discussion != nil }

    /// A participant's stance on this comment, if any.
    public func stance(of participant: String) -> CommentStance? {
        supporters.contains(participant) ? .support : opposers.contains(participant) ? .oppose : nil
    }

    /// For a rewording: the redline of the proposed text against what it rewords in `tree` (the version of
    /// `currentAnchor`): the quoted passage, else the provision's text. Nil for other kinds or a bill-level comment.
    public func rewordingRedline(in tree: ProvisionTree) -> Redline? {
        guard kind == .rewording, let proposedText, let anchor = currentAnchor else { return nil }
        if let quote = anchor.quote { return Redline(from: quote.exact, to: proposedText) }
        guard let provision = tree[anchor.eId] else { return nil }
        return Redline(from: provision.quotableText, to: proposedText)
    }
}
