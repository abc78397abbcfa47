public import HemicycleCore

/// The bus of several nodes on one database (PostgreSQL): an event log per topic, numbered by the database, plus a
/// wake-up channel and presence reports. The app's `ClusterBroker` is its only user.
///
/// Contracts:
/// - `append` numbers each draft with its topic's next offset, in draft order, and stores it; offsets of a topic are
///   assigned under the topic's row lock and committed in that order, so a reader that sees offset n sees every
///   offset below it that was ever committed.
/// - `entries(after:)` returns, in one query, the stored entries after each given offset, oldest first per topic, and
///   names the topics whose history no longer reaches back to the given offset (`lost`).
/// - `notify` wakes every listening node (at most one call per node per tick; the notice carries no bodies).
/// - `listen` returns or throws when the connection is lost; the caller reconnects.
public protocol SharedEventLog: Sendable {
    /// This node's name in the log (entries and presence reports).
    var node: String { get }
    /// Creates the log's tables if missing (safe when nodes start together).
    func prepare() async throws
    /// The epoch and last offset of each topic, creating the topics that are new (epoch chosen at random, offset 0).
    func positions(of topics: [Topic]) async throws -> [Topic: ResumePosition]
    /// Appends drafts in one transaction and returns their entries (numbered).
    func append(_ drafts: [BusDraft]) async throws -> [BusEntry]
    /// What was stored after `offsets` (topic by topic), the epochs of those topics, and the topics whose
    /// entries after the offset were pruned (or whose epoch changed).
    func entries(after offsets: [Topic: UInt64]) async throws -> SharedEventLogRead
    /// Wakes the other nodes.
    func notify(_ notice: BusNotice) async throws
    /// Listens for notices until the connection drops (then throws) or the task is cancelled; `onListening` is called
    /// once the listen is in place (what happened before it must then be read with `entries(after:)`).
    func listen(onListening: @Sendable () async -> Void, _ onNotice: @Sendable (BusNotice) async -> Void) async throws
    /// Records this node's viewers per topic and returns every topic's tally across nodes (reports older than
    /// `expiryMilliseconds` left out; the peak kept in the database).
    func reportPresence(_ viewers: [Topic: Int], expiryMilliseconds: Int64) async throws -> [Topic: PresenceTally]
    /// Deletes entries beyond the newest `keep` of each topic and those older than `olderThanMilliseconds`;
    /// returns how many went.
    @discardableResult
    func prune(keep: Int, olderThanMilliseconds: Int64) async throws -> Int
    /// Releases the log's connections.
    func close() async throws
}

/// What `SharedEventLog.entries(after:)` read.
public struct SharedEventLogRead: Sendable {
    public var entries: [BusEntry]
    public var epochs: [Topic: String]
    /// Topics whose history no longer holds every entry after the offset asked for.
    public var lost: Set<Topic>

    public init(entries: [BusEntry], epochs: [Topic: String], lost: Set<Topic>) {
        self.entries = entries
        self.epochs = epochs
        self.lost = lost
    }
}
