import HemicycleCore
import NIOCore

/// Decides at the WebSocket upgrade what a connection may read, from its cookies only: the participant token
/// (checked by MAC, no I/O) and the staff session (looked up in the store only when the cookie is there, so a
/// reconnect storm of viewers costs no database reads). A staff session's topics can be taken back later
/// (`LiveStaffSessions`).
struct LiveAccessResolver: Sendable {
    let key: ServerKey
    let auth: StaffAuth
    let clock: any WallClock
    /// The bills a staff account works on (`BillStore.staffBills`), for `bill:{id}:moderation`.
    var billsOf: @Sendable (StaffMember.ID) async -> Set<Bill.ID> = { _ in [] }

    func access(cookieHeader: String?, on loop: any EventLoop) -> EventLoopFuture<LiveAccess> {
        let cookies = Cookies.parse(cookieHeader)
        let participant = key.participant(fromToken: cookies[HearingHTTP.participantCookie])
        guard let session = cookies[StaffAuth.sessionCookie], !session.isEmpty else {
            return loop.makeSucceededFuture(LiveAccess(topics: TopicAccess(participant: participant), staffSession: nil))
        }
        let promise = loop.makePromise(of: LiveAccess.self)
        let auth = auth, now = clock.now(), billsOf = billsOf
        Task {
            let member = await auth.member(sessionToken: session, now: now)
            var bills: Set<Bill.ID> = []
            if let member { bills = await billsOf(member.id) }
            var topics = Self.staffAccess(of: member, bills: bills)
            topics.participant = participant
            promise.succeed(LiveAccess(topics: topics, staffSession: topics.hasStaffTopics ? SecureToken.sha256(session) : nil))
        }
        return promise.futureResult
    }

    /// The staff topics a member's session opens: the moderation topics of the sittings they moderate or chair, all
    /// of them for an admin; none without a member or while a one-time password must be changed.
    static func staffAccess(of member: StaffMember?, bills: Set<Bill.ID> = []) -> TopicAccess {
        guard let member, !member.passwordChangeRequired else { return .public }
        return TopicAccess(
            moderationSittings: Set(member.sittings.filter { member.canReadModeration(of: $0) }), allSittings: member.role == .admin,
            moderationBills: Set(bills.filter { member.canReadModeration(bill: $0, assigned: bills) }))
    }
}
