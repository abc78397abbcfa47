import Hummingbird

/// The address links in emails and open data start with: `--public-url` when set (without a trailing slash), otherwise
/// `http://` and the request's `Host`.
enum SiteAddress {
    static func base(_ request: Request, publicURL: String?) -> String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        return "http://\(request.head.authority ?? "localhost")"
    }
}
