public import HemicycleCore
public import NIOCore

/// A subscriber as the hub sees it: a socket owned by one event loop. Every member is called on that loop only.
public protocol LiveConnection: AnyObject {
    /// Stable for the connection's life.
    var connectionID: ConnectionID { get }
    /// Set once the connection is closed; a late subscription completion must then be undone.
    var isClosed: Bool { get }
    /// Writes (or queues, for a slow reader) a broadcast frame, unless the connection has left its topic since the
    /// broadcast started (broadcasts go out in chunks). Must not block.
    func deliver(_ frame: BroadcastFrame)
    /// Writes frames that complete a subscription (snapshots, replayed events, then the reply last), in order.
    func completeSubscription(topics: [Topic], frames: [BroadcastFrame])
    /// The topic ended (`Hub.retire`) after its last frame was delivered: the connection no longer holds it.
    func topicEnded(_ topic: Topic)
    /// Writes the heartbeat ping frame, or closes the connection if it has been silent past its idle timeout.
    /// - Returns: `true` if the connection closed itself for idleness.
    func heartbeat(ping: ByteBuffer, now: NIODeadline) -> Bool
}
