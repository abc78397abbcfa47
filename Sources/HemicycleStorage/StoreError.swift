public import HemicycleCore

/// Failures of a store that callers branch on.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        private let name: String
        /// The committer is shutting down and takes no new work.
        public static let shuttingDown = Code(name: "shutting_down")
        /// The database file could not be opened or migrated.
        public static let unavailable = Code(name: "unavailable")
        /// Stored data is not what this version understands.
        public static let corrupt = Code(name: "corrupt")
        /// A unique value is taken (e.g. a staff email).
        public static let conflict = Code(name: "conflict")
        /// The row to change does not exist.
        public static let notFound = Code(name: "not_found")
        /// The petition is not in a state that takes this (a signature confirmed after it closed, was rejected or
        /// hidden); `petitionState` says which. Nothing was changed.
        public static let notOpen = Code(name: "petition_not_open")
    }

    public var code: Code
    public var message: String
    /// With `.notOpen`: the petition's state.
    public var petitionState: PetitionState?

    public init(_ code: Code, _ message: String, petitionState: PetitionState? = nil) {
        self.code = code
        self.message = message
        self.petitionState = petitionState
    }

    /// The petition does not take what was asked in `state`.
    public static func notOpen(_ state: PetitionState) -> StoreError {
        StoreError(.notOpen, "The petition is \(state.rawValue).", petitionState: state)
    }

    public var description: String { message }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
}
