/// Carries a comment's anchor from version n to version n + 1, given how their provisions match.
///
/// Contract of `carry` (the anchor is never changed; the result is a new value):
/// 1. The old provision is found by the anchor's key (else its eId). Its targets in the new version are, in order:
///    its primary match, the parts split from it, the provision it was merged into, then the primary match's
///    descendants (a clause that became a list). No target: `orphaned` at bill level.
/// 2. A comment on a whole provision: `exact` on the primary match; `moved` to the first other target when there is
///    no primary match.
/// 3. A passage:
///    - its exact words (normal form) in the primary match: `exact`; in another target: `moved`. A quote shorter
///      than 16 scalars must also agree with its old surroundings on at least 4 scalars (or all there are), so "3"
///      is not found in "section 3". Among several occurrences, the one whose surroundings agree most with prefix
///      and suffix, then the one nearest the old offset;
///    - else, for a quote of three words or more, the run of words most similar to it (weighted Jaccard,
///      `MatchThresholds.quote` or more), in any target: `moved`;
///    - else the words between the prefix (its last 32 scalars) and the suffix (its first 32), found in that order
///      and close together: `moved` (the passage was reworded in place);
///    - else `orphaned`, kept on the primary match (or the first target) without a quote.
/// The new anchor is canonical (`AnchorResolver.anchor`): quote as the new text has it, fresh prefix, suffix, offsets.
public enum AnchorCarrier {
    /// The anchor carried into `tree` (version `version`): the new tree of `matching` with its keys carried
    /// (`ProvisionMatching.keyedTree`), which has the same eIds.
    public static func carry(
        _ anchor: CommentAnchor, matching: ProvisionMatching, into tree: ProvisionTree, version: Int,
        thresholds: MatchThresholds = MatchThresholds()
    ) -> CarriedAnchor {
        guard let oldProvision = matching.old[key: anchor.key] ?? matching.old[anchor.eId] else {
            return CarriedAnchor(from: anchor, to: nil, status: .orphaned)
        }
        let primary = matching.primary(forOld: oldProvision.eId).flatMap { tree[$0.new] }
        var seen = Set<EId>()
        var targets: [Provision] = []
        for eId in matching.targets(forOld: oldProvision.eId) + (primary.map { tree.descendants(of: $0.eId).map(\.eId) } ?? [])
        where seen.insert(eId).inserted {
            if let provision = tree[eId] { targets.append(provision) }
        }
        guard let first = targets.first else { return CarriedAnchor(from: anchor, to: nil, status: .orphaned) }
        func whole(_ provision: Provision) -> CommentAnchor {
            CommentAnchor(version: version, eId: provision.eId, key: provision.key)
        }
        guard let quote = anchor.quote else {
            if let primary { return CarriedAnchor(from: anchor, to: whole(primary), status: .exact) }
            return CarriedAnchor(from: anchor, to: whole(first), status: .moved)
        }
        let oldLength = max(1, oldProvision.quotableText.unicodeScalars.count)
        let oldStart = anchor.position?.start ?? 0
        func expectedStart(in hay: [Unicode.Scalar]) -> Int { oldStart * hay.count / oldLength }
        func carried(_ provision: Provision, _ range: Range<Int>, _ status: AnchorStatus) -> CarriedAnchor {
            CarriedAnchor(from: anchor, to: AnchorResolver.anchor(version: version, provision: provision, range: range), status: status)
        }

        // The exact words.
        let needle = QuoteSearch.needle(quote.exact)
        let context = QuoteSearch.Context(prefix: quote.prefix, suffix: quote.suffix)
        for provision in targets {
            let hay = QuoteSearch.view(provision.quotableText)
            let found = QuoteSearch.occurrences(of: needle, in: hay)
            guard !found.isEmpty else { continue }
            let expected = expectedStart(in: hay)
            // A short quote found somewhere else in the clause ("3" in "section 3") is not the passage: unless the
            // quote is long enough to identify itself, its surroundings must agree with the old ones a little.
            let available = context.before.count + context.after.count
            let scored = found.map { ($0, QuoteSearch.contextScore(hay, $0, context)) }
                .filter { needle.count >= 16 || $0.1 >= min(4, available) }
            let best = scored.min { a, b in
                a.1 != b.1 ? a.1 > b.1 : abs(a.0.lowerBound - expected) < abs(b.0.lowerBound - expected)
            }?.0
            if let best {
                return carried(provision, best, provision.eId == primary?.eId ? .exact : .moved)
            }
        }

        // A similar run of words (for quotes of three words or more: a word or two alone is found anywhere).
        let quoteWords = TextToken.words(quote.exact)
        var fuzzy: (provision: Provision, range: Range<Int>, score: Double)?
        for provision in targets where quoteWords.count >= 3 {
            let tokens = TextToken.split(provision.quotableText).filter { $0.kind == .word }
            guard let window = TextSimilarity.bestWindow(of: quoteWords, in: tokens.map { $0.text.lowercased() }),
                window.score >= thresholds.quote, fuzzy.map({ window.score > $0.score }) ?? true
            else { continue }
            let range = tokens[window.range.lowerBound].range.lowerBound..<tokens[window.range.upperBound - 1].range.upperBound
            fuzzy = (provision, range, window.score)
        }
        if let fuzzy { return carried(fuzzy.provision, fuzzy.range, .moved) }

        // The words between prefix and suffix.
        let before = Array(QuoteSearch.collapsed(quote.prefix).suffix(TextQuoteSelector.storedContextLength))
        let after = Array(QuoteSearch.collapsed(quote.suffix).prefix(TextQuoteSelector.storedContextLength))
        let atStart = before.allSatisfy { $0 == " " } && oldStart == 0
        let atEnd = after.allSatisfy { $0 == " " } && (anchor.position?.end ?? -1) == oldProvision.quotableText.unicodeScalars.count
        if QuoteSearch.squeezed(before).count + QuoteSearch.squeezed(after).count >= 8 {
            let maxGap = max(200, 3 * needle.count)
            for provision in targets {
                let hay = QuoteSearch.view(provision.quotableText)
                let starts = atStart ? [0] : QuoteSearch.occurrences(of: before, in: hay).map(\.upperBound)
                var spans: [Range<Int>] = []
                for start in starts {
                    var end: Int?
                    if atEnd {
                        end = hay.count
                    } else if !after.isEmpty {
                        let rest = Array(hay[start..<min(hay.count, start + maxGap + after.count)])
                        end = QuoteSearch.occurrences(of: after, in: rest).first.map { start + $0.lowerBound }
                    }
                    guard var upper = end else { continue }
                    var lower = start
                    while lower < upper, hay[lower] == " " { lower += 1 }
                    while upper > lower, hay[upper - 1] == " " { upper -= 1 }
                    if lower < upper { spans.append(lower..<upper) }
                }
                let expected = expectedStart(in: hay)
                if let span = spans.min(by: { abs($0.lowerBound - expected) < abs($1.lowerBound - expected) }) {
                    return carried(provision, span, .moved)
                }
            }
        }
        return CarriedAnchor(from: anchor, to: whole(primary ?? first), status: .orphaned)
    }
}
