public import HemicycleCore
public import HemicycleStorage


extension PostgresStore {
    public func createStaff(_ member: StaffMember, passwordHash: String, audit: AuditEntry?) async throws -> StaffMember {
        let email = member.email.lowercased()
        return try await inTransaction { db in
            let taken = try await db.query("SELECT id FROM staff WHERE email = ?", [.text(email)])
            guard taken.isEmpty else { throw StoreError(.conflict, "A staff account with the email \(email) exists.") }
            let rows = try await db.query(
                "INSERT INTO staff (email, name, role, password_hash, password_change_required, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [.text(email), .text(member.name), .text(member.role.rawValue), .text(passwordHash),
                 .int(member.passwordChangeRequired ? 1 : 0), .ms(audit?.at ?? Timestamp(millisecondsSince1970: 0))]
            )
            guard let id = rows.first?.int("id") else { throw StoreError(.corrupt, "INSERT returned no id") }
            for sitting in member.sittings {
                _ = try await db.query("INSERT INTO staff_sittings (staff_id, sitting_id) VALUES (?, ?)", [.int(id), .id(sitting.rawValue)])
            }
            var stored = member
            stored.id = StaffMember.ID(Int64(id))
            stored.email = email
            if var audit {
                audit.subject = "staff:\(id)"
                try await Self.insertAudit([audit], db)
            }
            return stored
        }
    }

    private func member(from row: SQLRow) async throws -> StaffMember {
        guard let id = row.int("id"), let roleText = row.string("role"), let role = StaffRole(rawValue: roleText) else {
            throw StoreError(.corrupt, "a staff row is incomplete")
        }
        let sittings = try await read("SELECT sitting_id FROM staff_sittings WHERE staff_id = ?", [.int(id)])
            .compactMap { $0.int("sitting_id") }.map { Sitting.ID(Int64($0)) }
        return StaffMember(
            id: StaffMember.ID(Int64(id)), email: row.string("email") ?? "", name: row.string("name") ?? "", role: role,
            sittings: Set(sittings), passwordChangeRequired: (row.int("password_change_required") ?? 0) != 0,
            status: row.string("status").flatMap(StaffStatus.init(rawValue:)) ?? .active
        )
    }

    private static let staffColumns = "id, email, name, role, password_hash, password_change_required, status"

    public func staff(email: String) async throws -> StaffCredentials? {
        guard let row = try await read("SELECT \(Self.staffColumns) FROM staff WHERE email = ?", [.text(email.lowercased())]).first else {
            return nil
        }
        return StaffCredentials(member: try await member(from: row), passwordHash: row.string("password_hash") ?? "")
    }

    public func staff(id: StaffMember.ID) async throws -> StaffMember? {
        guard let row = try await read("SELECT \(Self.staffColumns) FROM staff WHERE id = ?", [.id(id.rawValue)]).first else {
            return nil
        }
        return try await member(from: row)
    }

    public func allStaff() async throws -> [StaffMember] {
        var members: [StaffMember] = []
        for row in try await read("SELECT \(Self.staffColumns) FROM staff ORDER BY id") { members.append(try await member(from: row)) }
        return members
    }

    public func updateStaffRole(of id: StaffMember.ID, role: StaffRole, sittings: Set<Sitting.ID>, audit: AuditEntry?) async throws {
        try await inTransaction { db in
            let rows = try await db.query("UPDATE staff SET role = ? WHERE id = ? RETURNING id", [.text(role.rawValue), .id(id.rawValue)])
            guard !rows.isEmpty else { throw StoreError(.notFound, "No staff account \(id).") }
            _ = try await db.query("DELETE FROM staff_sittings WHERE staff_id = ?", [.id(id.rawValue)])
            for sitting in sittings.sorted() {
                _ = try await db.query("INSERT INTO staff_sittings (staff_id, sitting_id) VALUES (?, ?)", [.id(id.rawValue), .id(sitting.rawValue)])
            }
            if let audit { try await Self.insertAudit([audit], db) }
        }
    }

    public func setStaffStatus(of id: StaffMember.ID, status: StaffStatus, audit: AuditEntry?) async throws {
        try await inTransaction { db in
            let rows: [SQLRow]
            if status == .removed {
                rows = try await db.query(
                    "UPDATE staff SET status = ?, email = ?, password_hash = '' WHERE id = ? RETURNING id", [.text(status.rawValue), .text("removed-\(id)"), .id(id.rawValue)])
                _ = try await db.query("DELETE FROM staff_sittings WHERE staff_id = ?", [.id(id.rawValue)])
            } else {
                rows = try await db.query("UPDATE staff SET status = ? WHERE id = ? RETURNING id", [.text(status.rawValue), .id(id.rawValue)])
            }
            guard !rows.isEmpty else { throw StoreError(.notFound, "No staff account \(id).") }
            if let audit { try await Self.insertAudit([audit], db) }
        }
    }

    public func setPassword(of id: StaffMember.ID, hash: String, changeRequired: Bool, audit: AuditEntry?) async throws {
        try await inTransaction { db in
            let rows = try await db.query(
                "UPDATE staff SET password_hash = ?, password_change_required = ? WHERE id = ? RETURNING id",
                [.text(hash), .int(changeRequired ? 1 : 0), .id(id.rawValue)]
            )
            guard !rows.isEmpty else { throw StoreError(.notFound, "No staff account \(id).") }
            if let audit { try await Self.insertAudit([audit], db) }
        }
    }

    public func createSession(tokenHash: String, staff: StaffMember.ID, expiresAt: Timestamp) async throws {
        try await inTransaction { db in
            _ = try await db.query(
                "INSERT INTO staff_sessions (token_hash, staff_id, expires_at) VALUES (?, ?, ?)",
                [.text(tokenHash), .id(staff.rawValue), .ms(expiresAt)]
            )
        }
    }

    public func session(tokenHash: String) async throws -> StaffSession? {
        guard let row = try await read("SELECT staff_id, expires_at FROM staff_sessions WHERE token_hash = ?", [.text(tokenHash)]).first,
            let staff = row.int("staff_id"), let expires = row.int("expires_at")
        else { return nil }
        return StaffSession(staffID: StaffMember.ID(Int64(staff)), expiresAt: Timestamp(millisecondsSince1970: Int64(expires)))
    }

    public func deleteSession(tokenHash: String) async throws {
        try await inTransaction { db in
            _ = try await db.query("DELETE FROM staff_sessions WHERE token_hash = ?", [.text(tokenHash)])
        }
    }

    public func deleteSessions(of staff: StaffMember.ID, except keeping: String?) async throws -> Int {
        try await inTransaction { db in
            try await db.query(
                "DELETE FROM staff_sessions WHERE staff_id = ? AND token_hash IS DISTINCT FROM ?::text RETURNING token_hash",
                [.id(staff.rawValue), keeping.map { .text($0) } ?? .null]
            ).count
        }
    }

    public func deleteExpiredSessions(now: Timestamp) async throws -> Int {
        try await inTransaction { db in
            try await db.query("DELETE FROM staff_sessions WHERE expires_at <= ? RETURNING token_hash", [.ms(now)]).count
        }
    }

    public func appendAudit(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await inTransaction { db in try await Self.insertAudit(entries, db) }
    }

    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        try await read("SELECT at, staff_id, action, subject, details FROM audit_log ORDER BY id DESC LIMIT ?", [.int(limit)]).map { row in
            AuditEntry(
                at: Timestamp(millisecondsSince1970: Int64(row.int("at") ?? 0)),
                staffID: row.int("staff_id").map { StaffMember.ID(Int64($0)) }, action: row.string("action") ?? "",
                subject: row.string("subject") ?? "", details: row.string("details") ?? "{}"
            )
        }
    }

    public func secret(named name: String, create: @Sendable () -> String) async throws -> String {
        try await inTransaction { db in
            // Two nodes starting together keep the first value stored.
            try await db.query("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", [.text(name), .text(create())])
            guard let value = try await db.query("SELECT value FROM secrets WHERE name = ?", [.text(name)]).first?.string("value") else {
                throw StoreError(.corrupt, "the secret \(name) was not stored")
            }
            return value
        }
    }
}
