public import HemicycleCore
public import HemicycleStorage

extension PostgresStore {
    public func createBill(_ bill: Bill, audit: AuditEntry?) async throws -> Bill {
        try await inTransaction { db in
            let rows = try await db.query(
                "INSERT INTO bills (title, committee, settings) VALUES (?, ?, ?) RETURNING id",
                [.text(bill.title), .text(bill.committee), .text(BillRecordJSON.text(bill.settings))])
            guard let id = rows.first?.int64("id") else { throw StoreError(.corrupt, "INSERT returned no id") }
            if var audit {
                audit.subject = "bill:\(id)"
                try await Self.insertAudit([audit], db)
            }
            return Bill(id: Bill.ID(id), title: bill.title, committee: bill.committee, settings: bill.settings)
        }
    }

    public func bills() async throws -> [Bill] {
        try await read("SELECT id, title, committee, settings FROM bills ORDER BY id").map(Self.bill(from:))
    }

    public func bill(_ id: Bill.ID) async throws -> Bill? {
        try await read("SELECT id, title, committee, settings FROM bills WHERE id = ?", [.id(id.rawValue)]).first.map(Self.bill(from:))
    }

    public func billState(_ id: Bill.ID) async throws -> BillState? {
        try await inTransaction { db in try await Self.loadBill(id, lock: false, db) }
    }

    public func withBill<T: Sendable>(_ id: Bill.ID, _ body: @Sendable (inout BillState) throws -> T) async throws -> (T, BillState) {
        try await inTransaction { db in
            // The bill's row is locked for the transaction: actions on one bill, from any node, run one after the other.
            guard var state = try await Self.loadBill(id, lock: true, db) else { throw StoreError(.notFound, "No bill \(id).") }
            let before = state
            let value = try body(&state)
            try await Self.write(BillWrite(from: before, to: state), bill: id, db)
            state.reset(nextCommentID: state.nextCommentID)
            return (value, state)
        }
    }

    public func billOfComment(_ id: BillComment.ID) async throws -> Bill.ID? {
        try await read("SELECT bill_id FROM bill_comments WHERE id = ?", [.id(id.rawValue)]).first?.int64("bill_id").map(Bill.ID.init)
    }

    public func billModerationLog(of bill: Bill.ID) async throws -> [BillModerationLogEntry] {
        try await read(
            "SELECT comment_id, action, state, reason_code, merged_into, at FROM bill_moderation_log WHERE bill_id = ? ORDER BY id", [.id(bill.rawValue)]
        ).map { row in
            BillModerationLogEntry(
                billID: bill, commentID: BillComment.ID(row.int64("comment_id") ?? 0), action: row.string("action") ?? "",
                state: row.string("state") ?? "", reasonCode: row.string("reason_code"), mergedInto: row.int64("merged_into").map(BillComment.ID.init),
                at: row.time("at") ?? Timestamp(millisecondsSince1970: 0))
        }
    }

    public func frozenReports(of bill: Bill.ID) async throws -> [FrozenBillReport] {
        try await read(
            "SELECT id, version, frozen_at, json, sha256, frozen_by FROM bill_reports WHERE bill_id = ? ORDER BY id", [.id(bill.rawValue)]
        ).map { row in
            FrozenBillReport(
                id: FrozenBillReport.ID(row.int64("id") ?? 0), billID: bill, version: row.int("version") ?? 0,
                frozenAt: row.time("frozen_at") ?? Timestamp(millisecondsSince1970: 0), json: row.string("json") ?? "",
                sha256: row.string("sha256") ?? "", frozenBy: row.int64("frozen_by").map(StaffMember.ID.init))
        }
    }

    public func setStaffBills(of staff: StaffMember.ID, bills: Set<Bill.ID>, audit: AuditEntry?) async throws {
        try await inTransaction { db in
            guard try await db.query("SELECT id FROM staff WHERE id = ?", [.id(staff.rawValue)]).first != nil else {
                throw StoreError(.notFound, "No staff account \(staff).")
            }
            for bill in bills.sorted() where try await db.query("SELECT id FROM bills WHERE id = ?", [.id(bill.rawValue)]).isEmpty {
                throw StoreError(.notFound, "No bill \(bill).")
            }
            try await db.query("DELETE FROM bill_staff WHERE staff_id = ?", [.id(staff.rawValue)])
            for bill in bills.sorted() {
                try await db.query("INSERT INTO bill_staff (staff_id, bill_id) VALUES (?, ?)", [.id(staff.rawValue), .id(bill.rawValue)])
            }
            if let audit { try await Self.insertAudit([audit], db) }
        }
    }

    public func staffBills(of staff: StaffMember.ID) async throws -> Set<Bill.ID> {
        Set(try await read("SELECT bill_id FROM bill_staff WHERE staff_id = ?", [.id(staff.rawValue)]).compactMap { $0.int64("bill_id").map(Bill.ID.init) })
    }

    public func seedDemoBillIfEmpty(_ bill: Bill, version: BillVersion) async throws -> Bool {
        try await inTransaction { db in
            // Nodes starting together seed once: the table lock makes the second wait, then see the first's bill.
            try await db.query("LOCK TABLE bills IN SHARE ROW EXCLUSIVE MODE")
            guard try await db.query("SELECT id FROM bills LIMIT 1").isEmpty else { return false }
            try await db.query(
                "INSERT INTO bills (id, title, committee, settings) VALUES (1, ?, ?, ?)",
                [.text(bill.title), .text(bill.committee), .text(BillRecordJSON.text(bill.settings))])
            try await db.query("SELECT setval(pg_get_serial_sequence('bills', 'id'), 1)")
            try await Self.upsert(version, bill: Bill.ID(1), db)
            return true
        }
    }

    // MARK: - Reading and writing a bill's state

    static func bill(from row: SQLRow) throws -> Bill {
        guard let id = row.int64("id"), let title = row.string("title"), let committee = row.string("committee") else {
            throw StoreError(.corrupt, "a bills row is incomplete")
        }
        return Bill(id: Bill.ID(id), title: title, committee: committee, settings: BillRecordJSON.settings(row.string("settings")))
    }

    /// The bill's whole state in the open transaction; with `lock`, its row is locked until the transaction ends.
    static func loadBill(_ id: Bill.ID, lock: Bool, _ db: SQLConnection) async throws -> BillState? {
        guard let row = try await db.query(
            "SELECT id, title, committee, settings FROM bills WHERE id = ?\(lock ? " FOR UPDATE" : "")", [.id(id.rawValue)]).first
        else { return nil }
        let bill = try bill(from: row)
        var versions: [BillVersion] = []
        for row in try await db.query(
            "SELECT number, state, opens_at, closes_at, published_at, document FROM bill_versions WHERE bill_id = ? ORDER BY number",
            [.id(id.rawValue)])
        {
            guard let number = row.int("number"), let state = row.string("state").flatMap(BillVersionState.init(rawValue:)),
                let opens = row.time("opens_at"), let closes = row.time("closes_at"), let window = CommentWindow(opens: opens, closes: closes)
            else { throw StoreError(.corrupt, "a bill_versions row of bill \(id) is incomplete") }
            versions.append(BillVersion(
                billID: id, number: number, state: state, window: window, document: try BillRecordJSON.document(row.string("document")),
                publishedAt: row.time("published_at")))
        }
        var supporters: [Int64: Set<String>] = [:], opposers: [Int64: Set<String>] = [:]
        for row in try await db.query(
            "SELECT s.comment_id, s.participant, s.stance FROM bill_comment_stances s JOIN bill_comments c ON c.id = s.comment_id WHERE c.bill_id = ?",
            [.id(id.rawValue)])
        {
            guard let comment = row.int64("comment_id"), let participant = row.string("participant") else { continue }
            if row.string("stance") == "support" { supporters[comment, default: []].insert(participant) } else { opposers[comment, default: []].insert(participant) }
        }
        var board = BillCommentBoard(billID: id)
        for row in try await db.query("SELECT id, data FROM bill_comments WHERE bill_id = ? ORDER BY id", [.id(id.rawValue)]) {
            guard let commentID = row.int64("id") else { continue }
            board.restore(try BillRecordJSON.comment(
                row.string("data"), id: BillComment.ID(commentID), billID: id, supporters: supporters[commentID] ?? [],
                opposers: opposers[commentID] ?? []))
        }
        board.restore(marker: try BillRecordJSON.marker(
            try await db.query("SELECT marker FROM bill_markers WHERE bill_id = ?", [.id(id.rawValue)]).first?.string("marker")))
        // Only a locking transaction may add a comment; its id comes from the sequence, so two bills' transactions
        // never take the same one (an id taken and not used leaves a gap, which is harmless).
        let next: Int64
        if lock {
            next = try await db.query("SELECT nextval(pg_get_serial_sequence('bill_comments', 'id')) AS n").first?.int64("n") ?? 1
        } else {
            next = 0
        }
        return BillState(bill: bill, versions: versions, board: board, nextCommentID: BillComment.ID(next))
    }

    static func upsert(_ version: BillVersion, bill: Bill.ID, _ db: SQLConnection) async throws {
        try await db.query(
            """
            INSERT INTO bill_versions (bill_id, number, state, opens_at, closes_at, published_at, document) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (bill_id, number) DO UPDATE SET state = excluded.state, opens_at = excluded.opens_at, closes_at = excluded.closes_at,
                published_at = excluded.published_at, document = excluded.document
            """,
            [.id(bill.rawValue), .int(version.number), .text(version.state.rawValue), .ms(version.window.opens), .ms(version.window.closes),
             .ms(version.publishedAt), .text(BillRecordJSON.text(version.document))])
    }

    /// Stores `write` (the difference one `withBill` made) in the open transaction.
    static func write(_ write: BillWrite, bill id: Bill.ID, _ db: SQLConnection) async throws {
        if let bill = write.bill {
            try await db.query(
                "UPDATE bills SET title = ?, committee = ?, settings = ? WHERE id = ?",
                [.text(bill.title), .text(bill.committee), .text(BillRecordJSON.text(bill.settings)), .id(id.rawValue)])
        }
        for version in write.versions {
            guard version.billID == id else { throw StoreError(.corrupt, "A write of bill \(id) holds a version of bill \(version.billID).") }
            try await upsert(version, bill: id, db)
        }
        for comment in write.newComments {
            guard comment.billID == id else { throw StoreError(.corrupt, "A write of bill \(id) holds a comment of bill \(comment.billID).") }
            try await db.query(
                "INSERT INTO bill_comments (id, bill_id, state, current_key, submitted_at, data) VALUES (?, ?, ?, ?, ?, ?)",
                [.id(comment.id.rawValue), .id(id.rawValue), .text(comment.state.label), .text(comment.currentKey?.rawValue),
                 .ms(comment.submittedAt), .text(BillRecordJSON.text(comment))])
        }
        for comment in write.changedComments {
            let rows = try await db.query(
                "UPDATE bill_comments SET state = ?, current_key = ?, data = ? WHERE id = ? AND bill_id = ? RETURNING id",
                [.text(comment.state.label), .text(comment.currentKey?.rawValue), .text(BillRecordJSON.text(comment)),
                 .id(comment.id.rawValue), .id(id.rawValue)])
            guard !rows.isEmpty else { throw StoreError(.notFound, "No comment \(comment.id) on bill \(id).") }
        }
        for stance in write.stances {
            try await db.query(
                """
                INSERT INTO bill_comment_stances (comment_id, participant, stance) VALUES (?, ?, ?)
                ON CONFLICT (comment_id, participant) DO UPDATE SET stance = excluded.stance
                """,
                [.id(stance.comment.rawValue), .text(stance.participant), .text(stance.stance.rawValue)])
        }
        for cleared in write.cleared {
            try await db.query(
                "DELETE FROM bill_comment_stances WHERE comment_id = ? AND participant = ?", [.id(cleared.comment.rawValue), .text(cleared.participant)])
        }
        if write.markerChanged {
            if let marker = write.marker {
                try await db.query(
                    "INSERT INTO bill_markers (bill_id, marker) VALUES (?, ?) ON CONFLICT (bill_id) DO UPDATE SET marker = excluded.marker",
                    [.id(id.rawValue), .text(BillRecordJSON.text(marker))])
            } else {
                try await db.query("DELETE FROM bill_markers WHERE bill_id = ?", [.id(id.rawValue)])
            }
        }
        for entry in write.log {
            try await db.query(
                "INSERT INTO bill_moderation_log (bill_id, comment_id, action, state, reason_code, merged_into, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [.id(id.rawValue), .id(entry.commentID.rawValue), .text(entry.action), .text(entry.state), .text(entry.reasonCode),
                 entry.mergedInto.map { .id($0.rawValue) } ?? .null, .ms(entry.at)])
        }
        try await insertAudit(write.audit, db)
        for report in write.reports {
            try await db.query(
                "INSERT INTO bill_reports (bill_id, version, frozen_at, json, sha256, frozen_by) VALUES (?, ?, ?, ?, ?, ?)",
                [.id(id.rawValue), .int(report.version), .ms(report.frozenAt), .text(report.json), .text(report.sha256),
                 report.frozenBy.map { .id($0.rawValue) } ?? .null])
        }
    }
}
