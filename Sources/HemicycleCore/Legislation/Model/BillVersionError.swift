/// Why a change to a version, or a comment on it, was refused. Nothing changes when one is thrown.
public enum BillVersionError: Error, Sendable, Equatable {
    /// Only a draft can be replaced or published.
    case notDraft(state: BillVersionState)
    /// Only the published version takes comments, a marker or a new window.
    case notPublished(state: BillVersionState)
    /// The comment window has not opened yet.
    case windowNotOpen(opens: Timestamp)
    /// The comment window has closed.
    case windowClosed(closes: Timestamp)
    /// A version with no provisions cannot be published.
    case empty

    /// The stable error code (`{"error":{"code"}}` at the HTTP edge).
    public var code: String {
        switch self {
        case .notDraft: "version_not_draft"
        case .notPublished: "version_not_published"
        case .windowNotOpen: "window_not_open"
        case .windowClosed: "window_closed"
        case .empty: "version_empty"
        }
    }

    /// A sentence for people.
    public var message: String {
        switch self {
        case .notDraft(let state): "This version is \(state.label); only a draft can change."
        case .notPublished(let state): "This version is \(state.label), not published."
        case .windowNotOpen(let opens): "Comments open at \(opens.iso8601)."
        case .windowClosed(let closes): "Comments closed at \(closes.iso8601)."
        case .empty: "This version has no provisions."
        }
    }
}
