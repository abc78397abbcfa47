import HemicycleCore
import NIOCore

/// Decides at the WebSocket upgrade what a connection may read, from its cookies only: the participant token
/// (checked by MAC, no I/O) and the staff session (looked up in the store only when the cookie is there, so a
/// reconnect storm of viewers costs no database reads).
struct LiveAccessResolver: Sendable {
    let key: ServerKey
    let auth: StaffAuth

    func access(cookieHeader: String?, on loop: any EventLoop) -> EventLoopFuture<TopicAccess> {
        let cookies = Cookies.parse(cookieHeader)
        let participant = key.participant(fromToken: cookies[HearingHTTP.participantCookie])
        guard let session = cookies[StaffAuth.sessionCookie], !session.isEmpty else {
            return loop.makeSucceededFuture(participant == nil ? .public : TopicAccess(participant: participant))
        }
        let promise = loop.makePromise(of: TopicAccess.self)
        let auth = auth
        Task {
            guard let member = await auth.member(sessionToken: session, now: .now), !member.passwordChangeRequired else {
                promise.succeed(TopicAccess(participant: participant))
                return
            }
            promise.succeed(TopicAccess(
                participant: participant, moderationSittings: Set(member.sittings.filter { member.canReadModeration(of: $0) }),
                allSittings: member.role == .admin
            ))
        }
        return promise.futureResult
    }
}
