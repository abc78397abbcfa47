public import HemicycleCore
public import HemicycleHub

/// Everything `hemicycle serve` can be told. Defaults are the documented ones.
public struct AppConfiguration: Sendable {
    /// How signatures are confirmed: `none` counts a signature when submitted (the demo and load tests); `email`
    /// counts it once the signer confirms the emailed link (what a parliament should run).
    public enum SignatureConfirmation: String, Sendable, CaseIterable {
        case none
        case email
    }

    public var host = "127.0.0.1"
    public var port = 8080
    /// The address the public reaches the server at (`https://petitions.parliament.example`), used in every link the
    /// server writes (mail, feeds, open data, pages). When unset, links use the listening address and bound port
    /// (`http://127.0.0.1:8080`), never the request's `Host`.
    public var publicURL: String?
    /// `--tls-cert` and `--tls-key`: HTTPS and WSS on the listening port, with HSTS and `Secure` cookies; nil for
    /// plain HTTP (behind a TLS-terminating proxy, give `--public-url https://…` and `--trusted-proxy`).
    public var tls: TLSCertificates?
    /// Host and Origin checks, timeouts, connection and login limits at the HTTP edge.
    public var edge = EdgeSettings()
    /// Where `templates/`, `js/` and `css/` live.
    public var webRoot = "WebClient"
    public var hub = HubConfiguration()
    /// Several nodes on one PostgreSQL: the shared event log and its settings (`ClusterBroker`). Nil: one node, the
    /// hub is the broker.
    public var cluster: ClusterSettings?
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` gives the client's address.
    public var trustedProxies: [IPAddressRange] = []
    public var live = LiveSettings()
    public var signatureConfirmation = SignatureConfirmation.none
    /// Largest accepted request body for API posts.
    public var maxBodyBytes = 16 * 1024
    /// Seed the demo petition and sitting on an empty database.
    public var seedDemo = true
    public var responseThreshold = 10_000
    public var debateThreshold = 100_000
    /// Most signatures committed in one transaction.
    public var maxSignatureBatch = 1000
    /// Pending connections the kernel keeps for us (reconnect storms).
    public var listenBacklog = 4096
    /// Called once the server listens, with the port it bound (useful with port 0).
    /// Connections accepted per event-loop tick (NIO's `maxMessagesPerRead` on the listening socket; NIO's default is 4).
    public var acceptsPerLoopTick: UInt = 256
    public var onServerRunning: (@Sendable (Int) async -> Void)?
    /// Page languages, first is the default; each needs `WebClient/i18n/{code}.json`.
    public var languages = ["en", "fr"]
    /// The parliament's time zone (an IANA name, `--time-zone`): every time a page shows is in it.
    public var timeZone = "UTC"
    /// bcrypt cost of new password hashes (12 in production; tests use 4 to stay fast).
    public var bcryptCost: UInt8 = 12
    /// How long a staff session lasts.
    public var staffSessionHours = 12
    /// Coded reasons for rejecting a question.
    public var rejectionReasons = RejectionReason.standard
    /// On a fresh install (no staff account), create an admin with this email and a one-time password, and hand both
    /// to `onFirstAdmin` (the command prints them). Nil: create none.
    public var firstAdminEmail: String? = "admin@localhost"
    public var onFirstAdmin: (@Sendable (_ email: String, _ password: String) -> Void)?
    /// The petition lifecycle: limits, supporters, deadlines, anonymisation, rejection reasons.
    public var petitions = PetitionSettings()
    /// How mail leaves: a command reading one RFC 5322 message on standard input, to which the server appends `--`
    /// and the message's one recipient (`sendmail -i -- ada@example.org`). A command that reads recipients from the
    /// headers (`-t`) is refused by `buildApplication`.
    public var sendmailCommand = ["/usr/sbin/sendmail", "-i"]
    /// The From of that mail (`Name <address>` or an address); `buildApplication` refuses one that is not a mailbox.
    public var mailFrom = "Hemicycle <no-reply@localhost>"
    /// Limits on outbound mail (per recipient, per client address) and how long unsent mail is kept.
    public var mail = MailSettings()
    /// How often the outbox is read and the scheduler runs.
    public var mailInterval: Duration = .seconds(1)
    public var schedulerInterval: Duration = .seconds(60)
    /// New participants (participant cookies) one address may get (`--participants-per-address N/SECONDS`).
    public var participantsPerAddress = ParticipantLimit.standard
    /// Counted votes one question takes from one address before the next are held for the moderators, in sittings
    /// that set none (`--votes-per-address`).
    public var votesPerAddress = HearingSettings.defaultVotesPerAddress
    /// How often the staff sessions behind open `/live` connections are checked again (`--staff-recheck-s`): a role
    /// or an assignment removed by `hemicycle staff` takes the staff topics away within this time.
    public var staffRecheckInterval: Duration = .seconds(30)
    /// How often every bill is read again from the store (`--bills-refresh-s`): a version published or limits changed by
    /// `hemicycle bills`, or another node's bill actions, reach this server's pages and `bill:{id}` within this time.
    public var billRefreshInterval: Duration = .seconds(30)
    /// Where every "now" of the server comes from, and what its timers sleep on (`WallClock`). Tests set a
    /// `ManualClock` (HemicycleTesting) and advance it instead of waiting.
    public var clock: any WallClock = SystemClock()

    public init() {}

    /// Why the server could not tell its own address from `host`, `publicURL` and `edge.allowedHosts` (a wildcard
    /// listening address with neither a public URL nor allowed hosts, a malformed entry), or nil when it can.
    public var siteAddressProblem: String? {
        do {
            _ = try SiteAddress(publicURL: publicURL, listenHost: host, port: port, allowedHosts: edge.allowedHosts, tls: tls != nil)
            return nil
        } catch {
            return error.description
        }
    }
}
