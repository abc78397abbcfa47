public import HemicycleCore

/// Counted signatures of a petition per country and constituency (the source of `signatures_by_*`).
public struct SignatureTally: Sendable, Equatable {
    /// Two-letter code, or "" when the signer gave none and no default applies.
    public var country: String
    /// Constituency code, or "" when the postcode maps to none.
    public var constituency: String
    public var count: Int

    public init(country: String, constituency: String, count: Int) {
        self.country = country
        self.constituency = constituency
        self.count = count
    }
}
