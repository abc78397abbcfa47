/// One pairing of an old provision (version n) with a new one (version n + 1), with how it was found and how sure it
/// is.
public struct ProvisionMatch: Sendable, Equatable {
    /// How the pair was found.
    public enum Basis: String, Sendable, CaseIterable {
        /// The new provision's `wId` is the old one's key.
        case key
        /// Same eId (same place and number), with similar text.
        case eId = "eid"
        /// Text similarity alone (a renumbered or moved provision).
        case similarity
        /// Part of an old provision that was split in two: the new provision's words are in the old one, which also
        /// has its own (primary) match.
        case split
        /// The old provision was merged into the new one, which also has its own (primary) match.
        case merge
        /// Paired by the clerk.
        case clerk
    }

    public enum Certainty: String, Sendable {
        case certain
        /// For the clerk to confirm or reject before the version is published.
        case uncertain
    }

    public var old: EId
    public var oldKey: ProvisionKey
    public var new: EId
    public var basis: Basis
    /// Similarity of the two subtrees' words (`TextSimilarity.similarity`); for split and merge, the containment.
    public var score: Double
    public var certainty: Certainty
    /// The number changed (`(i)` became `(h)`).
    public var renumbered: Bool
    /// The enclosing provision changed (its old parent is not matched to the new parent).
    public var moved: Bool
    /// The heading or own text changed.
    public var textChanged: Bool

    public init(
        old: EId, oldKey: ProvisionKey, new: EId, basis: Basis, score: Double, certainty: Certainty,
        renumbered: Bool = false, moved: Bool = false, textChanged: Bool = false
    ) {
        self.old = old
        self.oldKey = oldKey
        self.new = new
        self.basis = basis
        self.score = score
        self.certainty = certainty
        self.renumbered = renumbered
        self.moved = moved
        self.textChanged = textChanged
    }

    /// Whether this is the pair that carries the key (not a split or merge part).
    public var isPrimary: Bool { basis != .split && basis != .merge }
}
