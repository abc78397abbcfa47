/// What a participant submits (the JSON body of `POST /api/v1/bills/{id}/comments`, decoded at the edge), before
/// `BillCommentBoard.submit` checks it.
public struct BillCommentDraft: Sendable, Equatable {
    public var participant: String
    public var kind: BillCommentKind
    public var text: String
    public var proposedText: String?
    public var eId: EId
    /// The key the page showed, to catch a page built from another version; optional.
    public var key: ProvisionKey?
    public var quote: TextQuoteSelector?
    public var position: TextPositionSelector?
    public var name: String?
    public var region: String?

    public init(
        participant: String, kind: BillCommentKind, text: String, proposedText: String? = nil, eId: EId,
        key: ProvisionKey? = nil, quote: TextQuoteSelector? = nil, position: TextPositionSelector? = nil,
        name: String? = nil, region: String? = nil
    ) {
        self.participant = participant
        self.kind = kind
        self.text = text
        self.proposedText = proposedText
        self.eId = eId
        self.key = key
        self.quote = quote
        self.position = position
        self.name = name
        self.region = region
    }
}
