import Foundation

/// Decides whether a WebSocket upgrade may proceed, against cross-site WebSocket hijacking: a browser page from
/// another site must not open `/live` with the user's cookies.
struct OriginPolicy: Sendable {
    /// Extra origins allowed besides the server's own, normalised.
    let allowed: Set<String>

    init(allowedOrigins: [String]) {
        allowed = Set(allowedOrigins.map(Self.normalise))
    }

    /// `true` when there is no `Origin` (not a browser), when the origin is the server's own (its authority equals
    /// the request's `Host`), or when it is in the allow-list.
    func allows(origin: String?, host: String?) -> Bool {
        guard let origin, !origin.isEmpty else { return true }
        let normalised = Self.normalise(origin)
        if allowed.contains(normalised) { return true }
        guard let host, !host.isEmpty, let schemeEnd = normalised.range(of: "://") else { return false }
        let scheme = normalised[..<schemeEnd.lowerBound]
        let authority = String(normalised[schemeEnd.upperBound...])
        return Self.withDefaultPort(authority, scheme: scheme) == Self.withDefaultPort(host.lowercased(), scheme: scheme)
    }

    static func normalise(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    private static func withDefaultPort(_ authority: String, scheme: Substring) -> String {
        if authority.hasPrefix("[") {
            return authority.contains("]:") ? authority : authority + (scheme == "https" ? ":443" : ":80")
        }
        return authority.contains(":") ? authority : authority + (scheme == "https" || scheme == "wss" ? ":443" : ":80")
    }
}
