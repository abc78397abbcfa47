/// One entry of the shared event log of several nodes (PostgreSQL's `live_events`): an event, a declaration or the
/// end of a topic, numbered in the topic's offsets by the database, so that every node publishes it at the same
/// offset and a client resumes on any node.
public struct BusEntry: Sendable, Equatable {
    /// What the entry does to the topic.
    public enum Kind: String, Sendable {
        /// A reliable event: every subscriber gets it.
        case reliable
        /// A conflated event (a count): only the latest of a name matters, older ones may be skipped.
        case conflated
        /// The topic exists (again) with this snapshot (`data`); subscribers get nothing.
        case declare
        /// The topic ends with this last event (`Hub.retire`).
        case retire
    }

    /// How the entry changes the topic's snapshot.
    public enum SnapshotChange: Sendable, Equatable {
        /// Merge `data` into it.
        case mergeData
        /// Merge this patch into it.
        case patch(JSONValue)
        /// Replace it.
        case replace(JSONValue)
    }

    public var topic: Topic
    public var offset: UInt64
    public var kind: Kind
    /// The event's name (`count`, `question`…); empty for a declaration.
    public var name: String
    public var data: JSONValue
    public var snapshot: SnapshotChange
    /// The node that wrote it.
    public var node: String

    public init(topic: Topic, offset: UInt64, kind: Kind, name: String, data: JSONValue, snapshot: SnapshotChange = .mergeData, node: String) {
        self.topic = topic
        self.offset = offset
        self.kind = kind
        self.name = name
        self.data = data
        self.snapshot = snapshot
        self.node = node
    }

    /// What a node publishes of entries it read together (in offset order per topic): every entry but the conflated
    /// events that a later conflated event of the same topic and name supersedes (the per-tick conflation of several
    /// nodes: a client sees the latest count, and the skipped offsets as a gap). Order is kept.
    public static func conflate(_ entries: [BusEntry]) -> [BusEntry] {
        var latest: [String: UInt64] = [:]
        for entry in entries where entry.kind == .conflated {
            let key = "\(entry.topic)|\(entry.name)"
            latest[key] = max(latest[key] ?? 0, entry.offset)
        }
        return entries.filter { entry in
            entry.kind != .conflated || latest["\(entry.topic)|\(entry.name)"] == entry.offset
        }
    }
}
