import HemicycleCore

/// The topics one connection holds, without a heap allocation for the usual case of one topic (a viewer watching
/// one petition or one sitting). At most `max_topics` (100) entries, so lookups scan.
struct TopicList: Sendable {
    private var first: Topic?
    private var rest: [Topic] = []

    var count: Int { (first == nil ? 0 : 1) + rest.count }

    /// Every topic held.
    var all: [Topic] { (first.map { [$0] } ?? []) + rest }

    func contains(_ topic: Topic) -> Bool {
        first == topic || rest.contains(topic)
    }

    mutating func formUnion(_ topics: [Topic]) {
        for topic in topics where !contains(topic) {
            if first == nil { first = topic } else { rest.append(topic) }
        }
    }

    mutating func subtract(_ topics: [Topic]) {
        rest.removeAll { topics.contains($0) }
        if let current = first, topics.contains(current) {
            first = rest.isEmpty ? nil : rest.removeFirst()
        }
    }
}
