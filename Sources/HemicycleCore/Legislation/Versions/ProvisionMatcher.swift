/// Matches the provisions of version n + 1 to those of version n.
///
/// In order, each step only looking at provisions no earlier step matched:
/// 1. by key: a new provision whose `wId` is an old provision's key;
/// 2. by eId: same eId and kind, if their subtrees' words are at least `sameEId` similar (so a provision
///    renumbered into the place of a deleted one is not taken for it);
/// 3. by similarity: pairs in the same `ProvisionKind.matchingBand` scoring at least `low`
///    (`TextSimilarity.similarity` of the subtrees' words: heading, own text and every descendant's), best pairs
///    first (ties: closer in document order); `high` or more is certain, less is uncertain (for the clerk);
/// 4. same eId left over (a provision rewritten in place): uncertain, whatever the score;
/// 5. splits: a new provision still unmatched whose own words (heading and text, 3 or more) are at least `high`
///    contained in the own words of a matched old provision that lost words (its own words are less than `high`
///    similar to its match's) is a part split from it;
/// 6. merges: likewise, an old provision still unmatched whose own words are contained in a matched new provision
///    that gained words was merged into it.
/// What remains is deleted (old) or added (new). Pure and deterministic.
public enum ProvisionMatcher {
    /// The matching of `new` against `old`.
    public static func match(old: ProvisionTree, new: ProvisionTree, thresholds: MatchThresholds = MatchThresholds()) -> ProvisionMatching {
        let oldBags = old.provisions.map { WordBag(old.subtreeText(of: $0.eId)) }
        let newBags = new.provisions.map { WordBag(new.subtreeText(of: $0.eId)) }
        // Splits and merges compare a provision's own words (heading and text), not its subtree: a whole section
        // contains the words of any small provision.
        let oldOwn = old.provisions.map { WordBag([$0.heading ?? "", $0.quotableText].joined(separator: " ")) }
        let newOwn = new.provisions.map { WordBag([$0.heading ?? "", $0.quotableText].joined(separator: " ")) }
        var oldMatched = Array(repeating: false, count: old.count)
        var newMatched = Array(repeating: false, count: new.count)
        var primaryOfOld: [Int: Int] = [:]
        var primaryOfNew: [Int: Int] = [:]
        var matches: [ProvisionMatch] = []

        func record(_ o: Int, _ n: Int, _ basis: ProvisionMatch.Basis, _ score: Double, _ certainty: ProvisionMatch.Certainty) {
            matches.append(
                ProvisionMatch(
                    old: old.provisions[o].eId, oldKey: old.provisions[o].key, new: new.provisions[n].eId, basis: basis,
                    score: score, certainty: certainty))
            if basis != .split && basis != .merge {
                oldMatched[o] = true
                newMatched[n] = true
                primaryOfOld[o] = n
                primaryOfNew[n] = o
            } else if basis == .split {
                newMatched[n] = true
            } else {
                oldMatched[o] = true
            }
        }

        // 1. Keys given by the source.
        for (n, provision) in new.provisions.enumerated() where provision.keyIsExplicit {
            guard let o = old.index(ofKey: provision.key), !oldMatched[o] else { continue }
            record(o, n, .key, TextSimilarity.similarity(oldBags[o], newBags[n]), .certain)
        }
        // 2. Same eId, similar enough.
        for (n, provision) in new.provisions.enumerated() where !newMatched[n] {
            guard let o = old.index(of: provision.eId), !oldMatched[o], old.provisions[o].kind == provision.kind else { continue }
            let score = TextSimilarity.similarity(oldBags[o], newBags[n])
            if score >= thresholds.sameEId { record(o, n, .eId, score, .certain) }
        }
        // 3. Similarity, best pairs first.
        let freeOld = old.provisions.indices.filter { !oldMatched[$0] }
        let freeNew = new.provisions.indices.filter { !newMatched[$0] }
        let wide = freeOld.count * freeNew.count > thresholds.maxPairs
        var pairs: [(o: Int, n: Int, score: Double, distance: Double)] = []
        for n in freeNew {
            let relative = Double(n) / Double(max(1, new.count))
            for o in freeOld where old.provisions[o].kind.matchingBand == new.provisions[n].kind.matchingBand {
                if wide && abs(o - n) > thresholds.window { continue }
                let score = TextSimilarity.similarity(oldBags[o], newBags[n])
                guard score >= thresholds.low else { continue }
                pairs.append((o, n, score, abs(Double(o) / Double(max(1, old.count)) - relative)))
            }
        }
        pairs.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.distance != b.distance { return a.distance < b.distance }
            return (a.n, a.o) < (b.n, b.o)
        }
        for pair in pairs where !oldMatched[pair.o] && !newMatched[pair.n] {
            record(pair.o, pair.n, .similarity, pair.score, pair.score >= thresholds.high ? .certain : .uncertain)
        }
        // 4. Same eId left over: rewritten in place, for the clerk to confirm.
        for (n, provision) in new.provisions.enumerated() where !newMatched[n] {
            guard let o = old.index(of: provision.eId), !oldMatched[o], old.provisions[o].kind == provision.kind else { continue }
            record(o, n, .eId, TextSimilarity.similarity(oldBags[o], newBags[n]), .uncertain)
        }
        // 5. Parts split from a matched old provision that lost words. Which old provisions lost words (and which new
        // ones gained them) is worked out once, so these steps cost one containment per candidate pair.
        let lost = primaryOfOld.filter { TextSimilarity.similarity(oldOwn[$0.key], newOwn[$0.value]) < thresholds.high }.keys.sorted()
        for n in new.provisions.indices where !newMatched[n] && newOwn[n].total >= 3 {
            var best: (o: Int, score: Double)?
            for o in lost where old.provisions[o].kind.matchingBand == new.provisions[n].kind.matchingBand {
                if wide && abs(o - n) > thresholds.window { continue }
                let score = TextSimilarity.containment(newOwn[n], in: oldOwn[o])
                if score >= thresholds.high, best.map({ score > $0.score }) ?? true { best = (o, score) }
            }
            if let best { record(best.o, n, .split, best.score, .certain) }
        }
        // 6. Old provisions merged into a matched new provision that gained words.
        let gained = primaryOfNew.filter { TextSimilarity.similarity(oldOwn[$0.value], newOwn[$0.key]) < thresholds.high }.keys.sorted()
        for o in old.provisions.indices where !oldMatched[o] && oldOwn[o].total >= 3 {
            var best: (n: Int, score: Double)?
            for n in gained where old.provisions[o].kind.matchingBand == new.provisions[n].kind.matchingBand {
                if wide && abs(o - n) > thresholds.window { continue }
                let score = TextSimilarity.containment(oldOwn[o], in: newOwn[n])
                if score >= thresholds.high, best.map({ score > $0.score }) ?? true { best = (n, score) }
            }
            if let best { record(o, best.n, .merge, best.score, .certain) }
        }
        return ProvisionMatching(old: old, new: new, matches: matches)
    }
}
