public import HemicycleCore

/// A bulk invalidation as recorded: who, when, why, the condition, and what it changed.
public struct Invalidation: Sendable, Equatable {
    public var id: Int64
    public var at: Timestamp
    public var staffID: StaffMember.ID?
    public var reason: String
    /// The condition in words (`SignatureFilter` as the staff page shows it).
    public var condition: String
    public var changed: InvalidationPreview

    public init(id: Int64, at: Timestamp, staffID: StaffMember.ID?, reason: String, condition: String, changed: InvalidationPreview) {
        self.id = id
        self.at = at
        self.staffID = staffID
        self.reason = reason
        self.condition = condition
        self.changed = changed
    }
}
