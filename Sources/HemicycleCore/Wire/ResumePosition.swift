/// Where a client left a topic: the epoch and the offset of the last snapshot or event it applied.
public struct ResumePosition: Sendable, Equatable {
    public var epoch: String
    public var offset: UInt64

    public init(epoch: String, offset: UInt64) {
        self.epoch = epoch
        self.offset = offset
    }
}
