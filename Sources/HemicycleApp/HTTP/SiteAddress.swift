import Foundation
import HemicycleCore
import Synchronization

/// The site's own address, and which `Host` and `Origin` values are its own (Protocol/HEARINGS.md §1).
///
/// Contract:
/// - `base` starts every link in mail, feeds, open data and pages: `--public-url` without a trailing slash when it is
///   set; otherwise `http://HOST:PORT` of the address the server listens on, with the port it actually bound (or, when
///   it listens on a wildcard address, the first `--allowed-hosts` entry). Never the request's `Host`, which a client
///   chooses.
/// - Allowed host names: the public URL's host, the listening address, `localhost`, `127.0.0.1` and `[::1]` when the
///   server listens on loopback or on a wildcard address, and every `--allowed-hosts` entry. A `Host` (`name[:port]`)
///   is accepted when its name is allowed; its port is not compared (a proxy may or may not pass it on).
/// - An `Origin` is the site's own when it is the public URL's origin, `http://NAME:PORT` for an allowed name and the
///   bound port, or, for a name given in `--allowed-hosts`, `http`/`https` on the default port, the bound port or the
///   port given with the name. Unlike `Host`, ports matter here: a page on another port of the same machine is
///   another origin.
/// - A wildcard listening address (`0.0.0.0`, `::`) says nothing about the site's name, so it needs `--public-url` or
///   `--allowed-hosts` (`init` throws `Misconfigured` otherwise).
final class SiteAddress: Sendable {
    /// What `check(hosts:)` says of a request's `Host`.
    enum HostCheck: Equatable, Sendable {
        case allowed
        /// No `Host`, several, or one that is not `name[:port]`: 400.
        case invalid
        /// Well formed but not this site's: 421 Misdirected Request.
        case notAllowed
    }

    struct Misconfigured: Error, CustomStringConvertible {
        let description: String
    }

    /// A host name in its compared form (lowercase, no trailing dot, IPv6 in brackets and in full) and a port.
    struct Authority: Hashable, Sendable {
        var name: String
        var port: Int?
    }

    private let publicBase: String?
    private let publicOrigin: (scheme: String, authority: Authority)?
    /// Without a public URL, the name links use, and the port when it is not the bound one.
    private let linkName: String?
    private let linkPort: Int?
    private let allowedNames: Set<String>
    /// Names given with `--allowed-hosts`, with the ports given with them.
    private let explicitNames: [String: Set<Int>]
    private let port: Atomic<Int>
    /// `https` when the server itself speaks TLS (`--tls-cert`), else `http`: the scheme of links without a public
    /// URL and of the listening address's own origin.
    private let scheme: String

    /// - Parameters:
    ///   - publicURL: `--public-url` (http or https), or nil.
    ///   - listenHost: the address the server listens on (`127.0.0.1`, `::1`, `0.0.0.0`, a name).
    ///   - port: the configured port (0 until `bound(port:)` tells the real one).
    ///   - allowedHosts: `--allowed-hosts` entries, `name` or `name:port`.
    ///   - tls: whether the server listens with TLS (its own address is then `https://HOST:PORT`).
    init(publicURL: String?, listenHost: String, port: Int, allowedHosts: [String], tls: Bool = false) throws(Misconfigured) {
        scheme = tls ? "https" : "http"
        var names = Set<String>()
        var explicit: [String: Set<Int>] = [:]
        var firstExplicit: Authority?
        for entry in allowedHosts.map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let authority = Self.parseAuthority(entry) else {
                throw Misconfigured(description: "--allowed-hosts: \(entry) is not a host name or address (name or name:port).")
            }
            names.insert(authority.name)
            explicit[authority.name, default: []].formUnion(authority.port.map { [$0] } ?? [])
            if firstExplicit == nil { firstExplicit = authority }
        }
        if let publicURL {
            guard let origin = Self.parseOrigin(publicURL) else {
                throw Misconfigured(description: "--public-url \(publicURL) is not an http:// or https:// address.")
            }
            var base = publicURL
            while base.hasSuffix("/") { base.removeLast() }
            publicBase = base
            publicOrigin = origin
            names.insert(origin.authority.name)
        } else {
            publicBase = nil
            publicOrigin = nil
        }
        let listen = Self.parseListenHost(listenHost)
        switch listen {
        case .wildcard:
            guard publicURL != nil || firstExplicit != nil else {
                throw Misconfigured(description: """
                    --host \(listenHost) listens on every address, so the server cannot tell its own name: give --public-url \
                    (the address people use, e.g. https://petitions.parliament.example) or --allowed-hosts (the names clients \
                    use to reach it).
                    """)
            }
            names.formUnion(Self.loopbackNames)
            // Links need a name: with a wildcard, the first name the operator listed (its own port, or the bound one).
            linkName = firstExplicit?.name
            linkPort = firstExplicit?.port
        case .address(let name, let display, let loopback):
            names.insert(name)
            if loopback { names.formUnion(Self.loopbackNames) }
            linkName = display
            linkPort = nil
        case .invalid:
            throw Misconfigured(description: "--host \(listenHost) is not a host name or address.")
        }
        allowedNames = names
        explicitNames = explicit
        self.port = Atomic(port)
    }

    /// Called once the server listens, with the port it bound (which differs from the configured one with port 0).
    func bound(port: Int) {
        self.port.store(port, ordering: .relaxed)
    }

    /// The start of every link: `https://petitions.parliament.example`, `http://127.0.0.1:8080`. No trailing slash.
    var base: String {
        if let publicBase { return publicBase }
        let port = linkPort ?? self.port.load(ordering: .relaxed)
        let name = linkName ?? "localhost"
        return port == Self.defaultPort(scheme) ? "\(scheme)://\(name)" : "\(scheme)://\(name):\(port)"
    }

    /// Whether `fields` (every `Host` value a request carried) name this site.
    func check(hosts fields: [String]) -> HostCheck {
        guard fields.count == 1, let authority = Self.parseAuthority(fields[0]) else { return .invalid }
        return allowedNames.contains(authority.name) ? .allowed : .notAllowed
    }

    /// Whether `origin` (an `Origin` header) is one of this site's own origins.
    func isOwnOrigin(_ origin: String) -> Bool {
        guard let (scheme, authority) = Self.parseOrigin(origin) else { return false }
        let port = authority.port ?? Self.defaultPort(scheme)
        if let publicOrigin, publicOrigin.scheme == scheme, publicOrigin.authority.name == authority.name,
            (publicOrigin.authority.port ?? Self.defaultPort(publicOrigin.scheme)) == port
        {
            return true
        }
        let bound = self.port.load(ordering: .relaxed)
        if scheme == self.scheme, allowedNames.contains(authority.name), port == bound { return true }
        if let ports = explicitNames[authority.name] {
            return port == Self.defaultPort(scheme) || port == bound || ports.contains(port)
        }
        return false
    }

    // MARK: - Parsing

    static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "[0:0:0:0:0:0:0:1]"]

    private enum Listen {
        case wildcard
        /// `name` as compared, `display` as links write it (`[::1]` rather than the full form).
        case address(name: String, display: String, loopback: Bool)
        case invalid
    }

    private static func parseListenHost(_ host: String) -> Listen {
        let text = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if text.isEmpty || text == "*" { return .wildcard }
        if let bytes = IPAddressRange.parse(text) {
            if bytes.allSatisfy({ $0 == 0 }) { return .wildcard }
            let loopback = bytes.count == 4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1]
            let display = text.contains(":") ? "[\(text.lowercased())]" : text
            guard let name = parseAuthority(display)?.name else { return .invalid }
            return .address(name: name, display: display, loopback: loopback)
        }
        guard let name = parseAuthority(text)?.name else { return .invalid }
        return .address(name: name, display: name, loopback: name == "localhost")
    }

    /// `name[:port]` or `[IPv6][:port]` in its compared form; nil for anything else (an empty name, a bad port,
    /// characters a host name does not have).
    static func parseAuthority(_ text: String) -> Authority? {
        guard !text.isEmpty, text.utf8.count <= 300 else { return nil }
        var name: String
        var rest: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let inside = String(text[text.index(after: text.startIndex)..<close])
            guard inside.contains(":"), !inside.contains("/"), let range = IPAddressRange(inside) else { return nil }
            name = range.network.count == 16 ? "[\(range.description)]" : range.description
            rest = text[text.index(after: close)...]
        } else {
            let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            name = parts[0].lowercased()
            rest = parts.count == 2 ? ":" + parts[1] : ""
            if name.hasSuffix(".") { name.removeLast() }
            guard !name.isEmpty, name.utf8.count <= 253,
                name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F })
            else { return nil }
        }
        var port: Int?
        if !rest.isEmpty {
            let digits = rest.dropFirst()
            guard rest.first == ":", (1...5).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits), value <= 65535 else {
                return nil
            }
            port = value
        }
        return Authority(name: name, port: port)
    }

    /// `scheme://authority` (an `Origin`, or the start of a URL) with an http or https scheme.
    static func parseOrigin(_ text: String) -> (scheme: String, authority: Authority)? {
        let lower = text.lowercased()
        guard let schemeEnd = lower.range(of: "://") else { return nil }
        let scheme = String(lower[..<schemeEnd.lowerBound])
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = lower[schemeEnd.upperBound...]
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<slash] }
        guard !rest.contains("@"), let authority = parseAuthority(String(rest)) else { return nil }
        return (scheme, authority)
    }

    static func defaultPort(_ scheme: String) -> Int { scheme == "https" ? 443 : 80 }
}
