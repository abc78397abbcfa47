import Testing

extension StoreConformance {
    /// One case of the conformance suite: a contract checked on the store a factory makes. A backend's tests run
    /// every case of `allCases` as the arguments of one parameterised test:
    ///
    ///     @Test(arguments: StoreConformance.allCases)
    ///     func sqlite(_ conformance: StoreConformance.Case) async throws {
    ///         try await conformance.run { try await SQLiteStore.open(path: freshPath(), logger: logger) }
    ///     }
    public struct Case: Sendable, CustomTestStringConvertible {
        /// The part of the suite and the contract ("HearingStoreConformance.votesAreCountedOnce").
        public let name: String
        private let body: @Sendable (StoreFactory) async throws -> Void

        public init(_ name: String, _ body: @escaping @Sendable (StoreFactory) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Checks the contract on stores from `makeStore` (it may call it more than once).
        public func run(_ makeStore: @escaping StoreFactory) async throws {
            try await body(makeStore)
        }

        public var testDescription: String { name }
    }

    /// Every case of the suite, each part's in turn.
    public static var allCases: [Case] {
        cases + HearingStoreConformance.cases + OutboxConformance.cases + PetitionListingConformance.cases
            + PetitionRetentionConformance.cases + PetitionStoreConformance.cases + SignatureIntegrityConformance.cases
            + CompletenessConformance.cases + SittingTransactionConformance.cases
            + BillStoreConformance.cases
    }
}
