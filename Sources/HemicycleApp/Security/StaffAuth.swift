import HTTPTypes
import HemicycleCore
import HemicycleStorage
import HummingbirdBcrypt
import Logging
import NIOPosix
import Synchronization

/// Staff login, sessions and passwords.
///
/// - Passwords are bcrypt hashes (hummingbird-auth's `HummingbirdBcrypt`), checked on NIO's thread pool so a login
///   never blocks an event loop, at most `gate.limit` at once (`BcryptGate`: beyond, 429 `login_busy`).
/// - A session is a random token in the `hc_session` cookie (HttpOnly, SameSite=Strict, Secure over TLS); the store
///   keeps only its SHA-256, so a copy of the database cannot be used to log in.
/// - Login attempts are counted before the password is checked, per (email, address) and per address
///   (`LoginLimits`: 429 `rate_limited`); an unknown email costs the same bcrypt time as a wrong password and gets the
///   same answer.
/// - Changing a password ends every other session of the member; expired sessions are purged by `SessionSweeper`.
final class StaffAuth: Sendable {
    static let sessionCookie = "hc_session"
    let store: any StaffStore
    let sessionSeconds: Int
    let secureCookies: Bool
    let bcryptCost: UInt8
    private let limits: Mutex<LoginLimits>
    let gate: BcryptGate
    /// A hash to verify against when the email is unknown, so both cases take as long.
    private let dummyHash: String

    init(store: any StaffStore, sessionSeconds: Int = 12 * 3600, secureCookies: Bool, bcryptCost: UInt8 = 12,
         loginLimits: LoginLimits.Settings = .init(), maxConcurrentVerifications: Int? = nil) {
        self.store = store
        self.sessionSeconds = sessionSeconds
        self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost
        self.limits = Mutex(LoginLimits(loginLimits))
        self.gate = BcryptGate(limit: maxConcurrentVerifications)
        self.dummyHash = Bcrypt.hash(SecureToken.random(bytes: 12), cost: bcryptCost)
    }

    /// Hashes a password off the event loops (not gated: the first admin at start and password changes, which
    /// verify through the gate first).
    func hash(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    private func verify(_ password: String, hash: String) async throws -> Bool {
        try await gate.run { Bcrypt.verify(password, hash: hash) }
    }

    /// Checks the credentials and opens a session. Throws `invalid_credentials` (401), `rate_limited` (429: too many
    /// attempts for this email from this address, or from this address) or `login_busy` (429: too many bcrypt
    /// verifications running).
    func login(email: String, password: String, address: String, now: Timestamp) async throws -> (member: StaffMember, token: String) {
        let key = email.lowercased()
        var credentials: StaffCredentials?
        let matches = try await attempt(email: key, address: address, now: now) {
            credentials = try await store.staff(email: key)
            return try await verify(password, hash: credentials?.passwordHash ?? dummyHash)
        }
        // A disabled or removed account gets the answer of a wrong password (after the same bcrypt time).
        guard let credentials, matches, credentials.member.isActive else {
            try? await store.appendAudit([AuditEntry(at: now, staffID: credentials?.member.id, action: "login_failed", subject: "email:\(key)")])
            throw APIError(.unauthorized, "invalid_credentials", "The email address or the password is not right.")
        }
        let token = SecureToken.random()
        try await store.createSession(
            tokenHash: SecureToken.sha256(token), staff: credentials.member.id,
            expiresAt: Timestamp(millisecondsSince1970: now.millisecondsSince1970 + Int64(sessionSeconds) * 1000)
        )
        try await store.appendAudit([AuditEntry(at: now, staffID: credentials.member.id, action: "login", subject: "staff:\(credentials.member.id)")])
        return (credentials.member, token)
    }

    /// Checks a password as one attempt of `email` from `address`: counted before `check` runs (a concurrent burst is
    /// cut at the limit), given back when it succeeds or could not be checked (busy, or the store failed). Throws
    /// `rate_limited` over the limits.
    private func attempt(email: String, address: String, now: Timestamp, check: () async throws -> Bool) async throws -> Bool {
        let admitted: LoginLimits.Attempt
        switch limits.withLock({ $0.begin(email: email, address: address, now: now) }) {
        case .success(let attempt): admitted = attempt
        case .failure(let wait): throw APIError.rateLimited("Too many login attempts. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
        }
        let matches: Bool
        do {
            matches = try await check()
        } catch {
            limits.withLock { $0.giveBack(admitted, now: now) }
            throw error
        }
        if matches { limits.withLock { $0.giveBack(admitted, now: now) } }
        return matches
    }

    /// The staff member of a valid, unexpired session token, or nil.
    func member(sessionToken token: String?, now: Timestamp) async -> StaffMember? {
        guard let token, !token.isEmpty, token.utf8.count < 128 else { return nil }
        return await member(sessionHash: SecureToken.sha256(token), now: now)
    }

    /// The staff member of a valid, unexpired session stored under `hash` (the SHA-256 of its token), or nil. For what
    /// keeps a session's hash rather than its token (`LiveStaffSessions`).
    func member(sessionHash hash: String, now: Timestamp) async -> StaffMember? {
        guard let session = try? await store.session(tokenHash: hash), session.expiresAt > now,
            let member = try? await store.staff(id: session.staffID), member.isActive
        else { return nil }
        return member
    }

    /// Called with the token hashes of sessions that ended, so that what they opened elsewhere closes at once (the
    /// staff topics of open `/live` connections). Set once, by `buildApplication`.
    private let endedSessionsHandler = Mutex<(@Sendable ([String]) -> Void)?>(nil)

    func onSessionsEnded(_ handler: @escaping @Sendable ([String]) -> Void) {
        endedSessionsHandler.withLock { $0 = handler }
    }

    /// Reports sessions that ended (by their token hashes); call after deleting them from the store.
    func sessionsEnded(_ hashes: [String]) {
        guard !hashes.isEmpty else { return }
        endedSessionsHandler.withLock { $0 }?(hashes)
    }

    /// Called when an account's role, assignments or status changed in this process (the admin pages): rechecks the
    /// staff access of open `/live` connections now rather than at the next periodic check. Set once, by
    /// `buildApplication`.
    private let accessChangedHandler = Mutex<(@Sendable () async -> Void)?>(nil)

    func onAccessChanged(_ handler: @escaping @Sendable () async -> Void) {
        accessChangedHandler.withLock { $0 = handler }
    }

    /// Takes back at once what changed accounts may no longer read on `/live` (returns once it is done).
    func accessChanged() async {
        await accessChangedHandler.withLock { $0 }?()
    }

    /// The staff member of a request's session cookie, or nil.
    func member(of fields: HTTPFields, now: Timestamp) async -> StaffMember? {
        await member(sessionToken: Cookies.parse(fields)[Self.sessionCookie], now: now)
    }

    func logout(sessionToken token: String?, member: StaffMember?, now: Timestamp) async throws {
        guard let token else { return }
        try await store.deleteSession(tokenHash: SecureToken.sha256(token))
        sessionsEnded([SecureToken.sha256(token)])
        if let member { try await store.appendAudit([AuditEntry(at: now, staffID: member.id, action: "logout", subject: "staff:\(member.id)")]) }
    }

    /// Changes a password after checking the current one, and ends every other session of the member (a stolen
    /// session must not outlive the password change meant to shut it out). `keeping` is the token of the session
    /// that made the change. Checking the current password counts as a login attempt from `address` (a stolen session
    /// must not become a way to guess the password faster than the login allows).
    func changePassword(
        of member: StaffMember, current: String, new: String, keeping sessionToken: String?, address: String, now: Timestamp
    ) async throws {
        var errors = FieldErrors()
        if new.count < 12 { errors["new"] = "The new password must have at least 12 characters." }
        if new == current { errors["new"] = "The new password must differ from the current one." }
        guard errors.isEmpty else { throw APIError(.unprocessableContent, "invalid_input", "The new password is not acceptable.", fields: errors) }
        let matches = try await attempt(email: member.email, address: address, now: now) {
            guard let credentials = try await store.staff(email: member.email) else { return false }
            return try await verify(current, hash: credentials.passwordHash)
        }
        guard matches else {
            var fields = FieldErrors()
            fields["current"] = "This is not your current password."
            throw APIError(.unprocessableContent, "invalid_input", "The current password is not right.", fields: fields)
        }
        let cost = bcryptCost
        let newHash = try await gate.run { Bcrypt.hash(new, cost: cost) }
        try await store.setPassword(
            of: member.id, hash: newHash, changeRequired: false,
            audit: AuditEntry(at: now, staffID: member.id, action: "password_changed", subject: "staff:\(member.id)")
        )
        let ended = try await store.deleteSessions(of: member.id, except: sessionToken.map(SecureToken.sha256))
        if ended > 0 {
            try await store.appendAudit([AuditEntry(
                at: now, staffID: member.id, action: "sessions_ended", subject: "staff:\(member.id)", details: "{\"sessions\":\(ended),\"why\":\"password_changed\"}"
            )])
        }
    }

    func sessionCookie(_ token: String) -> String {
        Cookies.set(Self.sessionCookie, token, maxAgeSeconds: sessionSeconds, secure: secureCookies, sameSite: "Strict")
    }

    func clearedSessionCookie() -> String {
        Cookies.set(Self.sessionCookie, "", maxAgeSeconds: 0, secure: secureCookies, sameSite: "Strict")
    }
}
