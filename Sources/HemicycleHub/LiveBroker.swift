public import HemicycleCore

/// The seam between the publishers (petitions, counts, areas, hearings, the dashboard) and the hub: what they
/// declare, publish and retire goes through a broker, which either hands it to this process's `Hub` (one node: the
/// `Hub` itself is the broker, nothing in between), or through the shared event log of several nodes first (the
/// app's `ClusterBroker`), which then publishes it on every node's hub at the same offsets.
///
/// The calls mean what the `Hub`'s of the same names mean; a broker for several nodes may publish later (after the
/// log is written and read back) but never out of order.
public protocol LiveBroker: Sendable {
    func declare(_ topic: Topic, snapshot: JSONValue, tracksPresence: Bool) async
    func retire(_ topic: Topic, event: String, data: JSONValue) async
    func state(of topic: Topic) async -> (data: JSONValue, epoch: String, offset: UInt64)?
    func publish(_ topic: Topic, event: String, data: JSONValue, delivery: Delivery, snapshotPatch: JSONValue?, snapshot: JSONValue?) async
    func publish(_ topic: Topic, batch events: [(event: String, data: JSONValue)], snapshot: JSONValue) async
    func presence(of topic: Topic) async -> (viewers: Int, peak: Int)?
}

extension LiveBroker {
    public func declare(_ topic: Topic, snapshot: JSONValue) async {
        await declare(topic, snapshot: snapshot, tracksPresence: false)
    }

    public func publish(_ topic: Topic, event: String, data: JSONValue, delivery: Delivery, snapshotPatch: JSONValue? = nil) async {
        await publish(topic, event: event, data: data, delivery: delivery, snapshotPatch: snapshotPatch, snapshot: nil)
    }

    public func publish(_ topic: Topic, event: String, data: JSONValue, delivery: Delivery, snapshot: JSONValue) async {
        await publish(topic, event: event, data: data, delivery: delivery, snapshotPatch: nil, snapshot: snapshot)
    }
}

/// One node: publishers talk to the hub directly (the same calls, no hop, no copy).
extension Hub: LiveBroker {}
