public import HemicycleCore

/// Limits and checks at the HTTP edge (README, "Configuration" and "In production"; Protocol/HEARINGS.md §1).
public struct EdgeSettings: Sendable {
    /// Host names (`name` or `name:port`) accepted in `Host` besides the defaults: the public URL's host and the
    /// listening address (with `localhost`, `127.0.0.1` and `[::1]` on loopback). Others get 421.
    public var allowedHosts: [String] = []
    /// Client addresses that may read `/metrics` (the address the trusted-proxy logic gives). Others get 403.
    public var metricsAllow: [IPAddressRange] = EdgeSettings.loopback
    /// A request head must arrive within this time: the first from the connection's opening, the next on a kept-alive
    /// connection from its first byte.
    public var requestHeadTimeout: Duration = .seconds(10)
    /// A request body must arrive within this time of its head.
    public var requestBodyTimeout: Duration = .seconds(30)
    /// Concurrent connections per client address (`AddressKey`: an IPv6 /64); nil for no limit (the default:
    /// a parliament's visitors share carrier NATs). Connections from trusted proxies are not counted.
    public var maxConnectionsPerAddress: Int?
    /// bcrypt verifications at once (logins, password changes); nil for the blocking thread pool's size minus one, so
    /// that a burst of logins never holds every thread SQLite needs too. Beyond it, 429 `login_busy`.
    public var maxConcurrentLogins: Int?
    /// Login attempts counted per (email, address) and per address.
    public var loginLimits = LoginLimits.Settings()

    public static let loopback: [IPAddressRange] = [IPAddressRange("127.0.0.0/8"), IPAddressRange("::1")].compactMap { $0 }

    public init() {}
}
