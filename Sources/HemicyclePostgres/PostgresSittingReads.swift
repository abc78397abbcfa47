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
        try await db.query("SELECT \(PostgresStore.sittingColumns) FROM sittings WHERE id = ?", [sittingBind]).first.map(PostgresStore.sitting(from:))
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
