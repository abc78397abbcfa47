public import HemicycleCore

/// What draft legislation keeps (Protocol/LEGISLATION.md): bills, their versions with provisions, comments with their
/// anchors, states and stances, the public moderation log, the "now discussing" marker, frozen reports, and which
/// staff work on which bill.
///
/// Contracts:
/// - `createBill` assigns the id and ignores the one it is given.
/// - `withBill` is the one way to change a bill after it is created: it reads the bill's whole state inside one
///   write transaction (per bill: two `withBill` on one bill run one after the other, on every backend), lets `body`
///   change it through the pure core, and stores the difference (`BillWrite`) in that transaction. When `body`
///   throws, nothing is stored and the error is rethrown. It returns `body`'s result and the state as stored.
/// - Comment ids are unique across bills (`/api/v1/bill-comments/{id}`); `BillState.takeCommentID` gives them.
/// - A version once stored keeps its number; versions are never deleted; frozen reports and log entries are only
///   appended.
public protocol BillStore: Sendable {
    func createBill(_ bill: Bill, audit: AuditEntry?) async throws -> Bill
    /// Every bill, by id (clerks create a few a month).
    func bills() async throws -> [Bill]
    func bill(_ id: Bill.ID) async throws -> Bill?
    /// The committed state of a bill (what readers see), or nil for an unknown id.
    func billState(_ id: Bill.ID) async throws -> BillState?
    /// Runs `body` on the bill's state in one transaction and stores what it changed. Throws
    /// `StoreError(.notFound)` for an unknown bill.
    func withBill<T: Sendable>(_ id: Bill.ID, _ body: @Sendable (inout BillState) throws -> T) async throws -> (T, BillState)
    /// The bill a comment is on, or nil for an unknown comment.
    func billOfComment(_ id: BillComment.ID) async throws -> Bill.ID?
    /// The public moderation log of a bill, oldest first.
    func billModerationLog(of bill: Bill.ID) async throws -> [BillModerationLogEntry]
    /// The frozen reports of a bill, oldest first.
    func frozenReports(of bill: Bill.ID) async throws -> [FrozenBillReport]
    /// Replaces the bills a staff account works on (`hemicycle staff add … --bill ID`). Throws
    /// `StoreError(.notFound)` for an unknown account or bill.
    func setStaffBills(of staff: StaffMember.ID, bills: Set<Bill.ID>, audit: AuditEntry?) async throws
    /// The bills a staff account works on.
    func staffBills(of staff: StaffMember.ID) async throws -> Set<Bill.ID>
    /// Stores `bill` with id 1 and its `version` when there is no bill at all (the demo's sample bill).
    /// - Returns: whether it seeded.
    func seedDemoBillIfEmpty(_ bill: Bill, version: BillVersion) async throws -> Bool
}
