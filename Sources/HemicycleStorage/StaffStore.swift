public import HemicycleCore

/// What staff accounts need: accounts with password hashes, sessions, the audit log, and server secrets.
///
/// Contracts: each write is one durable transaction; emails are compared lowercased; `createStaff` throws
/// `StoreError(.conflict)` for an email already in use.
public protocol StaffStore: Sendable {
    func createStaff(_ member: StaffMember, passwordHash: String, audit: AuditEntry?) async throws -> StaffMember
    /// The account and its password hash.
    func staff(email: String) async throws -> StaffCredentials?
    func staff(id: StaffMember.ID) async throws -> StaffMember?
    func allStaff() async throws -> [StaffMember]
    func setPassword(of id: StaffMember.ID, hash: String, changeRequired: Bool, audit: AuditEntry?) async throws
    /// Stores a session under the hash of its token (the token itself is never stored).
    func createSession(tokenHash: String, staff: StaffMember.ID, expiresAt: Timestamp) async throws
    func session(tokenHash: String) async throws -> StaffSession?
    func deleteSession(tokenHash: String) async throws
    /// Ends every session of `staff` except the one stored under `keeping` (the session that changed the password);
    /// returns how many ended.
    func deleteSessions(of staff: StaffMember.ID, except keeping: String?) async throws -> Int
    /// Deletes the sessions that expired at or before `now`; returns how many.
    func deleteExpiredSessions(now: Timestamp) async throws -> Int
    func appendAudit(_ entries: [AuditEntry]) async throws
    /// The newest `limit` entries, newest first.
    func auditLog(limit: Int) async throws -> [AuditEntry]
    /// Replaces an account's role and sitting assignments (`hemicycle staff update`); its email, name, password and
    /// sessions stay. Throws `StoreError(.notFound)` for an unknown id.
    func updateStaffRole(of id: StaffMember.ID, role: StaffRole, sittings: Set<Sitting.ID>, audit: AuditEntry?) async throws
    /// Sets an account's status. `.removed` also erases its email (replaced by `removed-{id}`, which is no email, so
    /// no login finds it, and frees the address for a new account) and its password hash, and drops its sitting
    /// assignments; its id, name and audit entries stay. Sessions are ended by the caller (`deleteSessions`). Throws
    /// `StoreError(.notFound)` for an unknown id.
    func setStaffStatus(of id: StaffMember.ID, status: StaffStatus, audit: AuditEntry?) async throws
    /// A named server secret (the participant-token key), created with `create()` the first time it is asked for.
    func secret(named name: String, create: @Sendable () -> String) async throws -> String
}

/// A staff account with its password hash, as the login needs it.
public struct StaffCredentials: Sendable {
    public let member: StaffMember
    public let passwordHash: String
    public init(member: StaffMember, passwordHash: String) {
        self.member = member
        self.passwordHash = passwordHash
    }
}

/// A stored staff session.
public struct StaffSession: Sendable, Equatable {
    public let staffID: StaffMember.ID
    public let expiresAt: Timestamp
    public init(staffID: StaffMember.ID, expiresAt: Timestamp) {
        self.staffID = staffID
        self.expiresAt = expiresAt
    }
}
