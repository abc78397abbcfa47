public import HemicycleCore

/// One bill as a transaction of `BillStore.withBill` reads it: the bill, every version, the comment board (comments
/// with their stances, and the "now discussing" marker), and what the transaction adds to the append-only records
/// (moderation log, audit, frozen reports).
///
/// The service changes it only through the pure core (`BillVersion`, `BillCommentBoard`); the store then writes the
/// difference (`BillWrite`) in the same transaction.
public struct BillState: Sendable, Equatable {
    public var bill: Bill
    /// Every version, by number (1, 2, …).
    public var versions: [BillVersion]
    public var board: BillCommentBoard
    /// Moderation log entries to append.
    public var newLog: [BillModerationLogEntry] = []
    /// Audit entries to append.
    public var newAudit: [AuditEntry] = []
    /// Frozen reports to append (their ids are given by the store; the one given here is ignored).
    public var newReports: [FrozenBillReport] = []
    /// The id the next new comment takes (given by the store inside the transaction, so it is unique).
    public private(set) var nextCommentID: BillComment.ID

    public init(bill: Bill, versions: [BillVersion], board: BillCommentBoard, nextCommentID: BillComment.ID) {
        self.bill = bill
        self.versions = versions
        self.board = board
        self.nextCommentID = nextCommentID
    }

    /// Takes the id of a new comment.
    public mutating func takeCommentID() -> BillComment.ID {
        let id = nextCommentID
        nextCommentID = BillComment.ID(id.rawValue + 1)
        return id
    }

    /// The published version, if any.
    public var current: BillVersion? { versions.last { $0.state == .published } }

    /// The newest version (a draft, when one is being prepared).
    public var latest: BillVersion? { versions.last }

    /// The version numbered `number`.
    public func version(_ number: Int) -> BillVersion? { versions.first { $0.number == number } }

    /// Replaces the version with the same number, or appends it.
    public mutating func put(_ version: BillVersion) {
        if let index = versions.firstIndex(where: { $0.number == version.number }) {
            versions[index] = version
        } else {
            versions.append(version)
            versions.sort { $0.number < $1.number }
        }
    }
}

extension BillState {
    /// The state as stored after a transaction: nothing pending to append, the next comment id as the store gives it.
    public mutating func reset(nextCommentID: BillComment.ID) {
        newLog = []
        newAudit = []
        newReports = []
        self.nextCommentID = nextCommentID
    }
}
