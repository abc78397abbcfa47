/// The measures version matching uses, on word multisets (`WordBag`):
/// - `similarity`: the weighted (multiset) Jaccard index, shared words / all words, `|A ∩ B| / |A ∪ B|`, from 0 (no
///   word in common) to 1 (the same words as often). Order-blind on purpose: a clause whose sentences were reordered
///   is still the same clause. Two empty texts are identical (1).
/// - `containment`: the share of A's words that are also in B, `|A ∩ B| / |A|`, to recognise the part of a split
///   clause in the clause it came from.
/// - `window`: for fuzzy quotes, the best-scoring run of words in a text (see `bestWindow`).
public enum TextSimilarity {
    /// Weighted Jaccard index of `a` and `b`.
    public static func similarity(_ a: WordBag, _ b: WordBag) -> Double {
        if a.total == 0 && b.total == 0 { return 1 }
        let shared = a.overlap(b)
        return Double(shared) / Double(a.total + b.total - shared)
    }

    /// The share of `part`'s words also in `whole` (0 when `part` is empty).
    public static func containment(_ part: WordBag, in whole: WordBag) -> Double {
        guard part.total > 0 else { return 0 }
        return Double(part.overlap(whole)) / Double(part.total)
    }

    /// The run of words of `words` most similar to `quote` (weighted Jaccard), among runs of `quote.count` words give or
    /// take a quarter (at least one): its range in `words` and its score, or nil when either is empty.
    /// Ties go to the earlier run. O(words × lengths tried).
    public static func bestWindow(of quote: [String], in words: [String]) -> (range: Range<Int>, score: Double)? {
        guard !quote.isEmpty, !words.isEmpty else { return nil }
        let wanted = WordBag(words: quote).counts
        let slack = max(1, quote.count / 4)
        var best: (range: Range<Int>, score: Double)?
        let longest = min(words.count, quote.count + slack)
        let shortest = min(max(1, quote.count - slack), longest)
        for length in shortest...longest {
            var window: [String: Int] = [:]
            var shared = 0
            func add(_ word: String) {
                let count = window[word, default: 0]
                if count < wanted[word, default: 0] { shared += 1 }
                window[word] = count + 1
            }
            func remove(_ word: String) {
                let count = window[word, default: 0]
                if count <= wanted[word, default: 0] && count > 0 { shared -= 1 }
                window[word] = count - 1
            }
            for index in 0..<length { add(words[index]) }
            var start = 0
            while true {
                let score = Double(shared) / Double(quote.count + length - shared)
                if best.map({ score > $0.score }) ?? true { best = (start..<(start + length), score) }
                guard start + length < words.count else { break }
                remove(words[start])
                add(words[start + length])
                start += 1
            }
        }
        return best
    }
}
