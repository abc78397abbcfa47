/// What became of a comment's anchor in a new version (`AnchorCarrier`).
public enum AnchorStatus: String, Sendable, CaseIterable {
    /// The quoted words are still in the same provision (possibly at another offset, possibly renumbered); for a
    /// comment on a whole provision, the provision survives.
    case exact
    /// The passage was found again only approximately (a fuzzy match of the quote, or the words between its prefix
    /// and suffix), or in another provision (a part split off, the provision it was merged into, a child); for a
    /// comment on a whole provision, the provision survives only as a split or merged part.
    case moved
    /// The passage is gone: the comment stays on its provision (`CarriedAnchor.to` without a quote) when the
    /// provision survives, or on the bill as a whole (`to` nil) when it does not.
    case orphaned
}
