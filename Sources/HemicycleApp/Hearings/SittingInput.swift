import HTTPTypes
import HemicycleCore

/// Reads a sitting's fields from a JSON body (create and edit), with a field error for each bad one.
enum SittingInput {
    static func apply(_ body: JSONValue, to sitting: inout Sitting, requireAll: Bool) throws {
        var errors = FieldErrors()
        func text(_ key: String, max: Int, required: Bool) -> String? {
            let found: String?
            do {
                found = try body.optionalString(key)
            } catch {
                errors[key] = "Must be a string."
                return nil
            }
            guard let value = found else {
                if required { errors[key] = "This field is required." }
                return nil
            }
            switch QuestionText.validate(value, maxLength: max) {
            case .success(let clean): return clean
            case .failure(let m):
                errors[key] = m.text
                return nil
            }
        }
        if let title = text("title", max: 200, required: requireAll) { sitting.title = title }
        if let committee = text("committee", max: 200, required: requireAll) { sitting.committee = committee }
        if let start = text("scheduled_start", max: 40, required: requireAll) {
            if let time = ISOTime.parse(start) { sitting.scheduledStart = time } else { errors["scheduled_start"] = "Use an ISO 8601 time, e.g. 2026-12-01T14:00:00Z." }
        }
        if body["stream_url"] != nil {
            if case .null? = body["stream_url"] {
                sitting.streamURL = nil
            } else if let raw = body["stream_url"]?.stringValue, raw.allSatisfy(\.isWhitespace) {
                // Empty means "no stream" (the field is optional; the page's form sends it empty), not an empty text
                // for `QuestionText` to refuse.
                sitting.streamURL = nil
            } else if let url = text("stream_url", max: 500, required: false) {
                if url.lowercased().hasPrefix("https://") { sitting.streamURL = url } else {
                    errors["stream_url"] = "The stream URL must start with https://."
                }
            }
        }
        for key in ["agenda", "witnesses"] {
            guard body[key] != nil else { continue }
            guard let items = try? body.optionalStrings(key) else {
                errors[key] = "Must be a list of strings."
                continue
            }
            let clean = items.map(QuestionText.normalise).filter { !$0.isEmpty }
            if clean.count > 50 || clean.contains(where: { $0.count > 120 || $0.contains("<") || $0.contains(">") }) {
                errors[key] = "At most 50 items of at most 120 characters, without markup."
            } else if key == "agenda" { sitting.agenda = clean } else { sitting.witnesses = clean }
        }
        if let settings = body["settings"] {
            var s = sitting.settings
            func int(_ key: String, _ range: ClosedRange<Int>, _ set: (Int) -> Void) {
                guard let raw = settings[key] else { return }
                guard let n = raw.intValue, range.contains(Int(n)) else {
                    errors["settings.\(key)"] = "Must be an integer from \(range.lowerBound) to \(range.upperBound)."
                    return
                }
                set(Int(n))
            }
            int("max_question_length", 20...2000) { s.maxQuestionLength = $0 }
            int("questions_per_minute", 1...600) { s.questionsPerMinute = $0 }
            int("votes_per_second", 1...100) { s.votesPerSecond = $0 }
            int("ip_questions_per_minute", 1...100_000) { s.ipQuestionsPerMinute = $0 }
            int("ip_votes_per_second", 1...100_000) { s.ipVotesPerSecond = $0 }
            if case .null? = settings["votes_per_address"] {
                s.votesPerAddress = nil  // back to the server's default
            } else {
                int("votes_per_address", 1...100_000) { s.votesPerAddress = $0 }
            }
            if let raw = settings["allow_anonymous"] {
                if case .bool(let b) = raw { s.allowAnonymous = b } else { errors["settings.allow_anonymous"] = "Must be true or false." }
            }
            if let raw = settings["moderation"] {
                if let mode = raw.stringValue.flatMap(HearingSettings.Moderation.init(rawValue:)) { s.moderation = mode } else {
                    errors["settings.moderation"] = "Must be \"pre\" or \"post\"."
                }
            }
            sitting.settings = s
        }
        guard errors.isEmpty else { throw APIError(.unprocessableContent, "invalid_input", "Some fields are not valid.", fields: errors) }
    }
}
