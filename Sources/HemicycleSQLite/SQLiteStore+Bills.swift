public import HemicycleCore
public import HemicycleStorage
import SQLiteNIO

extension SQLiteStore {
    public func createBill(_ bill: Bill, audit: AuditEntry?) async throws -> Bill {
        try await inWriteTransaction { db in
            let rows = try await db.query(
                "INSERT INTO bills (title, committee, settings) VALUES (?, ?, ?) RETURNING id",
                [.text(bill.title), .text(bill.committee), .text(BillRecordJSON.text(bill.settings))])
            guard let id = rows.first?.column("id")?.integer else { throw StoreError(.corrupt, "INSERT returned no id") }
            if var audit {
                audit.subject = "bill:\(id)"
                try await Self.insertAudit([audit], db)
            }
            return Bill(id: Bill.ID(Int64(id)), title: bill.title, committee: bill.committee, settings: bill.settings)
        }
    }

    public func bills() async throws -> [Bill] {
        try await reader.query("SELECT id, title, committee, settings FROM bills ORDER BY id").map(Self.bill(from:))
    }

    public func bill(_ id: Bill.ID) async throws -> Bill? {
        try await reader.query("SELECT id, title, committee, settings FROM bills WHERE id = ?", [.id(id)]).first.map(Self.bill(from:))
    }

    public func billState(_ id: Bill.ID) async throws -> BillState? {
        try await Self.loadBill(id, reader)
    }

    public func withBill<T: Sendable>(_ id: Bill.ID, _ body: @Sendable (inout BillState) throws -> T) async throws -> (T, BillState) {
        try await inWriteTransaction { db in
            guard var state = try await Self.loadBill(id, db) else { throw StoreError(.notFound, "No bill \(id).") }
            let before = state
            let value = try body(&state)
            try await Self.write(BillWrite(from: before, to: state), bill: id, db)
            // What was stored is `state`: the reports' ids are not in it (they are read with `frozenReports`).
            state.reset(nextCommentID: state.nextCommentID)
            return (value, state)
        }
    }

    public func billOfComment(_ id: BillComment.ID) async throws -> Bill.ID? {
        try await reader.query("SELECT bill_id FROM bill_comments WHERE id = ?", [.id(id)]).first?.column("bill_id")?.integer
            .map { Bill.ID(Int64($0)) }
    }

    public func billModerationLog(of bill: Bill.ID) async throws -> [BillModerationLogEntry] {
        try await reader.query(
            "SELECT comment_id, action, state, reason_code, merged_into, at FROM bill_moderation_log WHERE bill_id = ? ORDER BY id", [.id(bill)]
        ).map { row in
            BillModerationLogEntry(
                billID: bill, commentID: BillComment.ID(Int64(row.column("comment_id")?.integer ?? 0)), action: row.column("action")?.string ?? "",
                state: row.column("state")?.string ?? "", reasonCode: row.column("reason_code")?.string,
                mergedInto: row.column("merged_into")?.integer.map { BillComment.ID(Int64($0)) },
                at: Timestamp(millisecondsSince1970: Int64(row.column("at")?.integer ?? 0)))
        }
    }

    public func frozenReports(of bill: Bill.ID) async throws -> [FrozenBillReport] {
        try await reader.query(
            "SELECT id, version, frozen_at, json, sha256, frozen_by FROM bill_reports WHERE bill_id = ? ORDER BY id", [.id(bill)]
        ).map { row in
            FrozenBillReport(
                id: FrozenBillReport.ID(Int64(row.column("id")?.integer ?? 0)), billID: bill, version: row.column("version")?.integer ?? 0,
                frozenAt: Timestamp(millisecondsSince1970: Int64(row.column("frozen_at")?.integer ?? 0)), json: row.column("json")?.string ?? "",
                sha256: row.column("sha256")?.string ?? "", frozenBy: row.column("frozen_by")?.integer.map { StaffMember.ID(Int64($0)) })
        }
    }

    public func setStaffBills(of staff: StaffMember.ID, bills: Set<Bill.ID>, audit: AuditEntry?) async throws {
        try await inWriteTransaction { db in
            guard try await db.query("SELECT id FROM staff WHERE id = ?", [.id(staff)]).first != nil else {
                throw StoreError(.notFound, "No staff account \(staff).")
            }
            for bill in bills.sorted() where try await db.query("SELECT id FROM bills WHERE id = ?", [.id(bill)]).isEmpty {
                throw StoreError(.notFound, "No bill \(bill).")
            }
            _ = try await db.query("DELETE FROM bill_staff WHERE staff_id = ?", [.id(staff)])
            for bill in bills.sorted() {
                _ = try await db.query("INSERT INTO bill_staff (staff_id, bill_id) VALUES (?, ?)", [.id(staff), .id(bill)])
            }
            if let audit { try await Self.insertAudit([audit], db) }
        }
    }

    public func staffBills(of staff: StaffMember.ID) async throws -> Set<Bill.ID> {
        Set(try await reader.query("SELECT bill_id FROM bill_staff WHERE staff_id = ?", [.id(staff)]).compactMap {
            $0.column("bill_id")?.integer.map { Bill.ID(Int64($0)) }
        })
    }

    public func seedDemoBillIfEmpty(_ bill: Bill, version: BillVersion) async throws -> Bool {
        try await inWriteTransaction { db in
            guard try await db.query("SELECT id FROM bills LIMIT 1").isEmpty else { return false }
            _ = try await db.query(
                "INSERT INTO bills (id, title, committee, settings) VALUES (1, ?, ?, ?)",
                [.text(bill.title), .text(bill.committee), .text(BillRecordJSON.text(bill.settings))])
            try await Self.upsert(version, bill: Bill.ID(1), db)
            return true
        }
    }

    // MARK: - Reading and writing a bill's state

    static func bill(from row: SQLiteRow) throws -> Bill {
        guard let id = row.column("id")?.integer, let title = row.column("title")?.string, let committee = row.column("committee")?.string else {
            throw StoreError(.corrupt, "a bills row is incomplete")
        }
        return Bill(id: Bill.ID(Int64(id)), title: title, committee: committee, settings: BillRecordJSON.settings(row.column("settings")?.string))
    }

    /// The bill's whole state as `db` sees it.
    static func loadBill(_ id: Bill.ID, _ db: SQLiteConnection) async throws -> BillState? {
        guard let row = try await db.query("SELECT id, title, committee, settings FROM bills WHERE id = ?", [.id(id)]).first else { return nil }
        let bill = try bill(from: row)
        var versions: [BillVersion] = []
        for row in try await db.query(
            "SELECT number, state, opens_at, closes_at, published_at, document FROM bill_versions WHERE bill_id = ? ORDER BY number", [.id(id)])
        {
            guard let number = row.column("number")?.integer, let state = row.column("state")?.string.flatMap(BillVersionState.init(rawValue:)),
                let opens = row.column("opens_at")?.integer, let closes = row.column("closes_at")?.integer,
                let window = CommentWindow(opens: Timestamp(millisecondsSince1970: Int64(opens)), closes: Timestamp(millisecondsSince1970: Int64(closes)))
            else { throw StoreError(.corrupt, "a bill_versions row of bill \(id) is incomplete") }
            versions.append(BillVersion(
                billID: id, number: number, state: state, window: window, document: try BillRecordJSON.document(row.column("document")?.string),
                publishedAt: row.column("published_at")?.integer.map { Timestamp(millisecondsSince1970: Int64($0)) }))
        }
        var supporters: [Int: Set<String>] = [:], opposers: [Int: Set<String>] = [:]
        for row in try await db.query(
            "SELECT s.comment_id, s.participant, s.stance FROM bill_comment_stances s JOIN bill_comments c ON c.id = s.comment_id WHERE c.bill_id = ?",
            [.id(id)])
        {
            guard let comment = row.column("comment_id")?.integer, let participant = row.column("participant")?.string else { continue }
            if row.column("stance")?.string == "support" { supporters[comment, default: []].insert(participant) } else { opposers[comment, default: []].insert(participant) }
        }
        var board = BillCommentBoard(billID: id)
        for row in try await db.query("SELECT id, data FROM bill_comments WHERE bill_id = ? ORDER BY id", [.id(id)]) {
            guard let commentID = row.column("id")?.integer else { continue }
            board.restore(try BillRecordJSON.comment(
                row.column("data")?.string, id: BillComment.ID(Int64(commentID)), billID: id, supporters: supporters[commentID] ?? [],
                opposers: opposers[commentID] ?? []))
        }
        board.restore(marker: try BillRecordJSON.marker(
            try await db.query("SELECT marker FROM bill_markers WHERE bill_id = ?", [.id(id)]).first?.column("marker")?.string))
        let next = try await db.query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM bill_comments").first?.column("n")?.integer ?? 1
        return BillState(bill: bill, versions: versions, board: board, nextCommentID: BillComment.ID(Int64(next)))
    }

    static func upsert(_ version: BillVersion, bill: Bill.ID, _ db: SQLiteConnection) async throws {
        _ = try await db.query(
            """
            INSERT INTO bill_versions (bill_id, number, state, opens_at, closes_at, published_at, document) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (bill_id, number) DO UPDATE SET state = excluded.state, opens_at = excluded.opens_at, closes_at = excluded.closes_at,
                published_at = excluded.published_at, document = excluded.document
            """,
            [.id(bill), .integer(version.number), .text(version.state.rawValue), .ms(version.window.opens), .ms(version.window.closes),
             .ms(version.publishedAt), .text(BillRecordJSON.text(version.document))])
    }

    /// Stores `write` (the difference one `withBill` made) in the open transaction.
    static func write(_ write: BillWrite, bill id: Bill.ID, _ db: SQLiteConnection) async throws {
        if let bill = write.bill {
            _ = try await db.query(
                "UPDATE bills SET title = ?, committee = ?, settings = ? WHERE id = ?",
                [.text(bill.title), .text(bill.committee), .text(BillRecordJSON.text(bill.settings)), .id(id)])
        }
        for version in write.versions {
            guard version.billID == id else { throw StoreError(.corrupt, "A write of bill \(id) holds a version of bill \(version.billID).") }
            try await upsert(version, bill: id, db)
        }
        for comment in write.newComments {
            guard comment.billID == id else { throw StoreError(.corrupt, "A write of bill \(id) holds a comment of bill \(comment.billID).") }
            _ = try await db.query(
                "INSERT INTO bill_comments (id, bill_id, state, current_key, submitted_at, data) VALUES (?, ?, ?, ?, ?, ?)",
                [.id(comment.id), .id(id), .text(comment.state.label), comment.currentKey.map { .text($0.rawValue) } ?? .null,
                 .ms(comment.submittedAt), .text(BillRecordJSON.text(comment))])
        }
        for comment in write.changedComments {
            let rows = try await db.query(
                "UPDATE bill_comments SET state = ?, current_key = ?, data = ? WHERE id = ? AND bill_id = ? RETURNING id",
                [.text(comment.state.label), comment.currentKey.map { .text($0.rawValue) } ?? .null, .text(BillRecordJSON.text(comment)),
                 .id(comment.id), .id(id)])
            guard !rows.isEmpty else { throw StoreError(.notFound, "No comment \(comment.id) on bill \(id).") }
        }
        for stance in write.stances {
            _ = try await db.query(
                """
                INSERT INTO bill_comment_stances (comment_id, participant, stance) VALUES (?, ?, ?)
                ON CONFLICT (comment_id, participant) DO UPDATE SET stance = excluded.stance
                """,
                [.id(stance.comment), .text(stance.participant), .text(stance.stance.rawValue)])
        }
        for cleared in write.cleared {
            _ = try await db.query(
                "DELETE FROM bill_comment_stances WHERE comment_id = ? AND participant = ?", [.id(cleared.comment), .text(cleared.participant)])
        }
        if write.markerChanged {
            if let marker = write.marker {
                _ = try await db.query(
                    "INSERT INTO bill_markers (bill_id, marker) VALUES (?, ?) ON CONFLICT (bill_id) DO UPDATE SET marker = excluded.marker",
                    [.id(id), .text(BillRecordJSON.text(marker))])
            } else {
                _ = try await db.query("DELETE FROM bill_markers WHERE bill_id = ?", [.id(id)])
            }
        }
        for entry in write.log {
            _ = try await db.query(
                "INSERT INTO bill_moderation_log (bill_id, comment_id, action, state, reason_code, merged_into, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [.id(id), .id(entry.commentID), .text(entry.action), .text(entry.state), entry.reasonCode.map { .text($0) } ?? .null,
                 entry.mergedInto.map { .id($0) } ?? .null, .ms(entry.at)])
        }
        try await insertAudit(write.audit, db)
        for report in write.reports {
            _ = try await db.query(
                "INSERT INTO bill_reports (bill_id, version, frozen_at, json, sha256, frozen_by) VALUES (?, ?, ?, ?, ?, ?)",
                [.id(id), .integer(report.version), .ms(report.frozenAt), .text(report.json), .text(report.sha256),
                 report.frozenBy.map { .id($0) } ?? .null])
        }
    }
}

extension SQLiteData {
    static func id<Tag>(_ id: HemicycleCore.ID<Tag>) -> SQLiteData { .integer(Int(id.rawValue)) }
}
