import HemicycleCore
import HemicycleHub
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The open `/live` connections that hold staff topics, by staff session. Access is decided at the upgrade; this is
/// what takes it back from a socket that is already open:
/// - a logout (JSON or form) ends the session: `StaffAuth` reports it and its connections lose every staff topic at
///   once;
/// - every `interval` (30 s by default) each session is checked again against the store: an expired or deleted
///   session, a one-time password to change, a role or an assignment removed (also by `hemicycle staff` from another
///   process) take away the staff topics it no longer grants.
///
/// A connection that loses a topic it holds receives an `access_revoked` error naming it, and the topic is dropped
/// (Protocol/PROTOCOL.md §2.3); the socket and its public topics stay. Access is only ever narrowed, never widened:
/// a new role applies to the next connection.
final class LiveStaffSessions: Service, Sendable {
    private struct Entry: Sendable {
        let session: String
        let loop: any EventLoop
        /// Touched on `loop` only.
        let handler: NIOLoopBound<LiveConnectionHandler>
    }

    private let entries = Mutex<[ConnectionID: Entry]>([:])
    let interval: Duration
    private let auth: StaffAuth
    private let logger: Logger
    private let clock: any WallClock
    /// The bills a staff account works on (`BillStore.staffBills`).
    private let billsOf: @Sendable (StaffMember.ID) async -> Set<Bill.ID>

    init(
        auth: StaffAuth, interval: Duration = .seconds(30), logger: Logger, clock: any WallClock,
        billsOf: @escaping @Sendable (StaffMember.ID) async -> Set<Bill.ID> = { _ in [] }
    ) {
        self.auth = auth
        self.billsOf = billsOf
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    /// How many connections hold staff access now.
    var count: Int { entries.withLock { $0.count } }

    /// Called on the connection's loop when it opens with staff access.
    func register(_ handler: LiveConnectionHandler, session: String, on loop: any EventLoop) {
        let entry = Entry(session: session, loop: loop, handler: NIOLoopBound(handler, eventLoop: loop))
        entries.withLock { $0[handler.connectionID] = entry }
    }

    func unregister(_ id: ConnectionID) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// The sessions with these token hashes ended: their connections lose every staff topic now.
    func sessionsEnded(_ hashes: [String]) {
        let ended = Set(hashes)
        restrict(entries.withLock { $0.values.filter { ended.contains($0.session) } }, to: .public)
    }

    /// Checks every session again now (the periodic check; tests call it directly).
    func recheck(now: Timestamp? = nil) async {
        let now = now ?? clock.now()
        let bySession = Dictionary(grouping: entries.withLock { Array($0.values) }, by: \.session)
        for (session, connections) in bySession {
            let member = await auth.member(sessionHash: session, now: now)
            var bills: Set<Bill.ID> = []
            if let member { bills = await billsOf(member.id) }
            restrict(connections, to: LiveAccessResolver.staffAccess(of: member, bills: bills))
        }
    }

    private func restrict(_ connections: [Entry], to access: TopicAccess) {
        for entry in connections {
            let handler = entry.handler
            entry.loop.execute { handler.value.restrictAccess(to: access) }
        }
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await self.clock.sleep(for: self.interval) }
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { return }
            await recheck()
        }
    }
}
