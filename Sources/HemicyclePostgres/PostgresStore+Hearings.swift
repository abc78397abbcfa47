public import HemicycleCore
public import HemicycleStorage
import PostgresNIO


extension PostgresStore {
    static let sittingWriteColumns =
        "title, committee, state, scheduled_start, stream_url, stream_started_at, ended_at, agenda, witnesses, settings"
    static let sittingWritePlaceholders = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?"

    static func sittingBinds(_ s: Sitting) -> [SQLValue] {
        [.text(s.title), .text(s.committee), .text(s.state.rawValue), .ms(s.scheduledStart), s.streamURL.map { .text($0) } ?? .null,
         .ms(s.streamStartedAt), .ms(s.endedAt), .text(StoredJSON.text(s.agenda)), .text(StoredJSON.text(s.witnesses)),
         .text(StoredJSON.text(s.settings))]
    }

    public func createSitting(_ sitting: Sitting, audit: AuditEntry?) async throws -> Sitting {
        try await inTransaction { db in
            let rows = try await db.query(
                "INSERT INTO sittings (\(Self.sittingWriteColumns)) VALUES (\(Self.sittingWritePlaceholders)) RETURNING id",
                Self.sittingBinds(sitting)
            )
            guard let id = rows.first?.int("id") else { throw StoreError(.corrupt, "INSERT returned no id") }
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
        try await inTransaction { db in
            try await Self.update(sitting, db)
            if let audit { try await Self.insertAudit([audit], db) }
        }
    }

    static func update(_ sitting: Sitting, _ db: SQLConnection) async throws {
        let assignments = sittingWriteColumns.split(separator: ",").map { "\($0.trimmingPrefix(" ")) = ?" }.joined(separator: ", ")
        let rows = try await db.query(
            "UPDATE sittings SET \(assignments) WHERE id = ? RETURNING id", sittingBinds(sitting) + [.id(sitting.id.rawValue)]
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
        let logger = self.logger
        return try await client.withConnection { connection in
            try await Self.questions(where: "q.sitting_id = ?", [.id(sitting.rawValue)], SQLConnection(connection: connection, logger: logger))
        }
    }

    /// The questions `condition` (on `questions q`) selects, by id, with their voters (two statements on `db`: inside a
    /// transaction they read one state).
    static func questions(where condition: String, _ binds: [SQLValue], _ db: SQLConnection) async throws -> [Question] {
        let rows = try await db.query("SELECT \(questionColumnsQualified) FROM questions q WHERE \(condition) ORDER BY q.id", binds)
        var questions = try rows.map(Self.question(from:))
        guard !questions.isEmpty else { return [] }
        let votes = try await db.query(
            "SELECT v.question_id, v.participant, v.held, v.address FROM question_votes v JOIN questions q ON q.id = v.question_id WHERE \(condition)",
            binds
        )
        var voters: [Int: Set<String>] = [:], held: [Int: Set<String>] = [:], addresses: [Int: [String: String]] = [:]
        for row in votes {
            guard let id = row.int("question_id"), let participant = row.string("participant") else { continue }
            if row.int("held") == 1 { held[id, default: []].insert(participant) } else { voters[id, default: []].insert(participant) }
            if let address = row.string("address") { addresses[id, default: [:]][participant] = address }
        }
        for index in questions.indices {
            let id = Int(questions[index].id.rawValue)
            questions[index].voters = voters[id] ?? []
            questions[index].heldVoters = held[id] ?? []
            questions[index].voterAddresses = addresses[id] ?? [:]
        }
        return questions
    }

    static func question(from row: SQLRow) throws -> Question {
        guard let id = row.int("id"), let sittingID = row.int("sitting_id"),
            let stateLabel = row.string("state"), let submitted = row.int("submitted_at")
        else { throw StoreError(.corrupt, "a questions row is incomplete") }
        let state: QuestionState
        switch stateLabel {
        case "submitted": state = .submitted
        case "approved": state = .approved
        case "rejected": state = .rejected(reasonCode: row.string("reason_code") ?? "")
        case "on_screen": state = .onScreen
        case "answered": state = .answered(streamOffsetSeconds: row.int("answered_offset"))
        case "merged":
            guard let into = row.int("merged_into") else { throw StoreError(.corrupt, "merged question \(id) has no target") }
            state = .merged(into: Question.ID(Int64(into)))
        case "withdrawn": state = .withdrawn
        default: throw StoreError(.corrupt, "question \(id) has the unknown state \(stateLabel)")
        }
        var question = Question(
            id: Question.ID(Int64(id)), sittingID: Sitting.ID(Int64(sittingID)), participant: row.string("participant") ?? "",
            text: row.string("text") ?? "", name: row.string("name"), region: row.string("region"),
            state: state, submittedAt: Timestamp(millisecondsSince1970: Int64(submitted))
        )
        question.originalText = row.string("original_text")
        question.mergedFrom = StoredJSON.ids(row.string("merged_from"))
        question.tag = row.string("tag")
        question.priority = row.int("priority") ?? 0
        question.answeredAt = row.int("answered_at").map { Timestamp(millisecondsSince1970: Int64($0)) }
        return question
    }

    private static func stateBinds(_ q: Question) -> [SQLValue] {
        var reason: SQLValue = .null, mergedInto: SQLValue = .null, offset: SQLValue = .null
        switch q.state {
        case .rejected(let code): reason = .text(code)
        case .merged(let into): mergedInto = .id(into.rawValue)
        case .answered(let seconds): offset = seconds.map { .int($0) } ?? .null
        default: break
        }
        return [.text(q.text), q.originalText.map { .text($0) } ?? .null, .text(q.state.label), reason, mergedInto,
                .text(StoredJSON.text(q.mergedFrom)), q.tag.map { .text($0) } ?? .null, .int(q.priority), .ms(q.answeredAt), offset]
    }

    public func insertQuestion(_ question: Question, log: [ModerationLogEntry]) async throws -> Question {
        try await inTransaction { db in
            let rows = try await db.query(
                """
                INSERT INTO questions (sitting_id, participant, name, region, submitted_at, text, original_text, state, reason_code,
                    merged_into, merged_from, tag, priority, answered_at, answered_offset)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """,
                [.id(question.sittingID.rawValue), .text(question.participant), question.name.map { .text($0) } ?? .null,
                 question.region.map { .text($0) } ?? .null, .ms(question.submittedAt)] + Self.stateBinds(question)
            )
            guard let id = rows.first?.int("id") else { throw StoreError(.corrupt, "INSERT returned no id") }
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
        try await inTransaction { db in try await Self.apply(write, db) }
    }

    /// The first key of the sittings' transaction locks (`pg_advisory_xact_lock(space, sitting)`; the scheduled jobs'
    /// locks use another space, the migrations' lock the one-key form).
    static let sittingLockSpace = 0x7369_7474

    public func withSitting<T: Sendable>(
        _ id: Sitting.ID, _ body: @Sendable (any SittingReads) async throws -> (value: T, write: HearingWrite)
    ) async throws -> T {
        try await inSittingTransaction(id) { db in
            let (value, write) = try await body(PostgresSittingReads(db: db, sittingID: id))
            try await Self.apply(write, db)
            return value
        }
    }

    /// The outbox (`LiveOutboxStore`): the events go into `live_events` after the write, in the same transaction. The
    /// shared log's tables must exist (`PostgresLiveBus.prepare`, which a node runs before it serves).
    public func withSitting<T: Sendable>(
        _ id: Sitting.ID, node: String,
        _ body: @Sendable (any SittingReads) async throws -> (value: T, write: HearingWrite, events: [BusDraft])
    ) async throws -> (value: T, entries: [BusEntry]) {
        try await inSittingTransaction(id) { db in
            let (value, write, events) = try await body(PostgresSittingReads(db: db, sittingID: id))
            try await Self.apply(write, db)
            return (value, try await PostgresLiveBus.append(events, node: node, on: db))
        }
    }

    /// Runs `body` in one transaction that first takes sitting `id`'s transaction-scoped advisory lock: every node's
    /// transactions on one sitting queue on it, whatever node or connection they run on, and the lock ends with the
    /// commit or rollback (a node that dies mid-transaction frees it with its connection). Reads made after the lock
    /// (READ COMMITTED: each statement sees what committed before it began) see what the previous holder stored.
    /// More writes of the same action (an event row for the other nodes, say) belong inside `body`.
    func inSittingTransaction<T: Sendable>(_ id: Sitting.ID, _ body: (SQLConnection) async throws -> T) async throws -> T {
        try await inTransaction { db in
            // Sitting ids beyond the second key's 32 bits share a lock with another sitting: more waiting, never less.
            try await db.query(
                "SELECT pg_advisory_xact_lock(?::int, (? % 2147483647)::int)", [.int(Self.sittingLockSpace), .id(id.rawValue)]
            )
            return try await body(db)
        }
    }

    public func claims(in sitting: Sitting.ID, now: Timestamp) async throws -> [QuestionClaim] {
        try await read(
            "SELECT question_id, staff_id, staff_name, until FROM question_claims WHERE sitting_id = ? AND until > ? ORDER BY question_id",
            [.id(sitting.rawValue), .ms(now)]
        ).map(Self.claim(from:))
    }

    static func claim(from row: SQLRow) throws -> QuestionClaim {
        guard let question = row.int64("question_id"), let staff = row.int64("staff_id"), let until = row.time("until") else {
            throw StoreError(.corrupt, "a question_claims row is incomplete")
        }
        return QuestionClaim(
            question: Question.ID(question),
            claim: ModerationClaims.Claim(staffID: StaffMember.ID(staff), staffName: row.string("staff_name") ?? "", until: until)
        )
    }

    /// Stores `write` on `db`, inside the caller's transaction.
    static func apply(_ write: HearingWrite, _ db: SQLConnection) async throws {
        for question in write.questions {
            let rows = try await db.query(
                """
                UPDATE questions SET text = ?, original_text = ?, state = ?, reason_code = ?, merged_into = ?, merged_from = ?,
                    tag = ?, priority = ?, answered_at = ?, answered_offset = ? WHERE id = ? RETURNING id
                """,
                Self.stateBinds(question) + [.id(question.id.rawValue)]
            )
            guard !rows.isEmpty else { throw StoreError(.notFound, "No question \(question.id).") }
        }
        for vote in write.votesRemoved {
            try await db.query(
                "DELETE FROM question_votes WHERE question_id = ? AND participant = ?", [.id(vote.question.rawValue), .text(vote.participant)]
            )
        }
        for vote in write.votesAdded {
            try await db.query(
                """
                INSERT INTO question_votes (question_id, participant, held, address) VALUES (?, ?, ?, ?)
                ON CONFLICT (question_id, participant) DO UPDATE SET held = excluded.held, address = excluded.address
                """,
                [.id(vote.question.rawValue), .text(vote.participant), .int(vote.held ? 1 : 0), vote.address.map { .text($0) } ?? .null]
            )
        }
        try await Self.insertLog(write.moderation, db)
        try await Self.insertAudit(write.audit, db)
        if let sitting = write.sitting { try await Self.update(sitting, db) }
        if !write.claimsEnded.isEmpty {
            try await db.query("DELETE FROM question_claims WHERE question_id = ANY(?)", [.ints(write.claimsEnded.map { Int($0.rawValue) })])
        }
        for claim in write.claims {
            let rows = try await db.query(
                """
                INSERT INTO question_claims (question_id, sitting_id, staff_id, staff_name, until)
                SELECT id, sitting_id, ?, ?, ? FROM questions WHERE id = ?
                ON CONFLICT (question_id) DO UPDATE SET staff_id = excluded.staff_id, staff_name = excluded.staff_name, until = excluded.until
                RETURNING question_id
                """,
                [.id(claim.claim.staffID.rawValue), .text(claim.claim.staffName), .ms(claim.claim.until), .id(claim.question.rawValue)]
            )
            guard !rows.isEmpty else { throw StoreError(.notFound, "No question \(claim.question).") }
        }
    }

    private static func insertLog(_ entries: [ModerationLogEntry], _ db: SQLConnection) async throws {
        for e in entries {
            _ = try await db.query(
                "INSERT INTO moderation_log (sitting_id, question_id, action, state, reason_code, merged_into, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [.id(e.sittingID.rawValue), .id(e.questionID.rawValue), .text(e.action), .text(e.state),
                 e.reasonCode.map { .text($0) } ?? .null, e.mergedInto.map { .int(Int($0.rawValue)) } ?? .null, .ms(e.at)]
            )
        }
    }

    static func insertAudit(_ entries: [AuditEntry], _ db: SQLConnection) async throws {
        for e in entries {
            _ = try await db.query(
                "INSERT INTO audit_log (at, staff_id, action, subject, details) VALUES (?, ?, ?, ?, ?)",
                [.ms(e.at), e.staffID.map { .int(Int($0.rawValue)) } ?? .null, .text(e.action), .text(e.subject), .text(e.details)]
            )
        }
    }

    public func moderationLog(of sitting: Sitting.ID) async throws -> [ModerationLogEntry] {
        try await read(
            "SELECT question_id, action, state, reason_code, merged_into, at FROM moderation_log WHERE sitting_id = ? ORDER BY id",
            [.id(sitting.rawValue)]
        ).map { row in
            ModerationLogEntry(
                sittingID: sitting, questionID: Question.ID(Int64(row.int("question_id") ?? 0)),
                action: row.string("action") ?? "", state: row.string("state") ?? "",
                reasonCode: row.string("reason_code"), mergedInto: row.int("merged_into").map { Question.ID(Int64($0)) },
                at: Timestamp(millisecondsSince1970: Int64(row.int("at") ?? 0))
            )
        }
    }

    // MARK: - Notes

    public func addNote(_ note: BackstageNote, audit: AuditEntry?) async throws -> BackstageNote {
        try await inTransaction { db in
            let rows = try await db.query(
                "INSERT INTO backstage_notes (sitting_id, question_id, text, author_id, author_name, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [.id(note.sittingID.rawValue), note.questionID.map { .int(Int($0.rawValue)) } ?? .null, .text(note.text),
                 .id(note.authorID.rawValue), .text(note.authorName), .ms(note.createdAt), .ms(note.readAt)]
            )
            guard let id = rows.first?.int("id") else { throw StoreError(.corrupt, "INSERT returned no id") }
            if let audit { try await Self.insertAudit([audit], db) }
            var stored = note
            stored.id = BackstageNote.ID(Int64(id))
            return stored
        }
    }

    public func updateNote(_ note: BackstageNote, audit: AuditEntry?) async throws {
        try await inTransaction { db in
            let rows = try await db.query(
                "UPDATE backstage_notes SET text = ?, read_at = ? WHERE id = ? RETURNING id", [.text(note.text), .ms(note.readAt), .id(note.id.rawValue)]
            )
            guard !rows.isEmpty else { throw StoreError(.notFound, "No note \(note.id).") }
            if let audit { try await Self.insertAudit([audit], db) }
        }
    }

    public func notes(in sitting: Sitting.ID) async throws -> [BackstageNote] {
        try await read(
            "SELECT id, question_id, text, author_id, author_name, created_at, read_at FROM backstage_notes WHERE sitting_id = ? ORDER BY id",
            [.id(sitting.rawValue)]
        ).map { row in
            BackstageNote(
                id: BackstageNote.ID(Int64(row.int("id") ?? 0)), sittingID: sitting,
                questionID: row.int("question_id").map { Question.ID(Int64($0)) }, text: row.string("text") ?? "",
                authorID: StaffMember.ID(Int64(row.int("author_id") ?? 0)), authorName: row.string("author_name") ?? "",
                createdAt: Timestamp(millisecondsSince1970: Int64(row.int("created_at") ?? 0)),
                readAt: row.int("read_at").map { Timestamp(millisecondsSince1970: Int64($0)) }
            )
        }
    }
}

extension PostgresStore: LiveOutboxStore {}
