import HemicycleCore

/// What the upgrade decided for one `/live` connection: the topics it may read and, when a staff session opened
/// staff topics, which session (the SHA-256 of its token, as the store keeps it), so that a logout or a change of
/// role can take those topics away from the open socket (`LiveStaffSessions`).
struct LiveAccess: Sendable {
    var topics: TopicAccess
    var staffSession: String?

    static let `public` = LiveAccess(topics: .public, staffSession: nil)
}
