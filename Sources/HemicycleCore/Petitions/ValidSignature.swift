/// A signature whose fields passed validation: trimmed, email lowercased, postcode and country upper-cased.
public struct ValidSignature: Sendable, Equatable {
    /// The longest name accepted.
    public static let maxNameLength = 100

    public let name: String
    public let email: String
    public let postcode: String?
    public let country: String?

    /// The name as the household rule compares it: lowercased, whitespace collapsed ("Ada  LOVELACE" = "ada lovelace").
    public var nameKey: String {
        name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The same signature with `country` set (for signers who give none: the parliament's own country).
    public func inCountry(_ code: String) -> ValidSignature {
        ValidSignature(name: name, email: email, postcode: postcode, country: code)
    }

    /// The postcode as the postcode table keys it: upper-cased, without spaces or hyphens ("sw1a 1aa" = "SW1A1AA").
    public var postcodeKey: String? { postcode.map(Self.postcodeKey) }

    public static func postcodeKey(_ postcode: String) -> String {
        String(postcode.uppercased().unicodeScalars.filter { $0 != " " && $0 != "-" && $0 != "\t" }.map(Character.init))
    }
}
