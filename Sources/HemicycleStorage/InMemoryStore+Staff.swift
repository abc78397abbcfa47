public import HemicycleCore

extension InMemoryStore {
    public func createStaff(_ member: StaffMember, passwordHash: String, audit: AuditEntry?) async throws -> StaffMember {
        try checkWrite()
        let email = member.email.lowercased()
        guard !staffByID.values.contains(where: { $0.member.email == email }) else {
            throw StoreError(.conflict, "A staff account with the email \(email) exists.")
        }
        var stored = member
        stored.id = StaffMember.ID(nextID())
        stored.email = email
        staffByID[stored.id] = StaffCredentials(member: stored, passwordHash: passwordHash)
        if let audit { auditEntries.append(audit) }
        return stored
    }

    public func staff(email: String) async throws -> StaffCredentials? {
        staffByID.values.first { $0.member.email == email.lowercased() }
    }

    public func staff(id: StaffMember.ID) async throws -> StaffMember? { staffByID[id]?.member }

    public func allStaff() async throws -> [StaffMember] {
        staffByID.values.map(\.member).sorted { $0.id < $1.id }
    }

    public func setPassword(of id: StaffMember.ID, hash: String, changeRequired: Bool, audit: AuditEntry?) async throws {
        try checkWrite()
        guard var member = staffByID[id]?.member else { throw StoreError(.notFound, "No staff account \(id).") }
        member.passwordChangeRequired = changeRequired
        staffByID[id] = StaffCredentials(member: member, passwordHash: hash)
        if let audit { auditEntries.append(audit) }
    }

    public func updateStaffRole(of id: StaffMember.ID, role: StaffRole, sittings: Set<Sitting.ID>, audit: AuditEntry?) async throws {
        try checkWrite()
        guard let credentials = staffByID[id] else { throw StoreError(.notFound, "No staff account \(id).") }
        var member = credentials.member
        member.role = role
        member.sittings = sittings
        staffByID[id] = StaffCredentials(member: member, passwordHash: credentials.passwordHash)
        if let audit { auditEntries.append(audit) }
    }

    public func setStaffStatus(of id: StaffMember.ID, status: StaffStatus, audit: AuditEntry?) async throws {
        try checkWrite()
        guard let credentials = staffByID[id] else { throw StoreError(.notFound, "No staff account \(id).") }
        var member = credentials.member
        member.status = status
        var hash = credentials.passwordHash
        if status == .removed {
            member.email = "removed-\(id)"
            member.sittings = []
            hash = ""
        }
        staffByID[id] = StaffCredentials(member: member, passwordHash: hash)
        if let audit { auditEntries.append(audit) }
    }

    public func createSession(tokenHash: String, staff: StaffMember.ID, expiresAt: Timestamp) async throws {
        try checkWrite()
        sessions[tokenHash] = StaffSession(staffID: staff, expiresAt: expiresAt)
    }

    public func session(tokenHash: String) async throws -> StaffSession? { sessions[tokenHash] }

    public func deleteSession(tokenHash: String) async throws {
        sessions[tokenHash] = nil
    }

    public func deleteSessions(of staff: StaffMember.ID, except keeping: String?) async throws -> Int {
        try checkWrite()
        let ending = sessions.filter { $0.value.staffID == staff && $0.key != keeping }.map(\.key)
        for hash in ending { sessions[hash] = nil }
        return ending.count
    }

    public func deleteExpiredSessions(now: Timestamp) async throws -> Int {
        try checkWrite()
        let expired = sessions.filter { $0.value.expiresAt <= now }.map(\.key)
        for hash in expired { sessions[hash] = nil }
        return expired.count
    }

    public func appendAudit(_ entries: [AuditEntry]) async throws {
        try checkWrite()
        auditEntries += entries
    }

    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        Array(auditEntries.suffix(limit).reversed())
    }

    public func secret(named name: String, create: @Sendable () -> String) async throws -> String {
        if let value = secrets[name] { return value }
        let value = create()
        secrets[name] = value
        return value
    }
}
