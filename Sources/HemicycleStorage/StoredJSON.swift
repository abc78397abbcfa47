import HemicycleCore

/// The JSON text kept in a few columns, shared by the SQLite and PostgreSQL stores so that export and import copy
/// columns as they are (a sitting's agenda, witnesses and settings; a question's merged ids).
public enum StoredJSON {
    public static func text(_ strings: [String]) -> String {
        JSONWriter.string(.array(strings.map { .string($0) }))
    }

    public static func strings(_ text: String?) -> [String] {
        guard let text, let value = try? JSONValue.parse(Array(text.utf8)), let array = value.arrayValue else { return [] }
        return array.compactMap(\.stringValue)
    }

    public static func text(_ ids: [Question.ID]) -> String {
        JSONWriter.string(.array(ids.map { .int($0.rawValue) }))
    }

    public static func ids(_ text: String?) -> [Question.ID] {
        guard let text, let value = try? JSONValue.parse(Array(text.utf8)), let array = value.arrayValue else { return [] }
        return array.compactMap(\.intValue).map(Question.ID.init)
    }

    public static func text(_ settings: HearingSettings) -> String {
        JSONWriter.string(.object([
            ("max_question_length", .int(Int64(settings.maxQuestionLength))),
            ("questions_per_minute", .int(Int64(settings.questionsPerMinute))),
            ("votes_per_second", .int(Int64(settings.votesPerSecond))),
            ("ip_questions_per_minute", .int(Int64(settings.ipQuestionsPerMinute))),
            ("ip_votes_per_second", .int(Int64(settings.ipVotesPerSecond))),
            ("allow_anonymous", .bool(settings.allowAnonymous)),
            ("moderation", .string(settings.moderation.rawValue)),
            ("votes_per_address", settings.votesPerAddress.map { .int(Int64($0)) } ?? .null),
        ]))
    }

    public static func settings(_ text: String?) -> HearingSettings {
        var settings = HearingSettings()
        guard let text, let value = try? JSONValue.parse(Array(text.utf8)) else { return settings }
        if let v = value["max_question_length"]?.intValue { settings.maxQuestionLength = Int(v) }
        if let v = value["questions_per_minute"]?.intValue { settings.questionsPerMinute = Int(v) }
        if let v = value["votes_per_second"]?.intValue { settings.votesPerSecond = Int(v) }
        if let v = value["ip_questions_per_minute"]?.intValue { settings.ipQuestionsPerMinute = Int(v) }
        if let v = value["ip_votes_per_second"]?.intValue { settings.ipVotesPerSecond = Int(v) }
        if case .bool(let v)? = value["allow_anonymous"] { settings.allowAnonymous = v }
        if let v = value["moderation"]?.stringValue, let mode = HearingSettings.Moderation(rawValue: v) { settings.moderation = mode }
        if let v = value["votes_per_address"]?.intValue { settings.votesPerAddress = Int(v) }
        return settings
    }

    public static func text(_ r: GovernmentResponse?) -> String? {
        r.map {
            JSONWriter.string(.object([
                ("responded_on", .string($0.respondedOn)), ("summary", .string($0.summary)), ("details", .string($0.details)),
                ("created_at", .int($0.createdAt.millisecondsSince1970)), ("updated_at", .int($0.updatedAt.millisecondsSince1970)),
            ]))
        }
    }

    public static func governmentResponse(_ text: String?) -> GovernmentResponse? {
        guard let text, let v = try? JSONValue.parse(Array(text.utf8)), let on = v["responded_on"]?.stringValue else { return nil }
        return GovernmentResponse(
            respondedOn: on, summary: v["summary"]?.stringValue ?? "", details: v["details"]?.stringValue ?? "",
            createdAt: Timestamp(millisecondsSince1970: v["created_at"]?.intValue ?? 0), updatedAt: Timestamp(millisecondsSince1970: v["updated_at"]?.intValue ?? 0)
        )
    }

    public static func text(_ d: DebateOutcome?) -> String? {
        d.map {
            JSONWriter.string(.object([
                ("debated_on", .string($0.debatedOn)), ("transcript_url", $0.transcriptURL.map { .string($0) } ?? .null),
                ("video_url", $0.videoURL.map { .string($0) } ?? .null), ("overview", $0.overview.map { .string($0) } ?? .null),
            ]))
        }
    }

    public static func debate(_ text: String?) -> DebateOutcome? {
        guard let text, let v = try? JSONValue.parse(Array(text.utf8)), let on = v["debated_on"]?.stringValue else { return nil }
        return DebateOutcome(debatedOn: on, transcriptURL: v["transcript_url"]?.stringValue, videoURL: v["video_url"]?.stringValue, overview: v["overview"]?.stringValue)
    }

    public static func encode(_ preview: InvalidationPreview) -> String {
        JSONWriter.string(.array(preview.petitions.map {
            .object([
                ("petition_id", .int($0.petitionID.rawValue)), ("counted", .int(Int64($0.counted))), ("pending", .int(Int64($0.pending))),
                ("held", .int(Int64($0.held))),
            ])
        }))
    }

    public static func invalidationPreview(_ text: String?) -> InvalidationPreview {
        guard let text, let value = try? JSONValue.parse(Array(text.utf8)), let array = value.arrayValue else { return InvalidationPreview(petitions: []) }
        return InvalidationPreview(petitions: array.compactMap { entry in
            guard let id = entry["petition_id"]?.intValue else { return nil }
            return .init(
                petitionID: Petition.ID(id), counted: Int(entry["counted"]?.intValue ?? 0), pending: Int(entry["pending"]?.intValue ?? 0),
                held: Int(entry["held"]?.intValue ?? 0)
            )
        })
    }
}
