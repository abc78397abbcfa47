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
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
}
