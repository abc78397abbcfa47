/// Whether a staff account may log in (Protocol/HEARINGS.md §1, "Staff accounts").
public enum StaffStatus: String, Sendable, CaseIterable {
    case active
    /// Logs in no more and its sessions are ended; an admin can make it active again.
    case disabled
    /// For good: its email and password are erased; its id and name stay so that the audit log still says who did what.
    case removed
}
