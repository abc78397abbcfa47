/// A piece of text as the word diff and the similarity measures see it: a word (a run of letters, digits and
/// combining marks), a run of white space, or one other character (punctuation, a symbol).
///
/// The tokens of a text cover it exactly, in order, so joining their `text` gives the text back.
public struct TextToken: Sendable, Equatable, Hashable {
    public enum Kind: Sendable, Equatable, Hashable {
        case word
        case space
        case symbol
    }

    public var kind: Kind
    public var text: String
    /// Where the token lies in the text, in Unicode scalars.
    public var range: Range<Int>

    public init(kind: Kind, text: String, range: Range<Int>) {
        self.kind = kind
        self.text = text
        self.range = range
    }

    /// The tokens of `text`, in order.
    public static func split(_ text: String) -> [TextToken] {
        split(Array(text.unicodeScalars))
    }

    /// The tokens of `scalars`, in order.
    public static func split(_ scalars: [Unicode.Scalar]) -> [TextToken] {
        var tokens: [TextToken] = []
        var index = 0
        while index < scalars.count {
            let kind = kind(of: scalars[index])
            var end = index + 1
            if kind != .symbol {
                while end < scalars.count, Self.kind(of: scalars[end]) == kind { end += 1 }
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[index..<end])
            tokens.append(TextToken(kind: kind, text: String(view), range: index..<end))
            index = end
        }
        return tokens
    }

    /// The lower-cased words of `text`, for similarity.
    public static func words(_ text: String) -> [String] {
        split(text).filter { $0.kind == .word }.map { $0.text.lowercased() }
    }

    static func kind(of scalar: Unicode.Scalar) -> Kind {
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        if properties.isAlphabetic || properties.numericType != nil { return .word }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber: return .word
        default: return .symbol
        }
    }
}
