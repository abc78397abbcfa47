public import HemicycleCore
public import HemicycleStorage
import SQLiteNIO

extension SQLiteStore {
    static let sittingWriteColumns =
        "title, committee, state, scheduled_start, stream_url, stream_started_at, ended_at, agenda, witnesses, settings"
    static let sittingWritePlaceholders = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?"

    static func sittingBinds(_ s: Sitting) -> [SQLiteData] {
        [.text(s.title), .text(s.committee), .text(s.state.rawValue), .ms(s.scheduledStart), s.streamURL.map { .text($0) } ?? .null,
         .ms(s.streamStartedAt), .ms(s.endedAt), .text(StoredJSON.text(s.agenda)), .text(StoredJSON.text(s.witnesses)),
         .text(StoredJSON.text(s.settings))]
    }

    public func createSitting(_ sitting: Sitting, audit: AuditEntry?) async throws -> Sitting {
        try await inWriteTransaction { db in
            let rows = try await db.query(
                "INSERT INTO sittings (\(Self.sittingWriteColumns)) VALUES (\(Self.sittingWritePlaceholders)) RETURNING id",
                Self.sittingBinds(sitting)
            )
            guard let id = rows.first?.column("id")?.integer else { throw StoreError(.corrupt, "INSERT returned no id") }
            var created = sitting
            created.id = Sitting.ID(Int64(id))
            if var audit {
                audit.subject = "sitting:\(id)"
                try await Self.insertAudit([audit], db)
            }
            return created
        }
    }

    public func updateSitting(_ sitting: Sitting, audit: AuditEntry?) async throws {
        try await inWriteTransaction { db in
            try await Self.update(sitting, db)
            if let audit { try await Self.insertAudit([audit], db) }
        }
    }

    static func update(_ sitting: Sitting, _ db: SQLiteConnection) async throws {
        let assignments = sittingWriteColumns.split(separator: ",").map { "\($0.trimmingPrefix(" ")) = ?" }.joined(separator: ", ")
        let rows = try await db.query(
            "UPDATE sittings SET \(assignments) WHERE id = ? RETURNING id", sittingBinds(sitting) + [.integer(Int(sitting.id.rawValue))]
        )
        guard !rows.isEmpty else { throw StoreError(.notFound, "No sitting \(sitting.id).") }
    }

    // MARK: - Questions

    static let questionColumns = """
        id, sitting_id, participant, text, original_text, name, region, state, reason_code, merged_into, merged_from, tag,
        priority, submitted_at, answered_at, answered_offset
        """

    private static let questionColumnsQualified = questionColumns.split(separator: ",").map { "q." + $0.filter { !$0.isWhitespace } }
        .joined(separator: ", ")

    public func questions(in sitting: Sitting.ID) async throws -> [Question] {
        try await Self.questions(where: "q.sitting_id = ?", [.integer(Int(sitting.rawValue))], reader)
    }

    /// The questions `condition` (on `questions q`) selects, by id, with their voters.
    static func questions(where condition: String, _ binds: [SQLiteData], _ db: SQLiteConnection) async throws -> [Question] {
        let rows = try await db.query("SELECT \(questionColumnsQualified) FROM questions q WHERE \(condition) ORDER BY q.id", binds)
        var questions = try rows.map(Self.question(from:))
        guard !questions.isEmpty else { return [] }
        let votes = try await db.query(
            "SELECT v.question_id, v.participant, v.held, v.address FROM question_votes v JOIN questions q ON q.id = v.question_id WHERE \(condition)",
            binds
        )
        var voters: [Int: Set<String>] = [:], held: [Int: Set<String>] = [:], addresses: [Int: [String: String]] = [:]
        for row in votes {
            guard let id = row.column("question_id")?.integer, let participant = row.column("participant")?.string else { continue }
            if row.column("held")?.integer == 1 { held[id, default: []].insert(participant) } else { voters[id, default: []].insert(participant) }
            if let address = row.column("address")?.string { addresses[id, default: [:]][participant] = address }
        }
        for index in questions.indices {
            let id = Int(questions[index].id.rawValue)
            questions[index].voters = voters[id] ?? []
            questions[index].heldVoters = held[id] ?? []
            questions[index].voterAddresses = addresses[id] ?? [:]
        }
        return questions
    }

    static func question(from row: SQLiteRow) throws -> Question {
        guard let id = row.column("id")?.integer, let sittingID = row.column("sitting_id")?.integer,
            let stateLabel = row.column("state")?.string, let submitted = row.column("submitted_at")?.integer
        else { throw StoreError(.corrupt, "a questions row is incomplete") }
        let state: QuestionState
        switch stateLabel {
        case "submitted": state = .submitted
        case "approved": state = .approved
        case "rejected": state = .rejected(reasonCode: row.column("reason_code")?.string ?? "")
        case "on_screen": state = .onScreen
        case "answered": state = .answered(streamOffsetSeconds: row.column("answered_offset")?.integer)
        case "merged":
            guard let into = row.column("merged_into")?.integer else { throw StoreError(.corrupt, "merged question \(id) has no target") }
            state = .merged(into: Question.ID(Int64(into)))
        case "withdrawn": state = .withdrawn
        default: throw StoreError(.corrupt, "question \(id) has the unknown state \(stateLabel)")
        }
        var question = Question(
            id: Question.ID(Int64(id)), sittingID: Sitting.ID(Int64(sittingID)), participant: row.column("participant")?.string ?? "",
            text: row.column("text")?.string ?? "", name: row.column("name")?.string, region: row.column("region")?.string,
            state: state, submittedAt: Timestamp(millisecondsSince1970: Int64(submitted))
        )
        question.originalText = row.column("original_text")?.string
        question.mergedFrom = StoredJSON.ids(row.column("merged_from")?.string)
        question.tag = row.column("tag")?.string
        question.priority = row.column("priority")?.integer ?? 0
        question.answeredAt = row.column("answered_at")?.integer.map { Timestamp(millisecondsSince1970: Int64($0)) }
        return question
    }

    private static func stateBinds(_ q: Question) -> [SQLiteData] {
        var reason: SQLiteData = .null, mergedInto: SQLiteData = .null, offset: SQLiteData = .null
        switch q.state {
        case .rejected(let code): reason = .text(code)
        case .merged(let into): mergedInto = .integer(Int(into.rawValue))
        case .answered(let seconds): offset = seconds.map { .integer($0) } ?? .null
        default: break
        }
        return [.text(q.text), q.originalText.map { .text($0) } ?? .null, .text(q.state.label), reason, mergedInto,
                .text(StoredJSON.text(q.mergedFrom)), q.tag.map { .text($0) } ?? .null, .integer(q.priority), .ms(q.answeredAt), offset]
    }

    public func insertQuestion(_ question: Question, log: [ModerationLogEntry]) async throws -> Question {
        try await inWriteTransaction { db in
            let rows = try await db.query(
                """
                INSERT INTO questions (sitting_id, participant, name, region, submitted_at, text, original_text, state, reason_code,
                    merged_into, merged_from, tag, priority, answered_at, answered_offset)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """,
                [.integer(Int(question.sittingID.rawValue)), .text(question.participant), question.name.map { .text($0) } ?? .null,
                 question.region.map { .text($0) } ?? .null, .ms(question.submittedAt)] + Self.stateBinds(question)
            )
            guard let id = rows.first?.column("id")?.integer else { throw StoreError(.corrupt, "INSERT returned no id") }
            let stored = Question(
                id: Question.ID(Int64(id)), sittingID: question.sittingID, participant: question.participant, text: question.text,
                name: question.name, region: question.region, state: question.state, voters: [], submittedAt: question.submittedAt
            )
            try await Self.insertLog(log.map { var entry = $0; entry.questionID = stored.id; return entry }, db)
            return stored
        }
    }

    public func commitHearing(_ write: HearingWrite) async throws {
        guard !write.isEmpty else { return }
        try await inWriteTransaction { db in try await Self.apply(write, db) }
    }

    public func withSitting<T: Sendable>(
        _ id: Sitting.ID, _ body: @Sendable (any SittingReads) async throws -> (value: T, write: HearingWrite)
    ) async throws -> T {
        // The single writer is the per-sitting lock (and every other's): BEGIN IMMEDIATE takes the database's write
        // lock before the reads, so nothing changes between what the action read and what it writes.
        try await inWriteTransaction { db in
            let (value, write) = try await body(SQLiteSittingReads(db: db, sittingID: id))
            try await Self.apply(write, db)
            return value
        }
    }

    public func claims(in sitting: Sitting.ID, now: Timestamp) async throws -> [QuestionClaim] {
        try await reader.query(
            "SELECT question_id, staff_id, staff_name, until FROM question_claims WHERE sitting_id = ? AND until > ? ORDER BY question_id",
            [.integer(Int(sitting.rawValue)), .ms(now)]
        ).map(Self.claim(from:))
    }

    static func claim(from row: SQLiteRow) throws -> QuestionClaim {
        guard let question = row.column("question_id")?.integer, let staff = row.column("staff_id")?.integer,
            let until = row.column("until")?.integer
        else { throw StoreError(.corrupt, "a question_claims row is incomplete") }
        return QuestionClaim(
            question: Question.ID(Int64(question)),
            claim: ModerationClaims.Claim(
                staffID: StaffMember.ID(Int64(staff)), staffName: row.column("staff_name")?.string ?? "",
                until: Timestamp(millisecondsSince1970: Int64(until))
            )
        )
    }

    /// Stores `write` on `db`, inside the caller's transaction.
    static func apply(_ write: HearingWrite, _ db: SQLiteConnection) async throws {
        for question in write.questions {
            let rows = try await db.query(
                """
                UPDATE questions SET text = ?, original_text = ?, state = ?, reason_code = ?, merged_into = ?, merged_from = ?,
                    tag = ?, priority = ?, answered_at = ?, answered_offset = ? WHERE id = ? RETURNING id
                """,
                Self.stateBinds(question) + [.integer(Int(question.id.rawValue))]
            )
            guard !rows.isEmpty else { throw StoreError(.notFound, "No question \(question.id).") }
        }
        for vote in write.votesRemoved {
            _ = try await db.query(
                "DELETE FROM question_votes WHERE question_id = ? AND participant = ?", [.integer(Int(vote.question.rawValue)), .text(vote.participant)]
            )
        }
        for vote in write.votesAdded {
            _ = try await db.query(
                """
                INSERT INTO question_votes (question_id, participant, held, address) VALUES (?, ?, ?, ?)
                ON CONFLICT (question_id, participant) DO UPDATE SET held = excluded.held, address = excluded.address
                """,
                [.integer(Int(vote.question.rawValue)), .text(vote.participant), .integer(vote.held ? 1 : 0), vote.address.map { .text($0) } ?? .null]
            )
        }
        try await Self.insertLog(write.moderation, db)
        try await Self.insertAudit(write.audit, db)
        if let sitting = write.sitting { try await Self.update(sitting, db) }
        for question in write.claimsEnded {
            _ = try await db.query("DELETE FROM question_claims WHERE question_id = ?", [.integer(Int(question.rawValue))])
        }
        for claim in write.claims {
            let rows = try await db.query(
                """
                INSERT INTO question_claims (question_id, sitting_id, staff_id, staff_name, until)
                SELECT id, sitting_id, ?, ?, ? FROM questions WHERE id = ?
                ON CONFLICT (question_id) DO UPDATE SET staff_id = excluded.staff_id, staff_name = excluded.staff_name, until = excluded.until
                RETURNING question_id
                """,
                [.integer(Int(claim.claim.staffID.rawValue)), .text(claim.claim.staffName), .ms(claim.claim.until), .integer(Int(claim.question.rawValue))]
            )
            guard !rows.isEmpty else { throw StoreError(.notFound, "No question \(claim.question).") }
        }
    }

    private static func insertLog(_ entries: [ModerationLogEntry], _ db: SQLiteConnection) async throws {
        for e in entries {
            _ = try await db.query(
                "INSERT INTO moderation_log (sitting_id, question_id, action, state, reason_code, merged_into, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [.integer(Int(e.sittingID.rawValue)), .integer(Int(e.questionID.rawValue)), .text(e.action), .text(e.state),
                 e.reasonCode.map { .text($0) } ?? .null, e.mergedInto.map { .integer(Int($0.rawValue)) } ?? .null, .ms(e.at)]
            )
        }
    }

    static func insertAudit(_ entries: [AuditEntry], _ db: SQLiteConnection) async throws {
        for e in entries {
            _ = try await db.query(
                "INSERT INTO audit_log (at, staff_id, action, subject, details) VALUES (?, ?, ?, ?, ?)",
                [.ms(e.at), e.staffID.map { .integer(Int($0.rawValue)) } ?? .null, .text(e.action), .text(e.subject), .text(e.details)]
            )
        }
    }

    public func moderationLog(of sitting: Sitting.ID) async throws -> [ModerationLogEntry] {
        try await reader.query(
            "SELECT question_id, action, state, reason_code, merged_into, at FROM moderation_log WHERE sitting_id = ? ORDER BY id",
            [.integer(Int(sitting.rawValue))]
        ).map { row in
            ModerationLogEntry(
                sittingID: sitting, questionID: Question.ID(Int64(row.column("question_id")?.integer ?? 0)),
                action: row.column("action")?.string ?? "", state: row.column("state")?.string ?? "",
                reasonCode: row.column("reason_code")?.string, mergedInto: row.column("merged_into")?.integer.map { Question.ID(Int64($0)) },
                at: Timestamp(millisecondsSince1970: Int64(row.column("at")?.integer ?? 0))
            )
        }
    }

    // MARK: - Notes

    public func addNote(_ note: BackstageNote, audit: AuditEntry?) async throws -> BackstageNote {
        try await inWriteTransaction { db in
            let rows = try await db.query(
                "INSERT INTO backstage_notes (sitting_id, question_id, text, author_id, author_name, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [.integer(Int(note.sittingID.rawValue)), note.questionID.map { .integer(Int($0.rawValue)) } ?? .null, .text(note.text),
                 .integer(Int(note.authorID.rawValue)), .text(note.authorName), .ms(note.createdAt), .ms(note.readAt)]
            )
            guard let id = rows.first?.column("id")?.integer else { throw StoreError(.corrupt, "INSERT returned no id") }
            if let audit { try await Self.insertAudit([audit], db) }
            var stored = note
            stored.id = BackstageNote.ID(Int64(id))
            return stored
        }
    }

    public func updateNote(_ note: BackstageNote, audit: AuditEntry?) async throws {
        try await inWriteTransaction { db in
            let rows = try await db.query(
                "UPDATE backstage_notes SET text = ?, read_at = ? WHERE id = ? RETURNING id", [.text(note.text), .ms(note.readAt), .integer(Int(note.id.rawValue))]
            )
            guard !rows.isEmpty else { throw StoreError(.notFound, "No note \(note.id).") }
            if let audit { try await Self.insertAudit([audit], db) }
        }
    }

    public func notes(in sitting: Sitting.ID) async throws -> [BackstageNote] {
        try await reader.query(
            "SELECT id, question_id, text, author_id, author_name, created_at, read_at FROM backstage_notes WHERE sitting_id = ? ORDER BY id",
            [.integer(Int(sitting.rawValue))]
        ).map { row in
            BackstageNote(
                id: BackstageNote.ID(Int64(row.column("id")?.integer ?? 0)), sittingID: sitting,
                questionID: row.column("question_id")?.integer.map { Question.ID(Int64($0)) }, text: row.column("text")?.string ?? "",
                authorID: StaffMember.ID(Int64(row.column("author_id")?.integer ?? 0)), authorName: row.column("author_name")?.string ?? "",
                createdAt: Timestamp(millisecondsSince1970: Int64(row.column("created_at")?.integer ?? 0)),
                readAt: row.column("read_at")?.integer.map { Timestamp(millisecondsSince1970: Int64($0)) }
            )
        }
    }
}
