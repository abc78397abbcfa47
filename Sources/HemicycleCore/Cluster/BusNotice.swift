/// The payload of the one `NOTIFY` a node sends per tick: which topics have new entries in the shared event log, and
/// up to which offset. Never the events themselves: woken nodes read those from the log in one query.
///
/// Wire form: `topic=offset` pairs separated by spaces (`petition:1=42 sitting:1=7`). PostgreSQL caps a payload below
/// 8,000 bytes; when the pairs do not fit in `maxBytes`, the notice is `*`: "read every topic you hold".
public struct BusNotice: Sendable, Equatable {
    /// The newest offset per topic; empty with `everything`.
    public var offsets: [Topic: UInt64]
    /// The pairs did not fit: read every topic.
    public var everything: Bool

    /// Below PostgreSQL's 8,000-byte limit, with room to spare.
    public static let maxBytes = 7_900

    public init(offsets: [Topic: UInt64] = [:], everything: Bool = false) {
        self.offsets = offsets
        self.everything = everything
    }

    /// Records that `topic` has entries up to `offset` (keeping the highest).
    public mutating func add(_ topic: Topic, _ offset: UInt64) {
        offsets[topic] = max(offsets[topic] ?? 0, offset)
    }

    public var isEmpty: Bool { offsets.isEmpty && !everything }

    /// The payload: the pairs, sorted (stable text for tests), or `*` when they exceed `maxBytes`.
    public func payload(maxBytes: Int = BusNotice.maxBytes) -> String {
        if everything { return "*" }
        var text = ""
        for (topic, offset) in offsets.sorted(by: { $0.key.description < $1.key.description }) {
            let pair = "\(topic)=\(offset)"
            if text.utf8.count + pair.utf8.count + 1 > maxBytes { return "*" }
            text += text.isEmpty ? pair : " " + pair
        }
        return text
    }

    /// Reads a payload. Pairs that are not `topic=offset` are skipped (a payload comes from any client of the
    /// database that may `NOTIFY` on the channel: it only ever causes a read).
    public init(payload: String) {
        if payload == "*" {
            self.init(everything: true)
            return
        }
        var notice = BusNotice()
        for pair in payload.split(separator: " ") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let topic = Topic(String(parts[0])), let offset = UInt64(parts[1]) else { continue }
            notice.add(topic, offset)
        }
        self = notice
    }
}
