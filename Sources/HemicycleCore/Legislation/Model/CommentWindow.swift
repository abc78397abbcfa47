/// When a version takes comments: from `opens` (included) to `closes` (excluded).
public struct CommentWindow: Sendable, Equatable {
    public var opens: Timestamp
    public var closes: Timestamp

    /// A window; nil unless `opens` comes before `closes`.
    public init?(opens: Timestamp, closes: Timestamp) {
        guard opens < closes else { return nil }
        self.opens = opens
        self.closes = closes
    }

    /// Whether `now` is inside the window.
    public func contains(_ now: Timestamp) -> Bool { opens <= now && now < closes }
}
