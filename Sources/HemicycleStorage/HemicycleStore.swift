public import HemicycleCore

/// Everything Hemicycle keeps. Implementations: `InMemoryStore` (tests), `SQLiteStore` (the embedded default).
///
/// Contracts:
/// - `commitSignatures` stores the whole batch in one transaction and returns only after it is durable; it returns
///   one outcome per input, in input order. A throw means nothing of the batch was stored.
/// - Reads see only committed data.
/// - Every method may be called concurrently.
public protocol HemicycleStore: HearingStore, StaffStore, PetitionStore, OutboxStore, SignatureIntegrityStore, BillStore {
    /// Brings the schema to the latest version. Idempotent.
    func migrate() async throws
    /// Seeds the demo petition (id 1) and sitting (id 1) when there are no petitions and no sittings.
    /// - Returns: whether it seeded.
    func seedDemoIfEmpty(_ demo: DemoContent) async throws -> Bool
    /// One petition, or `nil`.
    func petition(_ id: Petition.ID) async throws -> Petition?
    /// The petitions `query` matches, in its order: at most `limit` (and never more than `PetitionQuery.maxLimit`),
    /// skipping the first `offset`. There is no way to read every petition: listings page, by state, from an index.
    func petitions(_ query: PetitionQuery, limit: Int, offset: Int) async throws -> [Petition]
    /// How many petitions `query` matches (for the last page's link).
    func countPetitions(_ query: PetitionQuery) async throws -> Int
    /// One sitting, or `nil`.
    func sitting(_ id: Sitting.ID) async throws -> Sitting?
    /// All sittings, by scheduled start. Only staff create sittings (a few a week), and the hearings service keeps
    /// every one in memory from the start.
    func sittings() async throws -> [Sitting]
    /// The sittings in `states`, by scheduled start, at most `limit` (the home page).
    func sittings(in states: Set<SittingState>, limit: Int) async throws -> [Sitting]
    /// Stores a batch of signatures in one transaction, updating counts and threshold stamps.
    func commitSignatures(_ batch: [PendingSignature], now: Timestamp) async throws -> SignatureBatchResult
    /// How many signatures are stored for a petition (counted from the rows, for integrity checks).
    func storedSignatureCount(_ id: Petition.ID) async throws -> Int
    /// Runs `body` unless the scheduled job `job` runs elsewhere now (another node on the same database); returns
    /// its result, or nil when it did not run. Stores one process owns (memory, SQLite) always run it; PostgreSQL
    /// holds an advisory lock named after `job` while it runs, so each scheduled job runs on one node at a time.
    func exclusively<T: Sendable>(_ job: String, _ body: () async throws -> T) async throws -> T?
    /// Releases connections. No call may follow.
    func close() async throws
}

extension HemicycleStore {
    /// One process owns the store: nothing else can run the job.
    public func exclusively<T: Sendable>(_ job: String, _ body: () async throws -> T) async throws -> T? {
        try await body()
    }
}
