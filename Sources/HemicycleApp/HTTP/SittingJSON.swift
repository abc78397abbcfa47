import HemicycleCore

/// Sittings as JSON (the live topic's snapshot).
enum SittingJSON {
    static func liveSnapshot(_ s: Sitting) -> JSONValue {
        .object([
            ("id", .int(s.id.rawValue)), ("title", .string(s.title)), ("committee", .string(s.committee)),
            ("state", .string(s.state.rawValue)),
        ])
    }
}
