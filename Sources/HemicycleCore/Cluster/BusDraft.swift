/// An entry a node is about to append to the shared event log: a `BusEntry` before the database numbers it.
public struct BusDraft: Sendable, Equatable {
    /// The entry's data: given, or read by the database in the statement that numbers the entry.
    public enum Data: Sendable, Equatable {
        case value(JSONValue)
        /// `{"signature_count": n}`, the petition's count as committed: read under the topic's lock, so that of two
        /// count entries the later offset never carries the lower count, whichever node wrote them.
        case petitionCount(Petition.ID)
    }

    public var topic: Topic
    public var kind: BusEntry.Kind
    public var name: String
    public var data: Data
    public var snapshot: BusEntry.SnapshotChange

    public init(topic: Topic, kind: BusEntry.Kind, name: String, data: Data, snapshot: BusEntry.SnapshotChange = .mergeData) {
        self.topic = topic
        self.kind = kind
        self.name = name
        self.data = data
        self.snapshot = snapshot
    }
}
