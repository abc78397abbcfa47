/// One staff action, for the audit log: who did what to what, when.
public struct AuditEntry: Sendable, Equatable {
    public var at: Timestamp
    /// Nil for actions of the system or the command line.
    public var staffID: StaffMember.ID?
    public var action: String
    /// What it was done to, e.g. `question:12`, `sitting:3`, `staff:2`.
    public var subject: String
    /// A short JSON object with the details.
    public var details: String

    public init(at: Timestamp, staffID: StaffMember.ID?, action: String, subject: String, details: String = "{}") {
        self.at = at
        self.staffID = staffID
        self.action = action
        self.subject = subject
        self.details = details
    }
}
