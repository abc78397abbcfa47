/// A signature whose fields passed validation: trimmed, email lowercased, postcode and country upper-cased.
public struct ValidSignature: Sendable, Equatable {
    /// The longest name accepted.
    public static let maxNameLength = 100

    public let name: String
    public let email: String
    public let postcode: String?
    public let country: String?
}
