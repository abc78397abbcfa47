/// A provision as an importer read it, before `ProvisionTreeBuilder` checks it and gives it its eId and key.
public struct ProvisionDraft: Sendable, Equatable {
    public var kind: ProvisionKind
    /// The bare designation (`2`, `b`); see `ProvisionNumber.designation(fromNum:)`.
    public var num: String
    public var heading: String?
    /// Own text paragraphs (content, or intro when the provision has children), not yet normalised.
    public var paragraphs: [String]
    public var wrapUp: [String]
    /// The `wId` the source gave, if any.
    public var wId: String?
    /// The `eId` the source gave, if any (checked against the naming convention).
    public var eId: String?
    /// The index of the enclosing draft in the importer's list, nil at the top of the body.
    public var parent: Int?
    /// Where the provision starts in the source (1-based).
    public var line: Int
    public var column: Int?

    public init(
        kind: ProvisionKind, num: String, heading: String? = nil, paragraphs: [String] = [], wrapUp: [String] = [],
        wId: String? = nil, eId: String? = nil, parent: Int?, line: Int, column: Int? = nil
    ) {
        self.kind = kind
        self.num = num
        self.heading = heading
        self.paragraphs = paragraphs
        self.wrapUp = wrapUp
        self.wId = wId
        self.eId = eId
        self.parent = parent
        self.line = line
        self.column = column
    }
}
