import Foundation
import HemicycleCore

/// Parses ISO 8601 times as people and `<input type=datetime-local>` write them (`2026-12-01T14:00:00Z`,
/// `…00.000Z`, `…+01:00`, or without seconds); a time without a zone is taken as UTC.
enum ISOTime {
    static func parse(_ text: String) -> Timestamp? {
        let formats = ["yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mmXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"]
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in formats {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return Timestamp(millisecondsSince1970: Int64((date.timeIntervalSince1970 * 1000).rounded()))
            }
        }
        return nil
    }
}
