import HemicycleCore
import HemicycleStorage

/// `SittingReads` of `PostgresStore.withSitting`: reads on the transaction's connection, after the sitting's advisory
/// lock is taken, so they see what every earlier action on the sitting stored, on any node, and nothing changes them
/// before the write (other nodes' actions on the sitting wait for the lock).
struct PostgresSittingReads: SittingReads {
    let db: SQLConnection
    let sittingID: Sitting.ID

    private var sittingBind: SQLValue { .id(sittingID.rawValue) }

    func sitting() async throws -> Sitting? {
        try await db.query("SELECT \(PostgresStore.sittingColumns) FROM sittings WHERE id = ?", [sittingBind]).first.map { try PostgresStore.sitting(from: $0) }
    }

    func questions(_ ids: Set<Question.ID>) async throws -> [Question] {
        guard !ids.isEmpty else { return [] }
        // Actions name a question or two (a merge, the one on screen): never the whole room.
        return try await PostgresStore.questions(
            where: "q.sitting_id = ? AND q.id = ANY(?)", [sittingBind, .ints(ids.sorted().map { Int($0.rawValue) })], db
        )
    }

    func voteContext(on question: Question.ID, participant: String, address: String?) async throws -> VoteContext? {
        let id: SQLValue = .id(question.rawValue)
        // One round trip: the question, the participant's vote and the counted votes from the address
        // (question_votes_address: (question_id, address, held), so the count reads the index).
        let rows = try await db.query(
            """
            SELECT \(PostgresStore.questionColumns),
                (SELECT held FROM question_votes WHERE question_id = questions.id AND participant = ?) AS vote_held,
                (SELECT COUNT(*) FROM question_votes WHERE question_id = questions.id AND address = ? AND held = 0) AS from_address
            FROM questions WHERE id = ? AND sitting_id = ?
            """,
            [.text(participant), .text(address), id, sittingBind]
        )
        guard let row = rows.first else { return nil }
        let stored = try PostgresStore.question(from: row)
        let standing: VoteContext.Standing = row.int("vote_held").map { $0 == 1 ? .held : .counted } ?? .none
        // A NULL address counts nothing (`address = NULL` matches no row).
        return VoteContext(question: stored, standing: standing, countedFromAddress: row.int("from_address") ?? 0)
    }

    func questionOnScreen() async throws -> Question? {
        try await PostgresStore.questions(where: "q.sitting_id = ? AND q.state = 'on_screen'", [sittingBind], db).first
    }

    /// One statement: the sitting, then (a vote) the question, the participant's vote and the counted votes from the
    /// address, or (any other command) the named questions and the one on screen with their voters, and the live
    /// claims on the claimed question. The sitting's columns `id` and `state` are read as `s_id` and `s_state`.
    func context(for command: HearingCommand, participant: String?, now: Timestamp) async throws -> SittingContext {
        let sittingColumns = "s.id AS s_id, s.title, s.committee, s.state AS s_state, s.scheduled_start, s.stream_url, s.stream_started_at, "
            + "s.ended_at, s.agenda, s.witnesses, s.settings"
        let questionColumns = PostgresStore.questionColumns.split(separator: ",").map { "q." + $0.filter { !$0.isWhitespace } }.joined(separator: ", ")
        if case .vote(let question, _, let address) = command, let participant {
            let rows = try await db.query(
                """
                SELECT \(sittingColumns), \(questionColumns),
                    (SELECT held FROM question_votes WHERE question_id = q.id AND participant = ?) AS vote_held,
                    (SELECT COUNT(*) FROM question_votes WHERE question_id = q.id AND address = ? AND held = 0) AS from_address
                FROM sittings s LEFT JOIN questions q ON q.id = ? AND q.sitting_id = s.id
                WHERE s.id = ?
                """,
                [.text(participant), .text(address), .id(question.rawValue), sittingBind]
            )
            guard let row = rows.first else { return SittingContext(sitting: nil) }
            let sitting = try PostgresStore.sitting(from: row, id: "s_id", state: "s_state")
            guard row.int("id") != nil else { return SittingContext(sitting: sitting) }
            let stored = try PostgresStore.question(from: row)
            let standing: VoteContext.Standing = row.int("vote_held").map { $0 == 1 ? .held : .counted } ?? .none
            // A NULL address counts nothing (`address = NULL` matches no row).
            return SittingContext(sitting: sitting, vote: VoteContext(question: stored, standing: standing, countedFromAddress: row.int("from_address") ?? 0))
        }
        // One row per question read (one row with NULL question columns when none), each with its voters as arrays
        // (sorted by participant, so the address arrays line up) and the sitting's claims, repeated.
        let rows = try await db.query(
            """
            SELECT \(sittingColumns), \(questionColumns), v.voters, v.held_voters, v.address_participants, v.addresses,
                c.claim_questions, c.claim_staff, c.claim_names, c.claim_until
            FROM sittings s
            LEFT JOIN LATERAL (
                SELECT * FROM questions WHERE sitting_id = s.id AND (id = ANY(?) OR (? = 1 AND state = 'on_screen'))
            ) q ON true
            LEFT JOIN LATERAL (
                SELECT array_agg(participant ORDER BY participant) FILTER (WHERE held = 0) AS voters,
                    array_agg(participant ORDER BY participant) FILTER (WHERE held = 1) AS held_voters,
                    array_agg(participant ORDER BY participant) FILTER (WHERE address IS NOT NULL) AS address_participants,
                    array_agg(address ORDER BY participant) FILTER (WHERE address IS NOT NULL) AS addresses
                FROM question_votes WHERE question_id = q.id
            ) v ON true
            CROSS JOIN LATERAL (
                SELECT array_agg(question_id ORDER BY question_id) AS claim_questions, array_agg(staff_id ORDER BY question_id) AS claim_staff,
                    array_agg(staff_name ORDER BY question_id) AS claim_names, array_agg(until ORDER BY question_id) AS claim_until
                FROM question_claims WHERE sitting_id = s.id AND until > ? AND question_id = ANY(?)
            ) c
            WHERE s.id = ?
            ORDER BY q.id
            """,
            [.ints(command.questions.sorted().map { Int($0.rawValue) }), .int(command.readsScreen ? 1 : 0), .ms(now),
             .ints(command.claimedQuestion.map { [Int($0.rawValue)] } ?? []), sittingBind]
        )
        guard let first = rows.first else { return SittingContext(sitting: nil) }
        var context = SittingContext(sitting: try PostgresStore.sitting(from: first, id: "s_id", state: "s_state"))
        for row in rows where row.int("id") != nil {
            var question = try PostgresStore.question(from: row)
            question.voters = Set(row.strings("voters"))
            question.heldVoters = Set(row.strings("held_voters"))
            question.voterAddresses = Dictionary(zip(row.strings("address_participants"), row.strings("addresses")), uniquingKeysWith: { a, _ in a })
            context.questions.append(question)
        }
        let questions = first.ints("claim_questions"), staff = first.ints("claim_staff"), names = first.strings("claim_names"), until = first.ints("claim_until")
        for index in questions.indices where index < staff.count && index < names.count && index < until.count {
            context.claims.append(
                QuestionClaim(
                    question: Question.ID(Int64(questions[index])),
                    claim: ModerationClaims.Claim(
                        staffID: StaffMember.ID(Int64(staff[index])), staffName: names[index], until: Timestamp(millisecondsSince1970: Int64(until[index])))))
        }
        return context
    }

    func claims(on questions: Set<Question.ID>, now: Timestamp) async throws -> [QuestionClaim] {
        guard !questions.isEmpty else { return [] }
        return try await db.query(
            """
            SELECT question_id, staff_id, staff_name, until FROM question_claims
            WHERE sitting_id = ? AND until > ? AND question_id = ANY(?) ORDER BY question_id
            """,
            [sittingBind, .ms(now), .ints(questions.sorted().map { Int($0.rawValue) })]
        ).map(PostgresStore.claim(from:))
    }
}
