import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store connects: a `postgres://user:password@host:port/database?sslmode=…` URL, parsed.
///
/// `sslmode` is `disable` (plain TCP), `prefer` (the default: TLS when the server offers it, unverified), `require`
/// (TLS, the certificate not verified, as libpq's `require`) or `verify-full` (TLS, the certificate checked against the
/// system's trust roots and the host name). `host=/folder` (a query item) connects through the unix socket in that
/// folder instead of TCP. The user name and password may be percent-encoded.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    /// The folder of the server's unix socket, when given as `host=`.
    public var socketFolder: String?

    public init(user: String, password: String?, host: String, port: Int, database: String, tls: TLSMode, socketFolder: String? = nil) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
        self.socketFolder = socketFolder
    }

    /// A parse error, with a message that says what is wrong (the URL's password never appears in it).
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses `text`.
    /// - Throws: `Invalid` for anything but a complete `postgres://` or `postgresql://` URL with a user and a database.
    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw Invalid(description: "A PostgreSQL database is given as postgres://user:password@host:port/database (got a URL that is not one).")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw Invalid(description: "The PostgreSQL URL names no user (postgres://user:password@host:port/database).")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw Invalid(description: "The PostgreSQL URL names no database (postgres://user:password@host:port/database).")
        }
        var tls = TLSMode.prefer
        var socketFolder: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw Invalid(description: "sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")) (got \((item.value ?? "").prefix(40).debugDescription)).")
                }
                tls = mode
            case "host":
                guard let value = item.value, value.hasPrefix("/") else { throw Invalid(description: "host= must be the folder of a unix socket (an absolute path).") }
                socketFolder = value
            default:
                throw Invalid(description: "Unknown option \(item.name.prefix(40).debugDescription) in the PostgreSQL URL (known: sslmode, host).")
            }
        }
        let host = components.host ?? ""
        guard !host.isEmpty || socketFolder != nil else { throw Invalid(description: "The PostgreSQL URL names no host.") }
        if let port = components.port, !(1...65535).contains(port) { throw Invalid(description: "The PostgreSQL URL's port is out of range.") }
        self.init(
            user: user, password: components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }, host: host.isEmpty ? "localhost" : host,
            port: components.port ?? 5432, database: database, tls: tls, socketFolder: socketFolder
        )
    }

    /// The URL without its password (for logs).
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)\(socketFolder.map { "&host=\($0)" } ?? "")"
    }

    /// postgres-nio's configuration for this URL.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        if let socketFolder {
            return PostgresClient.Configuration(
                unixSocketPath: (socketFolder as NSString).appendingPathComponent(".s.PGSQL.\(port)"), username: user, password: password, database: database)
        }
        let tlsSetting: PostgresClient.Configuration.TLS
        switch tls {
        case .disable:
            tlsSetting = .disable
        case .prefer:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tlsSetting = .prefer(configuration)
        case .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tlsSetting = .require(configuration)
        case .verifyFull:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .fullVerification
            tlsSetting = .require(configuration)
        }
        return PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tlsSetting)
    }
}
