import HemicycleCore
import HemicycleHub

/// One call on the live broker, kept to be made after a commit, or written as entries of the shared event log in the
/// action's own transaction (the outbox of several nodes, `LiveOutboxStore`): the same call either way, so one node and
/// several publish the same events.
enum LivePublication: Sendable {
    /// `LiveBroker.publish(_:event:data:delivery:snapshotPatch:snapshot:)`.
    case event(Topic, event: String, data: JSONValue, delivery: Delivery, snapshotPatch: JSONValue? = nil, snapshot: JSONValue? = nil)
    /// `LiveBroker.publish(_:batch:snapshot:)`.
    case batch(Topic, events: [LiveBatchEvent], snapshot: JSONValue)

    /// Whether every subscriber must get it (a conflated event is not written in the outbox: the broker sends the
    /// latest of each once per tick, after the commit).
    var isReliable: Bool {
        if case .event(_, _, _, .conflated, _, _) = self { return false }
        return true
    }

    /// The entries of the shared event log it makes, in order: a reliable event's snapshot change as the hub would
    /// apply it (replaced, patched, or the data merged), a batch's snapshot with its last event.
    var drafts: [BusDraft] {
        switch self {
        case .event(let topic, let event, let data, let delivery, let patch, let snapshot):
            let change: BusEntry.SnapshotChange = snapshot.map { .replace($0) } ?? patch.map { .patch($0) } ?? .mergeData
            let kind: BusEntry.Kind = switch delivery {
            case .reliable: .reliable
            case .conflated: .conflated
            }
            return [BusDraft(topic: topic, kind: kind, name: event, data: .value(data), snapshot: change)]
        case .batch(let topic, let events, let snapshot):
            return events.enumerated().map { index, event in
                BusDraft(topic: topic, kind: .reliable, name: event.event, data: .value(event.data),
                         snapshot: index == events.count - 1 ? .replace(snapshot) : .patch(.object([])))
            }
        }
    }

    /// Makes the call.
    func publish(on broker: any LiveBroker) async {
        switch self {
        case .event(let topic, let event, let data, let delivery, let patch, let snapshot):
            await broker.publish(topic, event: event, data: data, delivery: delivery, snapshotPatch: patch, snapshot: snapshot)
        case .batch(let topic, let events, let snapshot):
            await broker.publish(topic, batch: events.map { ($0.event, $0.data) }, snapshot: snapshot)
        }
    }
}
