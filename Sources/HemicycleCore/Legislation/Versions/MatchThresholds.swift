/// The thresholds of version matching and of carrying quotes (defaults documented in Protocol/LEGISLATION.md).
public struct MatchThresholds: Sendable, Equatable {
    /// At or above: a match by similarity is certain; a split or merge part is recognised by containment.
    public var high = 0.8
    /// At or above (and below `high`): an uncertain match the clerk confirms or rejects; below: no match.
    public var low = 0.5
    /// A provision with the same eId and kind needs this much similarity to be matched by eId: its place is already
    /// evidence, so less text in common is needed than between strangers, but a different clause renumbered into
    /// the place of a deleted one (typically below 0.2) is not taken for it.
    public var sameEId = 0.3
    /// The least similarity of a fuzzy quote (the best run of words in the new text) to be carried as `moved`.
    public var quote = 0.6
    /// Above this many candidate pairs, similarity matching compares each new provision only with the old ones
    /// within `window` places of it in document order, so a wholly rewritten long bill stays cheap.
    public var maxPairs = 250_000
    public var window = 200

    public init() {}
}
