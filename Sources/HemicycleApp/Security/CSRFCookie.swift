import Hummingbird

/// CSRF tokens for forms shown before a staff session exists (the sign form, the staff login): each token is an HMAC,
/// under the server key, of a random value kept in the `hc_csrf` cookie, so nothing is stored and a token is useless
/// without the cookie, which another site can neither read nor set for this one. Pages with such a form refresh the
/// cookie (a day from the last page shown), so a form left open for hours still posts.
///
/// Forms of a participant or a staff session bind their token to that cookie instead (`ServerKey.csrfToken(for:)`).
/// Every form post is also refused when its `Origin` is not the site's own (`RequestBody.checkOrigin`).
struct CSRFCookie: Sendable {
    static let name = "hc_csrf"
    static let maxAgeSeconds = 86_400
    let key: ServerKey
    let secure: Bool

    /// The request's binding (its `hc_csrf` value, or a new one) and the `Set-Cookie` that keeps it for a day more.
    func binding(_ request: Request) -> (value: String, setCookie: String) {
        let value = Self.existing(request) ?? SecureToken.random(bytes: 16)
        // Lax, not Strict: a person arriving from a link on another site must keep the cookie the page's token is
        // bound to (a Strict cookie is not sent then, and a new one would break the forms of their other tabs).
        return (value, Cookies.set(Self.name, value, maxAgeSeconds: Self.maxAgeSeconds, secure: secure, sameSite: "Lax"))
    }

    /// The token a page renders for `binding`.
    func token(for binding: String) -> String { key.csrfToken(for: "form:\(binding)") }

    /// Whether `token` (the form's `csrf_token`) belongs to the request's `hc_csrf` cookie.
    func check(_ token: String?, _ request: Request) -> Bool {
        guard let binding = Self.existing(request) else { return false }
        return key.checkCSRF(token, for: "form:\(binding)")
    }

    /// The request's `hc_csrf` value when it is one the server could have issued (base64url, sensible length): the page
    /// sends it back in `Set-Cookie`, so nothing else is echoed.
    private static func existing(_ request: Request) -> String? {
        guard let value = Cookies.parse(request.headers)[name], (20..<100).contains(value.utf8.count),
            value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F })
        else { return nil }
        return value
    }
}
