public import HemicycleCore

/// What `InMemoryStore` keeps of draft legislation (`InMemoryStore+Bills.swift`).
struct InMemoryBills: Sendable {
    var states: [Bill.ID: BillState] = [:]
    var billOfComment: [BillComment.ID: Bill.ID] = [:]
    var log: [Bill.ID: [BillModerationLogEntry]] = [:]
    var reports: [Bill.ID: [FrozenBillReport]] = [:]
    var staffBills: [StaffMember.ID: Set<Bill.ID>] = [:]
    var lastCommentID: Int64 = 0
    var lastReportID: Int64 = 0
}
