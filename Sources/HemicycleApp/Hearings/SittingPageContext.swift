import Foundation
import HemicycleCore

/// The template contexts of sitting pages (WebClient/README.md lists the keys).
enum SittingPageContext {
    static func sitting(_ s: Sitting, language: String, localization: Localization) -> [String: Any] {
        [
            "id": "\(s.id)", "title": s.title, "committee": s.committee, "state": s.state.rawValue,
            "state_text": localization.text("sitting_state_\(s.state.rawValue)", language),
            "scheduled_start": s.scheduledStart.iso8601,
            "scheduled_start_text": "\(localization.times.date(s.scheduledStart, language)), \(localization.times.time(s.scheduledStart, language))",
            "when_text": when(s, language: language, localization: localization).text,
            "when_datetime": when(s, language: language, localization: localization).at.iso8601,
            "agenda": s.agenda, "witnesses": s.witnesses,
            "allow_anonymous": s.settings.allowAnonymous, "max_question_length": s.settings.maxQuestionLength,
            "is_ended": s.state == .ended, "is_live": s.state == .live,
        ].merging(s.streamURL.map { ["stream_url": $0] } ?? [:]) { a, _ in a }
    }

    /// `participant` adds `voted` (their own vote, for the no-JavaScript vote button).
    static func question(_ q: Question, language: String, localization: Localization, participant: String? = nil) -> [String: Any] {
        let votesKey = q.votes == 1 ? "votes_one" : "votes_other"
        return [
            "id": "\(q.id)", "text": q.text, "name_text": q.name ?? localization.text("anonymous", language), "region": q.region ?? "",
            "votes": q.votes, "votes_text": localization.text(votesKey, language).replacingOccurrences(of: "{n}", with: "\(q.votes)"),
            "edited": q.isEdited, "state": q.state.label, "state_text": localization.text("question_state_\(q.state.label)", language),
            "tag": q.tag ?? "", "is_open": q.state.isOpen, "voted": participant.map { q.voters.contains($0) || q.heldVoters.contains($0) } ?? false,
        ]
    }

    /// The sitting's time in words, by its state, in the parliament's time zone and the page's language: "Starts on
    /// 29 November 2026 at 14:05", "Started at 14:05", "Ended at 16:10" (with the date when it is another day than
    /// the start).
    static func when(_ s: Sitting, language: String, localization: Localization) -> (text: String, at: Timestamp) {
        let times = localization.times
        func text(_ key: String, _ at: Timestamp) -> String {
            localization.text(key, language, ["date": times.date(at, language), "time": times.time(at, language)])
        }
        switch s.state {
        case .scheduled: return (text("sitting_when_scheduled", s.scheduledStart), s.scheduledStart)
        case .live:
            let started = s.streamStartedAt ?? s.scheduledStart
            return (text("sitting_when_live", started), started)
        case .ended:
            let ended = s.endedAt ?? s.scheduledStart
            return (text(times.sameDay(ended, s.scheduledStart) ? "sitting_when_ended" : "sitting_when_ended_on", ended), ended)
        }
    }

    /// `2026-11-29 14:05 UTC`.
    static func humanTime(_ t: Timestamp) -> String {
        let iso = t.iso8601
        return "\(iso.prefix(10)) \(iso.dropFirst(11).prefix(5)) UTC"
    }

    /// `h:mm:ss` or `m:ss`, as video chapters write stream times.
    static func streamTime(_ seconds: Int) -> String {
        let h = seconds / 3600, m = (seconds / 60) % 60, s = seconds % 60
        let ss = s < 10 ? "0\(s)" : "\(s)"
        if h > 0 { return "\(h):\(m < 10 ? "0\(m)" : "\(m)"):\(ss)" }
        return "\(m):\(ss)"
    }
}
