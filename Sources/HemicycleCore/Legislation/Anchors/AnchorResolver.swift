/// Checks the anchor a participant sends with a comment and returns it in canonical form.
///
/// Contract of `resolve`:
/// - the eId must name a provision of the tree; a key, when sent, must be that provision's key;
/// - without a quote (and without a position) the anchor is the whole provision;
/// - a quote (`exact` up to `TextQuoteSelector.maxExactLength` scalars, prefix and suffix up to
///   `maxContextLength`) must occur in the provision's `quotableText`, compared in `ProvisionText` normal form;
/// - one occurrence is chosen by the position when given (the text there must be the quote), else by prefix and
///   suffix: every occurrence whose surroundings disagree is dropped, then the one whose surroundings match the
///   most of them is taken; a tie (two occurrences equally preceded and followed) is `quoteAmbiguous`;
/// - the result holds the quote as the text has it, 32 scalars of context from the text on each side, and the
///   position in scalars: the same passage always gives the same anchor, whatever the client sent.
public enum AnchorResolver {
    /// The canonical anchor for the passage, or the reason it was refused.
    public static func resolve(
        eId: EId, key: ProvisionKey? = nil, quote: TextQuoteSelector?, position: TextPositionSelector? = nil,
        version: Int, in tree: ProvisionTree
    ) throws(AnchorError) -> CommentAnchor {
        guard let provision = tree[eId] else { throw .unknownProvision(eId) }
        if let key, key != provision.key { throw .keyMismatch(eId: eId, key: key) }
        guard let quote else {
            if position != nil { throw .positionOutOfRange }
            return CommentAnchor(version: version, eId: eId, key: provision.key)
        }
        guard quote.exact.unicodeScalars.count <= TextQuoteSelector.maxExactLength else {
            throw .quoteTooLong(limit: TextQuoteSelector.maxExactLength)
        }
        guard quote.prefix.unicodeScalars.count <= TextQuoteSelector.maxContextLength,
            quote.suffix.unicodeScalars.count <= TextQuoteSelector.maxContextLength
        else { throw .quoteTooLong(limit: TextQuoteSelector.maxContextLength) }
        let needle = QuoteSearch.needle(quote.exact)
        guard !needle.isEmpty else { throw .emptyQuote }
        let hay = QuoteSearch.view(provision.quotableText)
        let found = QuoteSearch.occurrences(of: needle, in: hay)
        guard !found.isEmpty else { throw .quoteNotFound }
        let chosen: Range<Int>
        if let position {
            guard position.start >= 0, position.start < position.end, position.end <= hay.count else {
                throw .positionOutOfRange
            }
            let there = ProvisionText.normalise(QuoteSearch.string(hay, position.start..<position.end))
            guard Array(there.unicodeScalars) == needle,
                let match = found.first(where: { $0.lowerBound >= position.start && $0.upperBound <= position.end })
            else { throw .positionMismatch }
            chosen = match
        } else {
            let context = QuoteSearch.Context(prefix: quote.prefix, suffix: quote.suffix)
            let agreeing = found.filter { QuoteSearch.contextAgrees(hay, $0, context) }
            guard !agreeing.isEmpty else { throw .contextMismatch }
            // Near the start or end of the text the context can only agree as far as the text goes; when several
            // occurrences agree, the one whose surroundings match more of the context wins, if it alone does.
            let scores = agreeing.map { QuoteSearch.contextScore(hay, $0, context) }
            let best = scores.max() ?? 0
            let winners = zip(agreeing, scores).filter { $0.1 == best }.map(\.0)
            guard winners.count == 1 else { throw .quoteAmbiguous(occurrences: winners.count) }
            chosen = winners[0]
        }
        return anchor(version: version, provision: provision, range: chosen)
    }

    /// The canonical anchor of `range` (in scalars of `provision.quotableText`).
    public static func anchor(version: Int, provision: Provision, range: Range<Int>) -> CommentAnchor {
        let scalars = Array(provision.quotableText.unicodeScalars)
        let context = TextQuoteSelector.storedContextLength
        let lower = max(0, min(range.lowerBound, scalars.count))
        let upper = max(lower, min(range.upperBound, scalars.count))
        let quote = TextQuoteSelector(
            exact: QuoteSearch.string(scalars, lower..<upper),
            prefix: QuoteSearch.string(scalars, max(0, lower - context)..<lower),
            suffix: QuoteSearch.string(scalars, upper..<min(scalars.count, upper + context)))
        return CommentAnchor(
            version: version, eId: provision.eId, key: provision.key, quote: quote,
            position: TextPositionSelector(start: lower, end: upper))
    }
}
