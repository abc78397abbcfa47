import HemicycleCore

/// Sittings, questions and notes as JSON (Protocol/HEARINGS.md §2).
enum HearingJSON {
    static func time(_ t: Timestamp?) -> JSONValue { t.map { .string($0.iso8601) } ?? .null }
    static func string(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

    static func counts(_ board: QuestionBoard) -> JSONValue {
        .object(board.counts.map { ($0.label, .int(Int64($0.count))) })
    }

    /// - Parameter votesPerAddress: the cap in force (the sitting's, or the server's default).
    static func settings(_ s: HearingSettings, votesPerAddress: Int) -> JSONValue {
        .object([
            ("max_question_length", .int(Int64(s.maxQuestionLength))), ("questions_per_minute", .int(Int64(s.questionsPerMinute))),
            ("votes_per_second", .int(Int64(s.votesPerSecond))), ("allow_anonymous", .bool(s.allowAnonymous)),
            ("moderation", .string(s.moderation.rawValue)), ("votes_per_address", .int(Int64(votesPerAddress))),
        ])
    }

    static func sitting(_ s: Sitting, board: QuestionBoard) -> JSONValue {
        .object([
            ("id", .int(s.id.rawValue)), ("title", .string(s.title)), ("committee", .string(s.committee)), ("state", .string(s.state.rawValue)),
            ("scheduled_start", time(s.scheduledStart)), ("stream_url", string(s.streamURL)), ("stream_started_at", time(s.streamStartedAt)),
            ("ended_at", time(s.endedAt)), ("agenda", .array(s.agenda.map { .string($0) })),
            ("witnesses", .array(s.witnesses.map { .string($0) })), ("settings", settings(s.settings, votesPerAddress: board.votesPerAddress)), ("counts", counts(board)),
        ])
    }

    static func reason(_ code: String, reasons: [RejectionReason], language: String) -> JSONValue {
        let text = reasons.first { $0.code == code }?.text(in: language) ?? code
        return .object([("code", .string(code)), ("text", .string(text))])
    }

    /// The public form of a question; `participant` adds `mine` and `voted`.
    static func question(_ q: Question, reasons: [RejectionReason], language: String, participant: String? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .int(q.id.rawValue)), ("sitting_id", .int(q.sittingID.rawValue)), ("text", .string(q.text)),
            ("state", .string(q.state.label)), ("votes", .int(Int64(q.votes))), ("name", string(q.name)), ("region", string(q.region)),
            ("submitted_at", time(q.submittedAt)), ("edited", .bool(q.isEdited)), ("tag", string(q.tag)),
            ("priority", .int(Int64(q.priority))),
        ]
        var mergedInto: JSONValue = .null, reason: JSONValue = .null, offset: JSONValue = .null
        switch q.state {
        case .merged(let into): mergedInto = .int(into.rawValue)
        case .rejected(let code): reason = Self.reason(code, reasons: reasons, language: language)
        case .answered(let seconds): offset = seconds.map { .int(Int64($0)) } ?? .null
        default: break
        }
        fields += [
            ("merged_into", mergedInto), ("merged_from", .array(q.mergedFrom.map { .int($0.rawValue) })), ("reason", reason),
            ("answered_at", time(q.answeredAt)), ("answered_offset_seconds", offset),
        ]
        if let participant {
            fields += [("mine", .bool(q.participant == participant)), ("voted", .bool(q.voters.contains(participant) || q.heldVoters.contains(participant)))]
        }
        return .object(fields)
    }

    /// What staff see: the public form plus the original text, the asker's pseudonym and the claim.
    static func staffQuestion(_ q: Question, claim: ModerationClaims.Claim?, reasons: [RejectionReason], language: String) -> JSONValue {
        question(q, reasons: reasons, language: language)
            .setting("original_text", to: string(q.originalText))
            .setting("participant", to: .string(pseudonym(q)))
            .setting("claimed_by", to: claim.map(Self.claim) ?? .null)
            .setting("held_votes", to: .int(Int64(q.heldVotes)))
    }

    /// `{"<question id>": held votes}` for every question that has held votes (the moderation topic).
    static func heldVotes(_ board: QuestionBoard) -> JSONValue {
        .object(board.heldVotes.map { ("\($0.id)", .int(Int64($0.count))) })
    }

    /// A short, stable name for the asker within one sitting; reveals nothing of their token.
    static func pseudonym(_ q: Question) -> String {
        String(SecureToken.sha256("\(q.sittingID):\(q.participant)").prefix(8))
    }

    static func claim(_ c: ModerationClaims.Claim) -> JSONValue {
        .object([("id", .int(c.staffID.rawValue)), ("name", .string(c.staffName)), ("until", time(c.until))])
    }

    static func note(_ n: BackstageNote) -> JSONValue {
        .object([
            ("id", .int(n.id.rawValue)), ("sitting_id", .int(n.sittingID.rawValue)), ("question", n.questionID.map { .int($0.rawValue) } ?? .null),
            ("text", .string(n.text)), ("author", .object([("id", .int(n.authorID.rawValue)), ("name", .string(n.authorName))])),
            ("created_at", time(n.createdAt)), ("read_at", time(n.readAt)),
        ])
    }

    static func staff(_ m: StaffMember) -> JSONValue {
        .object([
            ("id", .int(m.id.rawValue)), ("name", .string(m.name)), ("email", .string(m.email)), ("role", .string(m.role.rawValue)),
            ("sittings", .array(m.sittings.sorted().map { .int($0.rawValue) })),
        ])
    }

    static func presentStaff(_ members: [StaffMember]) -> JSONValue {
        .array(members.map { .object([("id", .int($0.id.rawValue)), ("name", .string($0.name)), ("role", .string($0.role.rawValue))]) })
    }

    static func logEntry(_ e: ModerationLogEntry, reasons: [RejectionReason], language: String) -> JSONValue {
        .object([
            ("question_id", .int(e.questionID.rawValue)), ("action", .string(e.action)), ("state", .string(e.state)),
            ("reason", e.reasonCode.map { reason($0, reasons: reasons, language: language) } ?? .null),
            ("merged_into", e.mergedInto.map { .int($0.rawValue) } ?? .null), ("at", time(e.at)),
        ])
    }

    static func votes(_ board: QuestionBoard) -> JSONValue {
        .object(board.published.map { ("\($0.id)", .int(Int64($0.votes))) })
    }
}
