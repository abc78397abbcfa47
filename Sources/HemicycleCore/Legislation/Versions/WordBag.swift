/// The words of a text as a multiset (lower-cased, from `TextToken.words`), for the similarity measures of version
/// matching (`TextSimilarity`).
public struct WordBag: Sendable, Equatable {
    public private(set) var counts: [String: Int]
    /// How many words, repeats included.
    public private(set) var total: Int

    public init(_ text: String) {
        self.init(words: TextToken.words(text))
    }

    public init(words: [String]) {
        var counts: [String: Int] = [:]
        for word in words { counts[word, default: 0] += 1 }
        self.counts = counts
        self.total = words.count
    }

    /// How many words the two bags share, repeats counted as often as both have them.
    public func overlap(_ other: WordBag) -> Int {
        let (small, large) = counts.count <= other.counts.count ? (counts, other.counts) : (other.counts, counts)
        var shared = 0
        for (word, count) in small { shared += min(count, large[word] ?? 0) }
        return shared
    }
}
