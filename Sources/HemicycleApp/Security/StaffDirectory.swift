import HTTPTypes
import HemicycleCore
import HemicycleStorage

/// Staff accounts as admins manage them in the pages (`/staff/accounts`) and the API (`/api/v1/staff`,
/// Protocol/HEARINGS.md §1): create with a one-time password (shown once, changed at first login), change the role
/// and the sittings, reset the password, disable, enable, remove. Every change is one store write with its audit
/// entry.
///
/// What an account loses takes effect at once: a disabled or removed account's sessions end, a reset password ends
/// them too, and after any change the staff topics that open `/live` connections may no longer read are taken back
/// (`StaffAuth.accessChanged`, which rechecks `LiveStaffSessions` now; `hemicycle staff update` from another process
/// waits for the periodic check).
///
/// An admin cannot change their own role or status (nor reset their own password here: `/staff/password` asks for the
/// current one), so there is always an active admin: the one acting.
struct StaffDirectory: Sendable {
    let auth: StaffAuth
    /// Where the sittings an account is assigned to are checked to exist.
    let sittings: any HemicycleStore
    let clock: @Sendable () -> Timestamp
    private var store: any StaffStore { auth.store }

    /// The admin of a request; 403 `forbidden` for anyone else.
    static func requireAdmin(_ member: StaffMember) throws {
        guard member.role == .admin else { throw APIError.forbidden("Only admins manage staff accounts.") }
    }

    /// Every account, removed ones last.
    func all(by admin: StaffMember) async throws -> [StaffMember] {
        try Self.requireAdmin(admin)
        let all = try await store.allStaff()
        return all.filter { $0.status != .removed } + all.filter { $0.status == .removed }
    }

    func account(_ id: StaffMember.ID, by admin: StaffMember) async throws -> StaffMember {
        try Self.requireAdmin(admin)
        guard let member = try await store.staff(id: id) else { throw APIError.notFound("This staff account") }
        return member
    }

    /// Creates an account with a one-time password, returned once (never stored, never logged).
    /// Throws `invalid_input` (422, with fields), `email_taken` (409).
    func create(email: String, name: String, role: String, sittings: [Int64], by admin: StaffMember) async throws -> (StaffMember, password: String) {
        try Self.requireAdmin(admin)
        var errors = FieldErrors()
        var address = ""
        switch EmailAddress.validate(email) {
        case .success(let valid): address = valid
        case .failure(let message): errors["email"] = message.text
        }
        var cleanName = ""
        // A staff name reaches the audit log, the staff bar and the moderation log's CSV: one line only.
        if !SingleLineText.isSingleLine(name) { errors["name"] = SingleLineText.message } else {
        switch QuestionText.validate(name, maxLength: 100) {
        case .success(let valid) where !valid.isEmpty: cleanName = valid
        case .success: errors["name"] = "Give a name."
        case .failure(let message): errors["name"] = message.text
        }
        }
        let parsedRole = StaffRole(rawValue: role)
        if parsedRole == nil { errors["role"] = Self.roleMessage }
        let assigned = try await existingSittings(sittings, errors: &errors)
        guard errors.isEmpty, let parsedRole else { throw APIError(.unprocessableContent, "invalid_input", "Some fields are not valid.", fields: errors) }
        let password = SecureToken.random(bytes: 12)
        let now = clock()
        do {
            let member = try await store.createStaff(
                StaffMember(id: StaffMember.ID(1), email: address, name: cleanName, role: parsedRole, sittings: assigned, passwordChangeRequired: true),
                passwordHash: try await auth.hash(password),
                audit: AuditEntry(at: now, staffID: admin.id, action: "staff_added", subject: "staff", details: Self.details(role: parsedRole, sittings: assigned))
            )
            return (member, password)
        } catch let error as StoreError where error.code == .conflict {
            var fields = FieldErrors()
            fields["email"] = "There is already a staff account with this email address."
            throw APIError(.conflict, "email_taken", "There is already a staff account with this email address.", fields: fields)
        }
    }

    /// A new role and sittings (the sittings given replace the others). Throws `invalid_input`, `own_account` (409),
    /// `account_removed` (409), `not_found`.
    func update(_ id: StaffMember.ID, role: String, sittings: [Int64], by admin: StaffMember) async throws -> StaffMember {
        var member = try await changeable(id, by: admin)
        var errors = FieldErrors()
        let parsedRole = StaffRole(rawValue: role)
        if parsedRole == nil { errors["role"] = Self.roleMessage }
        let assigned = try await existingSittings(sittings, errors: &errors)
        guard errors.isEmpty, let parsedRole else { throw APIError(.unprocessableContent, "invalid_input", "Some fields are not valid.", fields: errors) }
        try await store.updateStaffRole(
            of: id, role: parsedRole, sittings: assigned,
            audit: AuditEntry(at: clock(), staffID: admin.id, action: "staff_role_changed", subject: "staff:\(id)", details: Self.details(role: parsedRole, sittings: assigned))
        )
        member.role = parsedRole
        member.sittings = assigned
        await auth.accessChanged()
        return member
    }

    /// Disables (`.disabled`), enables (`.active`) or removes (`.removed`, for good) an account; the first and last
    /// end its sessions.
    func setStatus(_ id: StaffMember.ID, to status: StaffStatus, by admin: StaffMember) async throws -> StaffMember {
        var member = try await changeable(id, by: admin)
        let action = switch status {
        case .active: "staff_enabled"
        case .disabled: "staff_disabled"
        case .removed: "staff_removed"
        }
        try await store.setStaffStatus(of: id, status: status, audit: AuditEntry(at: clock(), staffID: admin.id, action: action, subject: "staff:\(id)"))
        if status != .active { _ = try await store.deleteSessions(of: id, except: nil) }
        await auth.accessChanged()
        member.status = status
        if status == .removed, let stored = try await store.staff(id: id) { member = stored }
        return member
    }

    /// A new one-time password (returned once), to be changed at the next login; ends the account's sessions.
    func resetPassword(_ id: StaffMember.ID, by admin: StaffMember) async throws -> (StaffMember, password: String) {
        var member = try await changeable(id, by: admin)
        let password = SecureToken.random(bytes: 12)
        try await store.setPassword(
            of: id, hash: try await auth.hash(password), changeRequired: true,
            audit: AuditEntry(at: clock(), staffID: admin.id, action: "staff_password_reset", subject: "staff:\(id)")
        )
        _ = try await store.deleteSessions(of: id, except: nil)
        await auth.accessChanged()
        member.passwordChangeRequired = true
        return (member, password)
    }

    /// Another admin's account that exists and was not removed.
    private func changeable(_ id: StaffMember.ID, by admin: StaffMember) async throws -> StaffMember {
        let member = try await account(id, by: admin)
        guard member.id != admin.id else {
            throw APIError(.conflict, "own_account", "You cannot change your own account here: ask another admin (your password: /staff/password).")
        }
        guard member.status != .removed else { throw APIError(.conflict, "account_removed", "This account was removed; create a new one.") }
        return member
    }

    private func existingSittings(_ ids: [Int64], errors: inout FieldErrors) async throws -> Set<Sitting.ID> {
        var assigned = Set<Sitting.ID>()
        for raw in ids.prefix(1000) {
            guard raw > 0, try await sittings.sitting(Sitting.ID(raw)) != nil else {
                errors["sittings"] = "There is no sitting \(raw)."
                continue
            }
            assigned.insert(Sitting.ID(raw))
        }
        if ids.count > 1000 { errors["sittings"] = "At most 1000 sittings." }
        return assigned
    }

    static var roleMessage: String { "Choose one of \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))." }

    private static func details(role: StaffRole, sittings: Set<Sitting.ID>) -> String {
        JSONWriter.string(.object([("via", "admin"), ("role", .string(role.rawValue)), ("sittings", .array(sittings.sorted().map { .int($0.rawValue) }))]))
    }
}
