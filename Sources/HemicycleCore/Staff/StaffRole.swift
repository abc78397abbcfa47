/// What a staff account may do (Protocol/HEARINGS.md §1).
public enum StaffRole: String, Sendable, CaseIterable {
    case admin
    /// Sets up sittings.
    case clerk
    case moderator
    case chair
    /// Moderates petitions (the e-petitions issue).
    case petitionsModerator = "petitions-moderator"
}
