import HemicycleCore
import HemicycleStorage
import SQLiteNIO

/// `SittingReads` of `SQLiteStore.withSitting`: reads on the writer connection, inside its `BEGIN IMMEDIATE`
/// transaction, so they see exactly what the transaction will write over.
struct SQLiteSittingReads: SittingReads {
    let db: SQLiteConnection
    let sittingID: Sitting.ID

    private var sittingBind: SQLiteData { .integer(Int(sittingID.rawValue)) }

    func sitting() async throws -> Sitting? {
        try await db.query("SELECT \(SQLiteStore.sittingColumns) FROM sittings WHERE id = ?", [sittingBind]).first.map(SQLiteStore.sitting(from:))
    }

    func questions(_ ids: Set<Question.ID>) async throws -> [Question] {
        guard !ids.isEmpty else { return [] }
        // Actions name a question or two (a merge, the one on screen): a short IN list, never the whole room.
        let list = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try await SQLiteStore.questions(
            where: "q.sitting_id = ? AND q.id IN (\(list))", [sittingBind] + ids.sorted().map { .integer(Int($0.rawValue)) }, db
        )
    }

    func voteContext(on question: Question.ID, participant: String, address: String?) async throws -> VoteContext? {
        let id: SQLiteData = .integer(Int(question.rawValue))
        let rows = try await db.query("SELECT \(SQLiteStore.questionColumns) FROM questions WHERE id = ? AND sitting_id = ?", [id, sittingBind])
        guard let row = rows.first else { return nil }
        let stored = try SQLiteStore.question(from: row)
        let vote = try await db.query("SELECT held FROM question_votes WHERE question_id = ? AND participant = ?", [id, .text(participant)]).first
        let standing: VoteContext.Standing = vote.map { $0.column("held")?.integer == 1 ? .held : .counted } ?? .none
        var counted = 0
        if let address {
            // question_votes_address: (question_id, address, held), so this counts from the index.
            counted = try await db.query(
                "SELECT COUNT(*) AS n FROM question_votes WHERE question_id = ? AND address = ? AND held = 0", [id, .text(address)]
            ).first?.column("n")?.integer ?? 0
        }
        return VoteContext(question: stored, standing: standing, countedFromAddress: counted)
    }

    func questionOnScreen() async throws -> Question? {
        try await SQLiteStore.questions(where: "q.sitting_id = ? AND q.state = 'on_screen'", [sittingBind], db).first
    }

    func claims(on questions: Set<Question.ID>, now: Timestamp) async throws -> [QuestionClaim] {
        guard !questions.isEmpty else { return [] }
        let list = Array(repeating: "?", count: questions.count).joined(separator: ", ")
        return try await db.query(
            "SELECT question_id, staff_id, staff_name, until FROM question_claims WHERE sitting_id = ? AND until > ? AND question_id IN (\(list)) ORDER BY question_id",
            [sittingBind, .ms(now)] + questions.sorted().map { .integer(Int($0.rawValue)) }
        ).map(SQLiteStore.claim(from:))
    }
}
