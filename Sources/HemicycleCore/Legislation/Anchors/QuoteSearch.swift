import Foundation

/// Finding quotes in provision text, shared by `AnchorResolver` and `AnchorCarrier`.
///
/// Searches run on a view of the text where the paragraph break `\n` reads as a space (one scalar for one, so
/// offsets in the view are offsets in the text), for a quote in `ProvisionText` normal form: a passage selected
/// across two paragraphs, or with different white space, still matches. Prefix and suffix are compared with all
/// white space removed, and only as far as the text goes (a prefix may reach back into another provision).
/// Every search is linear in the text (Knuth–Morris–Pratt; context compared in a window around each occurrence), so
/// a hostile quote cannot make it expensive.
enum QuoteSearch {
    /// The text as searched: `\n` read as a space.
    static func view(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.map { $0 == "\n" ? " " : $0 }
    }

    /// A quote as searched: in normal form (NFC, single spaces, trimmed).
    static func needle(_ quote: String) -> [Unicode.Scalar] {
        Array(ProvisionText.normalise(quote).unicodeScalars)
    }

    /// Context as searched: NFC, each run of white space one space, not trimmed (a prefix ends with its space).
    static func collapsed(_ text: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace {
                if result.last != " " { result.append(" ") }
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    /// Context as compared: NFC, without any white space.
    static func squeezed(_ text: some Sequence<Unicode.Scalar>) -> [Unicode.Scalar] {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text)
        return String(view).precomposedStringWithCanonicalMapping.unicodeScalars.filter { !$0.properties.isWhitespace }
    }

    /// A quote's prefix and suffix as compared, computed once per quote.
    struct Context {
        let before: [Unicode.Scalar]
        let after: [Unicode.Scalar]

        init(prefix: String, suffix: String) {
            self.before = QuoteSearch.squeezed(prefix.unicodeScalars)
            self.after = QuoteSearch.squeezed(suffix.unicodeScalars)
        }
    }

    /// Every place `needle` occurs in `hay` (overlapping occurrences included), in order. Knuth–Morris–Pratt:
    /// O(hay + needle).
    static func occurrences(of needle: [Unicode.Scalar], in hay: [Unicode.Scalar]) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= hay.count else { return [] }
        var failure = Array(repeating: 0, count: needle.count)
        var k = 0
        for i in needle.indices.dropFirst() {
            while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        var result: [Range<Int>] = []
        var matched = 0
        for (index, scalar) in hay.enumerated() {
            while matched > 0 && scalar != needle[matched] { matched = failure[matched - 1] }
            if scalar == needle[matched] { matched += 1 }
            if matched == needle.count {
                result.append((index + 1 - needle.count)..<(index + 1))
                matched = failure[matched - 1]
            }
        }
        return result
    }

    /// The non-space scalars of `hay` just before `range` (enough for `before` of them) and just after it (enough for
    /// `after`). The text is in normal form (single spaces), so twice as many scalars hold enough; looking no further
    /// keeps each occurrence cheap.
    static func surroundings(_ hay: [Unicode.Scalar], _ range: Range<Int>, before: Int, after: Int) -> ([Unicode.Scalar], [Unicode.Scalar]) {
        let lower = max(0, range.lowerBound - 2 * before - 2)
        let upper = min(hay.count, range.upperBound + 2 * after + 2)
        return (
            hay[lower..<range.lowerBound].filter { !$0.properties.isWhitespace },
            hay[range.upperBound..<upper].filter { !$0.properties.isWhitespace }
        )
    }

    /// How many scalars of context agree around `range`: the common tail of the text before it and the prefix, plus
    /// the common head of the text after it and the suffix (white space ignored).
    static func contextScore(_ hay: [Unicode.Scalar], _ range: Range<Int>, _ context: Context) -> Int {
        let (before, after) = surroundings(hay, range, before: context.before.count, after: context.after.count)
        var tail = 0
        while tail < before.count, tail < context.before.count,
            before[before.count - 1 - tail] == context.before[context.before.count - 1 - tail]
        {
            tail += 1
        }
        var head = 0
        while head < after.count, head < context.after.count, after[head] == context.after[head] { head += 1 }
        return tail + head
    }

    /// Whether the context around `range` agrees with the prefix and suffix as far as the text goes.
    static func contextAgrees(_ hay: [Unicode.Scalar], _ range: Range<Int>, _ context: Context) -> Bool {
        let (before, after) = surroundings(hay, range, before: context.before.count, after: context.after.count)
        let tail = min(before.count, context.before.count)
        let head = min(after.count, context.after.count)
        return before.suffix(tail).elementsEqual(context.before.suffix(tail))
            && after.prefix(head).elementsEqual(context.after.prefix(head))
    }

    /// The text of `scalars[range]` as a string.
    static func string(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }
}
