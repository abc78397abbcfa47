/// The government's response to a petition that crossed the response threshold.
public struct GovernmentResponse: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var respondedOn: String
    public var summary: String
    public var details: String
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(respondedOn: String, summary: String, details: String, createdAt: Timestamp, updatedAt: Timestamp) {
        self.respondedOn = respondedOn
        self.summary = summary
        self.details = details
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
