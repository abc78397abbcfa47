import Foundation

/// Finding quotes in provision text, shared by `AnchorResolver` and `AnchorCarrier`.
///
/// Searches run on a view of the text where the paragraph break `\n` reads as a space (one scalar for one, so
/// offsets in the view are offsets in the text), for a quote in `ProvisionText` normal form: a passage selected
/// across two paragraphs, or with different white space, still matches. Prefix and suffix are compared with all
/// white space removed, and only as far as the text goes (a prefix may reach back into another provision).
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

    /// Every place `needle` occurs in `hay` (overlapping occurrences included), in order.
    static func occurrences(of needle: [Unicode.Scalar], in hay: [Unicode.Scalar]) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= hay.count else { return [] }
        var result: [Range<Int>] = []
        let first = needle[0]
        var start = 0
        while start + needle.count <= hay.count {
            if hay[start] == first {
                var index = 1
                while index < needle.count, hay[start + index] == needle[index] { index += 1 }
                if index == needle.count { result.append(start..<(start + needle.count)) }
            }
            start += 1
        }
        return result
    }

    /// How many scalars of context agree around `range`: the common tail of the text before it and `prefix`, plus
    /// the common head of the text after it and `suffix` (white space ignored).
    static func contextScore(_ hay: [Unicode.Scalar], _ range: Range<Int>, prefix: String, suffix: String) -> Int {
        let before = squeezed(hay[..<range.lowerBound])
        let after = squeezed(hay[range.upperBound...])
        let wantedBefore = squeezed(prefix.unicodeScalars)
        let wantedAfter = squeezed(suffix.unicodeScalars)
        var tail = 0
        while tail < before.count, tail < wantedBefore.count,
            before[before.count - 1 - tail] == wantedBefore[wantedBefore.count - 1 - tail]
        {
            tail += 1
        }
        var head = 0
        while head < after.count, head < wantedAfter.count, after[head] == wantedAfter[head] { head += 1 }
        return tail + head
    }

    /// Whether the context around `range` agrees with `prefix` and `suffix` as far as both go.
    static func contextAgrees(_ hay: [Unicode.Scalar], _ range: Range<Int>, prefix: String, suffix: String) -> Bool {
        let before = squeezed(hay[..<range.lowerBound])
        let after = squeezed(hay[range.upperBound...])
        let wantedBefore = squeezed(prefix.unicodeScalars)
        let wantedAfter = squeezed(suffix.unicodeScalars)
        let tail = min(before.count, wantedBefore.count)
        let head = min(after.count, wantedAfter.count)
        return before.suffix(tail).elementsEqual(wantedBefore.suffix(tail))
            && after.prefix(head).elementsEqual(wantedAfter.prefix(head))
    }

    /// The text of `scalars[range]` as a string.
    static func string(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }
}
