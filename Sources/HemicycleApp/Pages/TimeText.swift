import Foundation
import HemicycleCore

/// Times and dates as the pages show them: in the parliament's time zone (`--time-zone`, an IANA name) and the page's
/// language, with the platform's CLDR patterns. The page scripts format the same way (`js/time-text.js`: the same
/// skeletons through `Intl.DateTimeFormat` with the same `timeZone`), so a time the server rendered and one a script
/// writes later read alike.
///
/// | method | skeleton | `en` | `fr` |
/// |---|---|---|---|
/// | `time` | `jmm` (`{hour: 'numeric', minute: '2-digit'}`) | 2:05 PM | 14:05 |
/// | `date` | `dMMMMy` (`{day: 'numeric', month: 'long', year: 'numeric'}`) | November 30, 2026 | 30 novembre 2026 |
/// | `shortDate` | `dMMM` (`{day: 'numeric', month: 'short'}`) | Nov 30 | 30 nov. |
///
/// Phrases that combine them ("Starts on {date} at {time}") come from the page strings.
final class TimeText: @unchecked Sendable {
    let timeZone: TimeZone
    /// The zone's IANA name, for `<html data-time-zone>`.
    var identifier: String { timeZone.identifier }
    private let lock = NSLock()
    private var formatters: [String: DateFormatter] = [:]

    /// Nil when `identifier` is not a time zone the platform knows.
    init?(identifier: String) {
        guard !identifier.isEmpty, let zone = TimeZone(identifier: identifier) else { return nil }
        timeZone = zone
    }

    func time(_ t: Timestamp, _ language: String) -> String { format(t, "jmm", language) }
    func date(_ t: Timestamp, _ language: String) -> String { format(t, "dMMMMy", language) }
    func shortDate(_ t: Timestamp, _ language: String) -> String { format(t, "dMMM", language) }

    /// Whether `a` and `b` fall on the same day in the zone.
    func sameDay(_ a: Timestamp, _ b: Timestamp) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.isDate(Self.date(a), inSameDayAs: Self.date(b))
    }

    /// `YYYY-MM-DD` of the day `t` falls on in the zone (for `<time datetime>` of a date).
    func day(_ t: Timestamp) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Self.date(t))
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))"
    }

    private static func date(_ t: Timestamp) -> Date { Date(timeIntervalSince1970: Double(t.millisecondsSince1970) / 1000) }

    private func format(_ t: Timestamp, _ skeleton: String, _ language: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        let key = "\(language)\u{0}\(skeleton)"
        let formatter: DateFormatter
        if let known = formatters[key] {
            formatter = known
        } else {
            formatter = DateFormatter()
            formatter.locale = Locale(identifier: language)
            formatter.timeZone = timeZone
            formatter.setLocalizedDateFormatFromTemplate(skeleton)
            formatters[key] = formatter
        }
        // ICU writes a narrow no-break space before AM/PM and in some dates; a plain space reads the same and matches
        // what the scripts write after the same normalisation.
        return formatter.string(from: Self.date(t)).replacingOccurrences(of: "\u{202F}", with: " ").replacingOccurrences(of: "\u{00A0}", with: " ")
    }
}
