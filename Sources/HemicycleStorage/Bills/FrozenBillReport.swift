public import HemicycleCore

/// A committee report as the clerk froze it: the exact bytes served ever after, with their SHA-256. Never changes.
public struct FrozenBillReport: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<FrozenBillReport>

    public var id: ID
    public var billID: Bill.ID
    /// The version the report is about.
    public var version: Int
    public var frozenAt: Timestamp
    /// The report's JSON, as served at `/bills/{id}/reports/{n}.json`.
    public var json: String
    /// Lower-case hex SHA-256 of `json`'s UTF-8 bytes.
    public var sha256: String
    public var frozenBy: StaffMember.ID?

    public init(id: ID, billID: Bill.ID, version: Int, frozenAt: Timestamp, json: String, sha256: String, frozenBy: StaffMember.ID?) {
        self.id = id
        self.billID = billID
        self.version = version
        self.frozenAt = frozenAt
        self.json = json
        self.sha256 = sha256
        self.frozenBy = frozenBy
    }
}
