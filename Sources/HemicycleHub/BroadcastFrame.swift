public import HemicycleCore
public import NIOCore

/// One encoded message, ready to be written as is to every socket that wants it. Its bytes are complete transport
/// frames (the app's frame encoder adds the WebSocket header), so the same buffer is shared by every write.
public struct BroadcastFrame: Sendable {
    /// The wire bytes, shared (copy-on-write) by every socket.
    public let bytes: ByteBuffer
    /// The topic it belongs to.
    public let topic: Topic
    /// Set for conflatable events (a count): a slow reader keeps only the latest frame with this key.
    public let conflationKey: String?

    public init(bytes: ByteBuffer, topic: Topic, conflationKey: String?) {
        self.bytes = bytes
        self.topic = topic
        self.conflationKey = conflationKey
    }
}
