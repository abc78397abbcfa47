public import HemicycleCore
public import HemicycleStorage
import HummingbirdBcrypt
import NIOPosix

/// Creating and changing staff accounts outside the web (the `hemicycle staff add` and `update` commands).
public enum StaffAccounts {
    /// Why an account was not created.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates an account after checking every input; throws `Refusal` with a message for people.
    public static func add(
        store: any HemicycleStore, email: String, name: String, role: String, sittings: [Int64], bills: [Int64] = [], password: String,
        bcryptCost: UInt8 = 12, clock: any WallClock = SystemClock()
    ) async throws -> StaffMember {
        guard let role = StaffRole(rawValue: role) else {
            throw Refusal(description: "Unknown role \(role); use one of \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        // The same grammar as every form and the API (EmailAddress); logging in stays lenient.
        let address: String
        switch EmailAddress.validate(email) {
        case .success(let valid): address = valid
        case .failure(let message): throw Refusal(description: "\(email.prefix(100)) is not an email address: \(message.text)")
        }
        guard case .success(let cleanName) = QuestionText.validate(name, maxLength: 100) else {
            throw Refusal(description: "Give a name of 1 to 100 characters, without < or >.")
        }
        guard password.count >= 12 else { throw Refusal(description: "The password must have at least 12 characters.") }
        var assigned = Set<Sitting.ID>()
        for raw in sittings {
            let id = Sitting.ID(raw)
            guard try await store.sitting(id) != nil else { throw Refusal(description: "There is no sitting \(raw).") }
            assigned.insert(id)
        }
        let billIDs = try await checkedBills(bills, store: store)
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: bcryptCost) }
        let member: StaffMember
        do {
            member = try await store.createStaff(
                StaffMember(id: StaffMember.ID(1), email: address, name: cleanName, role: role, sittings: assigned),
                passwordHash: hash, audit: AuditEntry(at: clock.now(), staffID: nil, action: "staff_added", subject: "staff", details: "{\"via\":\"command line\"}")
            )
        } catch let error as StoreError where error.code == .conflict {
            throw Refusal(description: error.message)
        }
        if !billIDs.isEmpty { try await assignBills(billIDs, to: member, store: store, clock: clock) }
        return member
    }

    /// The bills of `--bill`, each checked to exist.
    static func checkedBills(_ bills: [Int64], store: any HemicycleStore) async throws -> Set<Bill.ID> {
        var assigned = Set<Bill.ID>()
        for raw in bills {
            let id = Bill.ID(raw)
            guard try await store.bill(id) != nil else { throw Refusal(description: "There is no bill \(raw).") }
            assigned.insert(id)
        }
        return assigned
    }

    static func assignBills(_ bills: Set<Bill.ID>, to member: StaffMember, store: any HemicycleStore, clock: any WallClock) async throws {
        let details = JSONWriter.string(.object([("via", "command line"), ("bills", .array(bills.sorted().map { .int($0.rawValue) }))]))
        try await store.setStaffBills(
            of: member.id, bills: bills,
            audit: AuditEntry(at: clock.now(), staffID: nil, action: "staff_bills_changed", subject: "staff:\(member.id)", details: details))
    }

    /// Gives an account a new role and sitting assignments. A server running on the same database takes the staff
    /// topics the account loses away from its open `/live` connections at its next check (`--staff-recheck-s`).
    public static func update(
        store: any HemicycleStore, email: String, role: String, sittings: [Int64], bills: [Int64]? = nil, clock: any WallClock = SystemClock()
    ) async throws -> StaffMember {
        guard let role = StaffRole(rawValue: role) else {
            throw Refusal(description: "Unknown role \(role); use one of \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let account = try await store.staff(email: email.trimmingPrefix(" ").lowercased())?.member else {
            throw Refusal(description: "There is no staff account \(email).")
        }
        var assigned = Set<Sitting.ID>()
        for raw in sittings {
            let id = Sitting.ID(raw)
            guard try await store.sitting(id) != nil else { throw Refusal(description: "There is no sitting \(raw).") }
            assigned.insert(id)
        }
        var billIDs: Set<Bill.ID>?
        if let bills { billIDs = try await checkedBills(bills, store: store) }
        let details = JSONWriter.string(.object([
            ("via", "command line"), ("role", .string(role.rawValue)), ("sittings", .array(assigned.sorted().map { .int($0.rawValue) })),
        ]))
        try await store.updateStaffRole(
            of: account.id, role: role, sittings: assigned,
            audit: AuditEntry(at: clock.now(), staffID: nil, action: "staff_role_changed", subject: "staff:\(account.id)", details: details)
        )
        if let billIDs { try await assignBills(billIDs, to: account, store: store, clock: clock) }
        var updated = account
        updated.role = role
        updated.sittings = assigned
        return updated
    }
}
