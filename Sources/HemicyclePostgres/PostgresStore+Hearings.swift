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

    /// One statement (the question, then its log entries with its id), its own transaction: two round trips with the
    /// wait for its commit (`inOneStatement`).
    public func insertQuestion(_ question: Question, log: [ModerationLogEntry]) async throws -> Question {
        let logRows: [JSONValue] = log.enumerated().map { n, e in
            .object([
                ("n", .int(Int64(n))), ("sitting_id", .int(e.sittingID.rawValue)), ("action", .string(e.action)), ("state", .string(e.state)),
                ("reason_code", e.reasonCode.map { .string($0) } ?? .null), ("merged_into", e.mergedInto.map { .int($0.rawValue) } ?? .null),
                ("at", .int(e.at.millisecondsSince1970)),
            ])
        }
        let rows = try await inOneStatement { db in
            try await db.query(
                """
                WITH inserted AS (
                    INSERT INTO questions (sitting_id, participant, name, region, submitted_at, text, original_text, state, reason_code,
                        merged_into, merged_from, tag, priority, answered_at, answered_offset)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                ), logged AS (
                    INSERT INTO moderation_log (sitting_id, question_id, action, state, reason_code, merged_into, at)
                    SELECT t.sitting_id, inserted.id, t.action, t.state, t.reason_code, t.merged_into, t.at
                    FROM json_to_recordset(?::json) AS t(n integer, sitting_id bigint, action text, state text, reason_code text, merged_into bigint,
                        at bigint)
                    CROSS JOIN inserted
                    ORDER BY t.n
                    RETURNING id
                )
                SELECT id FROM inserted
                """,
                [.id(question.sittingID.rawValue), .text(question.participant), question.name.map { .text($0) } ?? .null,
                 question.region.map { .text($0) } ?? .null, .ms(question.submittedAt)] + Self.stateBinds(question)
                    + [.text(JSONWriter.string(.array(logRows)))]
            )
        }
        guard let id = rows.first?.int("id") else { throw StoreError(.corrupt, "INSERT returned no id") }
        return Question(
            id: Question.ID(Int64(id)), sittingID: question.sittingID, participant: question.participant, text: question.text,
            name: question.name, region: question.region, state: question.state, voters: [], submittedAt: question.submittedAt
        )
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

    /// Stores `write` on `db`, inside the caller's transaction, in one statement (data-modifying CTEs, each reading its
    /// rows from a JSON parameter): the questions, the votes removed then added, the moderation log and the audit (in
    /// order), the sitting, the claims ended then made. As when they are applied one after another, the last change of
    /// a question, vote or claim wins, and a vote or claim both removed and added ends added.
    /// - Throws: `StoreError(.notFound)` when a question, the sitting or a claimed question is not stored (the caller's
    ///   transaction then rolls back: nothing is written).
    static func apply(_ write: HearingWrite, _ db: SQLConnection) async throws {
        guard !write.isEmpty else { return }
        var questions: [Question.ID: Question] = [:]
        for question in write.questions { questions[question.id] = question }
        func voteKey(_ vote: HearingWrite.Vote) -> String { "\(vote.question.rawValue)\u{0}\(vote.participant)" }
        var added: [String: HearingWrite.Vote] = [:]
        for vote in write.votesAdded { added[voteKey(vote)] = vote }
        var removed: [String: HearingWrite.Vote] = [:]
        for vote in write.votesRemoved where added[voteKey(vote)] == nil { removed[voteKey(vote)] = vote }
        var claims: [Question.ID: QuestionClaim] = [:]
        for claim in write.claims { claims[claim.question] = claim }
        let ended = Set(write.claimsEnded).subtracting(claims.keys)

        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        func number(_ value: Int64?) -> JSONValue { value.map { .int($0) } ?? .null }
        func json(_ rows: [[(String, JSONValue)]]) -> SQLValue { .text(JSONWriter.string(.array(rows.map { .object($0) }))) }
        let questionRows: [[(String, JSONValue)]] = questions.values.sorted { $0.id < $1.id }.map { q in
            var reason: String?, mergedInto: Int64?, offset: Int64?
            switch q.state {
            case .rejected(let code): reason = code
            case .merged(let into): mergedInto = into.rawValue
            case .answered(let seconds): offset = seconds.map(Int64.init)
            default: break
            }
            return [
                ("id", .int(q.id.rawValue)), ("text", .string(q.text)), ("original_text", text(q.originalText)), ("state", .string(q.state.label)),
                ("reason_code", text(reason)), ("merged_into", number(mergedInto)), ("merged_from", .string(StoredJSON.text(q.mergedFrom))),
                ("tag", text(q.tag)), ("priority", .int(Int64(q.priority))), ("answered_at", number(q.answeredAt?.millisecondsSince1970)),
                ("answered_offset", number(offset)),
            ]
        }
        let removedRows: [[(String, JSONValue)]] = removed.values.map { [("question_id", .int($0.question.rawValue)), ("participant", .string($0.participant))] }
        let addedRows: [[(String, JSONValue)]] = added.values.map {
            [("question_id", .int($0.question.rawValue)), ("participant", .string($0.participant)), ("held", .int($0.held ? 1 : 0)), ("address", text($0.address))]
        }
        let logRows: [[(String, JSONValue)]] = write.moderation.enumerated().map { n, e in
            [("n", .int(Int64(n))), ("sitting_id", .int(e.sittingID.rawValue)), ("question_id", .int(e.questionID.rawValue)), ("action", .string(e.action)),
             ("state", .string(e.state)), ("reason_code", text(e.reasonCode)), ("merged_into", number(e.mergedInto?.rawValue)),
             ("at", .int(e.at.millisecondsSince1970))]
        }
        let auditRows: [[(String, JSONValue)]] = write.audit.enumerated().map { n, e in
            [("n", .int(Int64(n))), ("at", .int(e.at.millisecondsSince1970)), ("staff_id", number(e.staffID?.rawValue)), ("action", .string(e.action)),
             ("subject", .string(e.subject)), ("details", .string(e.details))]
        }
        let claimRows: [[(String, JSONValue)]] = claims.values.sorted { $0.question < $1.question }.map {
            [("question_id", .int($0.question.rawValue)), ("staff_id", .int($0.claim.staffID.rawValue)), ("staff_name", .string($0.claim.staffName)),
             ("until", .int($0.claim.until.millisecondsSince1970))]
        }
        let sittingValues: [SQLValue] = write.sitting.map { Self.sittingBinds($0) + [.id($0.id.rawValue)] } ?? Array(repeating: .null, count: 11)
        let assignments = sittingWriteColumns.split(separator: ",").map { "\($0.trimmingPrefix(" ")) = ?" }.joined(separator: ", ")
        let rows = try await db.query(
            """
            WITH changed AS (
                UPDATE questions SET text = t.text, original_text = t.original_text, state = t.state, reason_code = t.reason_code,
                    merged_into = t.merged_into, merged_from = t.merged_from, tag = t.tag, priority = t.priority, answered_at = t.answered_at,
                    answered_offset = t.answered_offset
                FROM json_to_recordset(?::json) AS t(id bigint, text text, original_text text, state text, reason_code text, merged_into bigint,
                    merged_from text, tag text, priority bigint, answered_at bigint, answered_offset bigint)
                WHERE questions.id = t.id
                RETURNING questions.id
            ), removed AS (
                DELETE FROM question_votes v USING json_to_recordset(?::json) AS t(question_id bigint, participant text)
                WHERE v.question_id = t.question_id AND v.participant = t.participant
                RETURNING v.question_id
            ), added AS (
                INSERT INTO question_votes (question_id, participant, held, address)
                SELECT question_id, participant, held, address FROM json_to_recordset(?::json) AS t(question_id bigint, participant text, held integer, address text)
                ON CONFLICT (question_id, participant) DO UPDATE SET held = excluded.held, address = excluded.address
                RETURNING question_id
            ), logged AS (
                INSERT INTO moderation_log (sitting_id, question_id, action, state, reason_code, merged_into, at)
                SELECT sitting_id, question_id, action, state, reason_code, merged_into, at
                FROM json_to_recordset(?::json) AS t(n integer, sitting_id bigint, question_id bigint, action text, state text, reason_code text,
                    merged_into bigint, at bigint)
                ORDER BY n
                RETURNING id
            ), audited AS (
                INSERT INTO audit_log (at, staff_id, action, subject, details)
                SELECT at, staff_id, action, subject, details
                FROM json_to_recordset(?::json) AS t(n integer, at bigint, staff_id bigint, action text, subject text, details text)
                ORDER BY n
                RETURNING id
            ), sitting AS (
                UPDATE sittings SET \(assignments) WHERE id = ? RETURNING id
            ), ended AS (
                DELETE FROM question_claims WHERE question_id = ANY(?) RETURNING question_id
            ), claimed AS (
                INSERT INTO question_claims (question_id, sitting_id, staff_id, staff_name, until)
                SELECT q.id, q.sitting_id, t.staff_id, t.staff_name, t.until
                FROM json_to_recordset(?::json) AS t(question_id bigint, staff_id bigint, staff_name text, until bigint)
                JOIN questions q ON q.id = t.question_id
                ON CONFLICT (question_id) DO UPDATE SET staff_id = excluded.staff_id, staff_name = excluded.staff_name, until = excluded.until
                RETURNING question_id
            )
            SELECT (SELECT count(*) FROM changed) AS questions, (SELECT count(*) FROM sitting) AS sittings, (SELECT count(*) FROM claimed) AS claims
            """,
            [json(questionRows), json(removedRows), json(addedRows), json(logRows), json(auditRows)] + sittingValues
                + [.ints(ended.sorted().map { Int($0.rawValue) }), json(claimRows)]
        )
        let counts = rows.first
        if (counts?.int("questions") ?? 0) < questionRows.count { throw StoreError(.notFound, "No question among \(questions.keys.sorted()).") }
        if let sitting = write.sitting, counts?.int("sittings") != 1 { throw StoreError(.notFound, "No sitting \(sitting.id).") }
        if (counts?.int("claims") ?? 0) < claimRows.count { throw StoreError(.notFound, "No question among \(claims.keys.sorted()).") }
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
