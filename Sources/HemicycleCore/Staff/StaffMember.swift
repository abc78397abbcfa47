/// A staff account (without its password hash, which only the store and the login see).
public struct StaffMember: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<StaffMember>

    public var id: ID
    public var email: String
    public var name: String
    public var role: StaffRole
    /// Sittings the account is assigned to (admins and clerks act on all).
    public var sittings: Set<Sitting.ID>
    /// The account still has a one-time password and must change it before doing anything else.
    public var passwordChangeRequired: Bool
    /// Only an active account logs in and keeps its sessions.
    public var status: StaffStatus

    public init(
        id: ID, email: String, name: String, role: StaffRole, sittings: Set<Sitting.ID> = [], passwordChangeRequired: Bool = false,
        status: StaffStatus = .active
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.sittings = sittings
        self.passwordChangeRequired = passwordChangeRequired
        self.status = status
    }

    public var isActive: Bool { status == .active }

    /// May create and edit sittings.
    public var canSetUpSittings: Bool { role == .admin || role == .clerk }

    /// May moderate the questions of `sitting`.
    public func canModerate(_ sitting: Sitting.ID) -> Bool {
        role == .admin || (role == .moderator && sittings.contains(sitting))
    }

    /// May chair `sitting`: start and end it, put questions on screen, mark them answered.
    public func canChair(_ sitting: Sitting.ID) -> Bool {
        role == .admin || (role == .chair && sittings.contains(sitting))
    }

    /// May read the staff topic and the notes of `sitting`.
    public func canReadModeration(of sitting: Sitting.ID) -> Bool { canModerate(sitting) || canChair(sitting) }
}
