/// The action does not apply to a petition in this state. Nothing changes when it is thrown.
public struct PetitionTransitionError: Error, Sendable, Equatable {
    public let action: String
    public let state: PetitionState

    public init(action: String, state: PetitionState) {
        self.action = action
        self.state = state
    }
}
