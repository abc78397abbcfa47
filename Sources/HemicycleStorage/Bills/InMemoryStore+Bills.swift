public import HemicycleCore

extension InMemoryStore {
    public func createBill(_ bill: Bill, audit: AuditEntry?) async throws -> Bill {
        try checkWrite()
        let created = Bill(id: Bill.ID((billRecords.states.keys.map(\.rawValue).max() ?? 0) + 1), title: bill.title, committee: bill.committee, settings: bill.settings)
        billRecords.states[created.id] = BillState(bill: created, versions: [], board: BillCommentBoard(billID: created.id), nextCommentID: .init(0))
        if var audit {
            audit.subject = "bill:\(created.id)"
            auditEntries.append(audit)
        }
        return created
    }

    public func bills() async throws -> [Bill] {
        billRecords.states.values.map(\.bill).sorted { $0.id < $1.id }
    }

    public func bill(_ id: Bill.ID) async throws -> Bill? { billRecords.states[id]?.bill }

    public func billState(_ id: Bill.ID) async throws -> BillState? {
        guard var state = billRecords.states[id] else { return nil }
        state.reset(nextCommentID: BillComment.ID(billRecords.lastCommentID + 1))
        return state
    }

    public func withBill<T: Sendable>(_ id: Bill.ID, _ body: @Sendable (inout BillState) throws -> T) async throws -> (T, BillState) {
        guard var state = try await billState(id) else { throw StoreError(.notFound, "No bill \(id).") }
        let before = state
        let value = try body(&state)
        let write = BillWrite(from: before, to: state)
        try checkWrite()
        guard write.versions.allSatisfy({ $0.billID == id }), write.newComments.allSatisfy({ $0.billID == id }) else {
            throw StoreError(.corrupt, "A write of bill \(id) holds another bill's version or comment.")
        }
        for comment in write.newComments {
            guard billRecords.billOfComment[comment.id] == nil else { throw StoreError(.conflict, "Comment \(comment.id) exists.") }
        }
        for comment in write.newComments {
            billRecords.billOfComment[comment.id] = id
            billRecords.lastCommentID = max(billRecords.lastCommentID, comment.id.rawValue)
        }
        billRecords.log[id, default: []] += write.log
        auditEntries += write.audit
        for var report in write.reports {
            billRecords.lastReportID += 1
            report.id = FrozenBillReport.ID(billRecords.lastReportID)
            billRecords.reports[id, default: []].append(report)
        }
        state.reset(nextCommentID: BillComment.ID(billRecords.lastCommentID + 1))
        billRecords.states[id] = state
        return (value, state)
    }

    public func billOfComment(_ id: BillComment.ID) async throws -> Bill.ID? { billRecords.billOfComment[id] }

    public func billModerationLog(of bill: Bill.ID) async throws -> [BillModerationLogEntry] { billRecords.log[bill] ?? [] }

    public func frozenReports(of bill: Bill.ID) async throws -> [FrozenBillReport] { billRecords.reports[bill] ?? [] }

    public func setStaffBills(of staff: StaffMember.ID, bills: Set<Bill.ID>, audit: AuditEntry?) async throws {
        try checkWrite()
        guard staffByID[staff] != nil else { throw StoreError(.notFound, "No staff account \(staff).") }
        for bill in bills where billRecords.states[bill] == nil { throw StoreError(.notFound, "No bill \(bill).") }
        billRecords.staffBills[staff] = bills
        if let audit { auditEntries.append(audit) }
    }

    public func staffBills(of staff: StaffMember.ID) async throws -> Set<Bill.ID> { billRecords.staffBills[staff] ?? [] }

    public func seedDemoBillIfEmpty(_ bill: Bill, version: BillVersion) async throws -> Bool {
        guard billRecords.states.isEmpty else { return false }
        let seeded = Bill(id: Bill.ID(1), title: bill.title, committee: bill.committee, settings: bill.settings)
        billRecords.states[seeded.id] = BillState(
            bill: seeded, versions: [version], board: BillCommentBoard(billID: seeded.id), nextCommentID: .init(0))
        return true
    }
}
