import HemicycleCore

/// A signature as `InMemoryStore` keeps it: the record staff see plus what the integrity figures need.
struct SignatureRow: Sendable {
    var record: SignatureRecord
    var nameKey: String
    /// When it started to count (nil while pending or held, or if it never counted).
    var confirmedAt: Timestamp?
    var heldAtCreation: Bool
    var invalidatedAt: Timestamp?
}
