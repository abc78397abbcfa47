/// The bounded queue of frames waiting for one slow socket to drain.
///
/// Frames with a conflation key (a topic's count) replace the queued frame with the same key, so a slow reader's
/// counts collapse to the latest. The older frame is dropped and the newer one joins the back of the queue, so the
/// offsets a client receives keep rising (a `threshold` queued between two counts is not overtaken). Frames without a key must not be dropped; when they would push the queue past its
/// bounds, the queue reports overflow and the connection is closed (`CloseCode.slowConsumer`) so it can resume.
public struct OutboundQueue<Frame> {
    public let maxFrames: Int
    public let maxBytes: Int
    public private(set) var byteCount = 0
    private var items: [(key: String?, frame: Frame, bytes: Int)] = []

    public init(maxFrames: Int, maxBytes: Int) {
        self.maxFrames = maxFrames
        self.maxBytes = maxBytes
    }

    public var isEmpty: Bool { items.isEmpty }
    public var count: Int { items.count }

    /// The result of offering a frame.
    public enum EnqueueResult: Equatable {
        case queued
        /// Replaced an older frame with the same key.
        case collapsed
        /// Over the bound: the connection must be closed.
        case overflow
    }

    /// Queues a frame of `bytes` bytes; `key` marks it conflatable. Every frame counts against the bounds: snapshots
    /// and replays as much as events, so the bounds are the whole of what a reader that does not read can hold.
    public mutating func enqueue(_ frame: Frame, bytes: Int, key: String?) -> EnqueueResult {
        if let key, let index = items.firstIndex(where: { $0.key == key }) {
            byteCount += bytes - items[index].bytes
            items.remove(at: index)
            items.append((key, frame, bytes))
            return .collapsed
        }
        guard items.count < maxFrames && byteCount + bytes <= maxBytes else { return .overflow }
        items.append((key, frame, bytes))
        byteCount += bytes
        return .queued
    }

    /// Takes every queued frame, oldest first.
    public mutating func drain() -> [Frame] {
        defer {
            items.removeAll(keepingCapacity: false)
            byteCount = 0
        }
        return items.map(\.frame)
    }
}
