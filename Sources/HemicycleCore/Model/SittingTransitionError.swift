/// A sitting cannot move from `from` to `to` (only scheduled -> live -> ended exist).
public struct SittingTransitionError: Error, Sendable, Equatable {
    public let from: SittingState
    public let to: SittingState

    public init(from: SittingState, to: SittingState) {
        self.from = from
        self.to = to
    }
}
