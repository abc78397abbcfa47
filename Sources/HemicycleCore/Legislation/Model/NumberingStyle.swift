/// How a run of sibling provisions is numbered, and what follows what.
///
/// - `arabic`: 1, 2, 3, with inserted numbers 2A, 2B after 2 (a provision added between 2 and 3 in mark-up).
/// - `lowerLetter` / `upperLetter`: a…z then aa…zz (the US doubling), or A…Z then AA…ZZ.
/// - `lowerRoman` / `upperRoman`: i, ii, iii… or I, II, III… (canonical forms only, up to 3999).
///
/// A number is the bare designation (`2`, `b`, `iv`), without parentheses, keyword or full stop.
public enum NumberingStyle: String, Sendable, CaseIterable {
    case arabic
    case lowerLetter
    case upperLetter
    case lowerRoman
    case upperRoman

    /// A place in a numbering: `base` 2 and `insertion` 1 is `2A`; without insertion `insertion` is 0.
    public struct Ordinal: Sendable, Hashable, Comparable {
        public var base: Int
        public var insertion: Int

        public init(base: Int, insertion: Int = 0) {
            self.base = base
            self.insertion = insertion
        }

        /// Whether `self` may come right after `previous`: the next base number, or the next insertion after it.
        public func follows(_ previous: Ordinal) -> Bool {
            (base == previous.base + 1 && insertion == 0) || (base == previous.base && insertion == previous.insertion + 1)
        }

        public static func < (lhs: Ordinal, rhs: Ordinal) -> Bool {
            (lhs.base, lhs.insertion) < (rhs.base, rhs.insertion)
        }
    }

    /// The place of `designation` in this style, or nil if it is not written in this style.
    public func ordinal(of designation: String) -> Ordinal? {
        let scalars = Array(designation.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 12 else { return nil }
        switch self {
        case .arabic:
            let digits = scalars.prefix { $0 >= "0" && $0 <= "9" }
            let rest = scalars.dropFirst(digits.count)
            guard !digits.isEmpty, digits.count <= 6, digits.first != "0",
                let base = Int(String(String.UnicodeScalarView(digits)))
            else { return nil }
            if rest.isEmpty { return Ordinal(base: base) }
            guard rest.count == 1, let letter = rest.first, letter >= "A", letter <= "Z" else { return nil }
            return Ordinal(base: base, insertion: Int(letter.value - 64))
        case .lowerLetter, .upperLetter:
            let low: Unicode.Scalar = self == .lowerLetter ? "a" : "A"
            let high: Unicode.Scalar = self == .lowerLetter ? "z" : "Z"
            guard scalars.count <= 2, let first = scalars.first, first >= low, first <= high,
                scalars.allSatisfy({ $0 == first })
            else { return nil }
            return Ordinal(base: Int(first.value - low.value) + 1 + (scalars.count - 1) * 26)
        case .lowerRoman, .upperRoman:
            let text = String(String.UnicodeScalarView(scalars))
            guard let value = Self.romanValue(self == .lowerRoman ? text.uppercased() : text),
                (self == .lowerRoman) == (text == text.lowercased())
            else { return nil }
            return Ordinal(base: value)
        }
    }

    /// The designation of `ordinal` in this style (`nil` past what the style can write, e.g. letter 53).
    public func designation(of ordinal: Ordinal) -> String? {
        guard ordinal.base >= 1 else { return nil }
        switch self {
        case .arabic:
            guard ordinal.insertion >= 0, ordinal.insertion <= 26 else { return nil }
            let suffix = ordinal.insertion == 0 ? "" : String(Character(Unicode.Scalar(UInt8(64 + ordinal.insertion))))
            return "\(ordinal.base)\(suffix)"
        case .lowerLetter, .upperLetter:
            guard ordinal.insertion == 0, ordinal.base <= 52 else { return nil }
            let low: UInt8 = self == .lowerLetter ? 97 : 65
            let letter = Character(Unicode.Scalar(low + UInt8((ordinal.base - 1) % 26)))
            return String(repeating: letter, count: (ordinal.base - 1) / 26 + 1)
        case .lowerRoman, .upperRoman:
            guard ordinal.insertion == 0, ordinal.base <= 3999 else { return nil }
            let roman = Self.roman(ordinal.base)
            return self == .lowerRoman ? roman.lowercased() : roman
        }
    }

    /// The first designation: `1`, `a`, `A`, `i`, `I`.
    public var first: String {
        switch self {
        case .arabic: "1"
        case .lowerLetter: "a"
        case .upperLetter: "A"
        case .lowerRoman: "i"
        case .upperRoman: "I"
        }
    }

    /// The designation expected after `previous` (not counting insertions), for error messages.
    public func next(after previous: String) -> String? {
        guard let ordinal = ordinal(of: previous) else { return nil }
        return designation(of: Ordinal(base: ordinal.base + 1))
    }

    /// The style of a run that starts with `designation`: `i` and `I` start roman runs, other letters letter runs.
    /// Nil when `designation` is the first of no style.
    public static func starting(with designation: String) -> NumberingStyle? {
        allCases.first { style in style.ordinal(of: designation) == Ordinal(base: 1) }
            .map { style in
                switch (style, designation) {
                case (.lowerLetter, "i"): .lowerRoman
                case (.upperLetter, "I"): .upperRoman
                default: style
                }
            }
    }

    /// The styles in which `designation` can be written, in `allCases` order.
    public static func candidates(for designation: String) -> [NumberingStyle] {
        allCases.filter { $0.ordinal(of: designation) != nil }
    }

    private static let romanDigits: [(Int, String)] = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]

    private static func roman(_ value: Int) -> String {
        var rest = value
        var text = ""
        for (amount, digits) in romanDigits {
            while rest >= amount {
                text += digits
                rest -= amount
            }
        }
        return text
    }

    /// The value of an upper-case roman numeral in canonical form, else nil (`IIII`, `VX` and `IL` are refused).
    private static func romanValue(_ text: String) -> Int? {
        var rest = Substring(text)
        var value = 0
        for (amount, digits) in romanDigits {
            while rest.hasPrefix(digits) {
                value += amount
                rest = rest.dropFirst(digits.count)
            }
        }
        guard rest.isEmpty, value >= 1, value <= 3999, roman(value) == text else { return nil }
        return value
    }
}
