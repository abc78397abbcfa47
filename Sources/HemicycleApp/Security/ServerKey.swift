@preconcurrency import Crypto
import Foundation

/// The server's HMAC key (kept in the store's secrets, so every node and restart agrees): signs participant tokens and
/// derives CSRF tokens.
struct ServerKey: Sendable {
    private let key: SymmetricKey

    init(secret: String) {
        key = SymmetricKey(data: SHA256.hash(data: Data(secret.utf8)))
    }

    /// HMAC-SHA256 of `purpose` and `message`, base64url.
    func mac(_ purpose: String, _ message: String) -> String {
        SecureToken.base64url(Data(HMAC<SHA256>.authenticationCode(for: Data("\(purpose)\n\(message)".utf8), using: key)))
    }

    // MARK: - Participant tokens

    /// A new participant's token: `<id>.<mac>`; the id is random, the MAC proves the server issued it.
    func newParticipantToken() -> (id: String, token: String) {
        let id = SecureToken.random(bytes: 16)
        return (id, "\(id).\(mac("participant", id))")
    }

    /// The participant id of a valid token, or nil for anything the server did not issue.
    func participant(fromToken token: String?) -> String? {
        guard let token, token.utf8.count < 128 else { return nil }
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let id = String(parts[0])
        return SecureToken.constantTimeEqual(String(parts[1]), mac("participant", id)) ? id : nil
    }

    // MARK: - CSRF

    /// The CSRF token of HTML forms for the holder of `binding` (a participant id, a session token, or a pre-login
    /// cookie): a MAC, so nothing needs storing, and useless to anyone without that cookie.
    func csrfToken(for binding: String) -> String { mac("csrf", binding) }

    func checkCSRF(_ token: String?, for binding: String?) -> Bool {
        guard let token, let binding else { return false }
        return SecureToken.constantTimeEqual(token, csrfToken(for: binding))
    }
}
