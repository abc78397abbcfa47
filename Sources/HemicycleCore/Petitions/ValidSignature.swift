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
}
