/// Where a stored signature stands. Only `counted` signatures are in a petition's count.
public enum SignatureState: String, Sendable, CaseIterable, Codable {
    /// Waiting for its emailed link to be confirmed.
    case pending
    /// In the count.
    case counted
    /// Over a rate limit: kept for a moderator to release or invalidate; never counted meanwhile.
    case held
    /// Removed from the count by staff (bulk invalidation), with an audit record.
    case invalidated
}
