import Foundation

/// Decides whether a WebSocket upgrade may proceed, against cross-site WebSocket hijacking: a browser page from
/// another site must not open `/live` with the user's cookies.
struct OriginPolicy: Sendable {
    /// The site's own origins (`SiteAddress.isOwnOrigin`).
    let site: SiteAddress
    /// Extra origins allowed besides the site's own (`--allowed-origins`), normalised.
    let allowed: Set<String>

    init(site: SiteAddress, allowedOrigins: [String]) {
        self.site = site
        allowed = Set(allowedOrigins.map(Self.normalise))
    }

    /// `true` when there is no `Origin` (not a browser), when the origin is one of the site's own (never compared with
    /// the request's `Host`, which the client chooses), or when it is in the allow-list.
    func allows(origin: String?) -> Bool {
        guard let origin, !origin.isEmpty else { return true }
        return allowed.contains(Self.normalise(origin)) || site.isOwnOrigin(origin)
    }

    static func normalise(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
