public import HemicycleCore

/// How much mail went to one recipient in a window (`PetitionStore.mailTally`).
public struct MailTally: Sendable, Equatable {
    /// Messages queued in the window, whatever became of them.
    public var count: Int
    /// When the oldest of them was queued (nil when none): the window frees a place at this time plus its length.
    public var oldest: Timestamp?

    public init(count: Int, oldest: Timestamp?) {
        self.count = count
        self.oldest = oldest
    }
}
