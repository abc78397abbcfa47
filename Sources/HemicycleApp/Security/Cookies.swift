import HTTPTypes

/// Reading the `Cookie` header and writing `Set-Cookie` values. Hummingbird has cookie types too, but it reads them
/// from a request we do not have at the WebSocket upgrade (a NIO `HTTPRequestHead`), so one small parser serves both.
enum Cookies {
    /// The cookies of a `Cookie` header value (`a=1; b=2`); later duplicates are ignored.
    static func parse(_ header: String?) -> [String: String] {
        guard let header else { return [:] }
        var cookies: [String: String] = [:]
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = pair[0].trimmingPrefix(" ")
            if cookies[String(name)] == nil { cookies[String(name)] = String(pair[1]) }
        }
        return cookies
    }

    /// The cookies of a request (all its `Cookie` fields).
    static func parse(_ fields: HTTPFields) -> [String: String] {
        parse(fields[values: .cookie].joined(separator: "; "))
    }

    /// A `Set-Cookie` value: HttpOnly, SameSite, path `/`, Secure over TLS.
    static func set(_ name: String, _ value: String, maxAgeSeconds: Int?, secure: Bool, sameSite: String = "Lax") -> String {
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=\(sameSite)"]
        if let maxAgeSeconds { parts.append("Max-Age=\(maxAgeSeconds)") }
        if secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }
}
