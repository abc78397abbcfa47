import ArgumentParser
import Foundation
import HemicycleApp
import HemicyclePostgres
import HemicycleCore
import HemicycleHub
import HemicycleStorage
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `hemicycle serve`: runs the server on the store `--database` names (the embedded SQLite file by default).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (HTTP, pages and the /live WebSocket).")

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "host"))
    var host: String = ProcessInfo.processInfo.environment["HEMICYCLE_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = Int(ProcessInfo.processInfo.environment["HEMICYCLE_PORT"] ?? "") ?? 8080

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The public address of the site (e.g. https://petitions.parliament.example): every link in mail, feeds, open data and pages starts with it. Unset: http://HOST:PORT of the listening address (never the request's Host).")
    var publicURL: String? = ProcessInfo.processInfo.environment["HEMICYCLE_PUBLIC_URL"]

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp(
        "A PEM certificate chain (the site's certificate first): serve HTTPS and WSS on --port, with HSTS and Secure cookies. Needs --tls-key. SIGHUP reads both files again (a renewed certificate, without a restart).",
        valueName: "PATH"))
    var tlsCert: String? = ProcessInfo.processInfo.environment["HEMICYCLE_TLS_CERT"]

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "PATH"))
    var tlsKey: String? = ProcessInfo.processInfo.environment["HEMICYCLE_TLS_KEY"]

    @Option(name: .customLong("allowed-hosts"), help: ArgumentHelp(
        "Host names (name or name:port; repeatable or comma-separated) accepted in the Host header besides the public URL's host and the listening address (with localhost, 127.0.0.1 and [::1] on loopback). Other hosts get 421. Needed, or --public-url, when --host is a wildcard (0.0.0.0, ::).",
        valueName: "HOST"))
    var allowedHosts: [String] = ProcessInfo.processInfo.environment["HEMICYCLE_ALLOWED_HOSTS"].map { [$0] } ?? []

    @Option(name: .customLong("metrics-allow"), help: ArgumentHelp(
        "A client address or CIDR range (repeatable) that may read /metrics; the default is loopback (127.0.0.0/8 and ::1). Others get 403.", valueName: "CIDR"))
    var metricsAllow: [String] = ProcessInfo.processInfo.environment["HEMICYCLE_METRICS_ALLOW"].map { [$0] } ?? []

    @Option(help: "Seconds a client has to send a request head (the first from the connection's opening, the next on a kept-alive connection from its first byte); slower connections are closed.")
    var requestHeadTimeoutS: Int = 10

    @Option(help: "Seconds a client has to send a request body once its head arrived; slower connections are closed.")
    var requestBodyTimeoutS: Int = 30

    @Option(help: "Most connections open at once from one client address (an IPv6 /64); the excess is answered 429 and closed. Off by default: a parliament's visitors share carrier NATs.")
    var maxConnectionsPerAddress: Int?

    @Option(help: "Most bcrypt password checks at once (logins, password changes); beyond, 429 login_busy. Default: the blocking thread pool's size minus one.")
    var maxConcurrentLogins: Int?

    @Option(help: "Folder of the web client (templates, js, css).")
    var webRoot: String = ProcessInfo.processInfo.environment["HEMICYCLE_WEB_ROOT"] ?? "WebClient"

    @Flag(help: "Do not seed the demo petition and sitting on an empty database.")
    var noDemo = false

    @Option(help: "How signatures are confirmed: none (counts on submit; the demo and load tests) or email (counts once the signer confirms the emailed link; what a parliament should run).")
    var signatureConfirmation: String = ProcessInfo.processInfo.environment["HEMICYCLE_SIGNATURE_CONFIRMATION"] ?? "none"

    @Option(help: "Conflation tick for live counts, in milliseconds.")
    var tickMs: Int = Int(ProcessInfo.processInfo.environment["HEMICYCLE_TICK_MS"] ?? "") ?? 100

    @Option(help: "Heartbeat interval, in milliseconds.")
    var heartbeatMs: Int = Int(ProcessInfo.processInfo.environment["HEMICYCLE_HEARTBEAT_MS"] ?? "") ?? 25_000

    @Option(help: "Sockets a broadcast writes per turn of an event loop before HTTP work gets a turn.")
    var broadcastChunk: Int = Int(ProcessInfo.processInfo.environment["HEMICYCLE_BROADCAST_CHUNK"] ?? "") ?? 512

    @Option(help: "HTTP requests in progress from which broadcasts switch to the busy regime (0: never).")
    var busyRequests: Int = Int(ProcessInfo.processInfo.environment["HEMICYCLE_BUSY_REQUESTS"] ?? "") ?? 8

    @Option(help: "While busy: milliseconds a broadcast writes per turn of an event loop.")
    var busyBroadcastSliceMs: Int = Int(ProcessInfo.processInfo.environment["HEMICYCLE_BUSY_BROADCAST_SLICE_MS"] ?? "") ?? 250

    @Option(help: "While busy: space count updates by at least this many times the last broadcast's duration.")
    var busyBroadcastPacing: Double = Double(ProcessInfo.processInfo.environment["HEMICYCLE_BUSY_BROADCAST_PACING"] ?? "") ?? 2.5

    @Option(help: "Space count updates by at least this many times the last broadcast's duration (0: off).")
    var broadcastPacing: Double = Double(ProcessInfo.processInfo.environment["HEMICYCLE_BROADCAST_PACING"] ?? "") ?? 1

    @Option(help: "Write broadcasts straight to live sockets with send(2) while NIO holds nothing for them (on|off).")
    var liveDirectWrites: String = ProcessInfo.processInfo.environment["HEMICYCLE_LIVE_DIRECT_WRITES"] ?? "on"

    @Option(help: "Most topics one connection may subscribe to.")
    var maxTopics: Int = Int(ProcessInfo.processInfo.environment["HEMICYCLE_MAX_TOPICS"] ?? "") ?? 100

    @Option(help: "Largest inbound WebSocket message, in bytes.")
    var maxMessageBytes: Int = Int(ProcessInfo.processInfo.environment["HEMICYCLE_MAX_MESSAGE_BYTES"] ?? "") ?? 16 * 1024

    @Option(help: "Protocol errors within --abuse-window-s that close a connection (4001).")
    var abuseErrors: Int = 10

    @Option(help: "The window for --abuse-errors, in seconds.")
    var abuseWindowS: Int = 10

    @Option(help: "Comma-separated extra origins allowed to open /live (the server's own origin always is).")
    var allowedOrigins: String = ProcessInfo.processInfo.environment["HEMICYCLE_ALLOWED_ORIGINS"] ?? ""

    @Option(help: "Longest graceful shutdown, in seconds, before the remaining work is cancelled.")
    var shutdownTimeoutS: Int = 30

    @Option(help: "Event-loop threads (default: the CPUs this process may run on, so `taskset -c 0` gives one).")
    var eventLoops: Int? = Int(ProcessInfo.processInfo.environment["HEMICYCLE_EVENT_LOOPS"] ?? "")

    @Option(help: "Comma-separated page languages; the first is the default. Each needs WebClient/i18n/CODE.json.")
    var languages: String = "en,fr"

    @Option(help: "The parliament's time zone, an IANA name like Europe/London: every time a page shows is in it.")
    var timeZone: String = ProcessInfo.processInfo.environment["HEMICYCLE_TIME_ZONE"] ?? "UTC"

    @Option(help: "On a fresh install, the email of the first admin, created with a one-time password printed once.")
    var adminEmail: String = "admin@localhost"

    @Option(help: "A JSON file of the reasons moderators reject questions with: [{\"code\", \"text\": {\"en\": …, \"fr\": …}}].")
    var rejectionReasons: String?

    @Option(help: "The command that sends one RFC 5322 message read on standard input; the server appends -- and the one recipient (msmtp, postfix and exim provide `sendmail -i`). A command with -t is refused.")
    var sendmail: String = ProcessInfo.processInfo.environment["HEMICYCLE_SENDMAIL"] ?? "/usr/sbin/sendmail -i"

    @Option(help: "The From address of the mail the server sends.")
    var mailFrom: String = ProcessInfo.processInfo.environment["HEMICYCLE_MAIL_FROM"] ?? "Hemicycle <no-reply@localhost>"

    @Option(help: "Supporters (besides the creator) a new petition needs before moderation.")
    var sponsorsRequired: Int = 5

    @Option(help: "Days a petition stays open once published.")
    var petitionDays: Int = 182

    @Option(help: "Days after a petition ends (closed, rejected, hidden or abandoned) before its signers', creator's and supporters' personal data is erased.")
    var anonymiseAfterDays: Int = 182

    @Option(help: "Days after creation before a petition whose creator has not confirmed, or that has not gathered its supporters, is abandoned.")
    var abandonAfterDays: Int = 30

    @Option(help: "A statement signers must confirm (e.g. \"I am a resident of the country\"); none by default.")
    var eligibilityStatement: String?

    @Option(name: .customLong("sign-rate-limit"), help: ArgumentHelp(
        "A per-address signing limit, N/SECONDS (repeat for several; none by default). Signatures over a limit are held for review. The UK site's values: 1/60 and 5/300.",
        valueName: "N/SECONDS"))
    var signRateLimits: [String] = []

    @Option(name: .customLong("petition-create-limit"), help: ArgumentHelp(
        "Petitions one address (IPv6: its /64) may start, N/SECONDS (repeatable; default 10/86400; none for no limit). Over it: 429.",
        valueName: "N/SECONDS"))
    var petitionCreateLimits: [String] = []

    @Option(name: .customLong("petition-create-email-limit"), help: ArgumentHelp(
        "Petitions one creator email may start, N/SECONDS (repeatable; default 3/86400; none for no limit). Over it: 429.", valueName: "N/SECONDS"))
    var petitionCreateEmailLimits: [String] = []

    @Option(help: ArgumentHelp(
        "Emails one recipient may be sent, N/SECONDS (default 10/86400; none for no limit). Over it a signature is held for review, other requests get 429.",
        valueName: "N/SECONDS"))
    var mailRecipientLimit: String = "10/86400"

    @Option(name: .customLong("mail-address-limit"), help: ArgumentHelp(
        "Emails the requests of one address (IPv6: its /64) may cause, N/SECONDS (repeatable; default 100/3600; none for no limit).", valueName: "N/SECONDS"))
    var mailAddressLimits: [String] = []

    @Option(help: "Days unsent mail is retried before it is given up and erased (sent mail is erased at once).")
    var outboxRetentionDays: Int = 7

    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp(
        "A reverse proxy (address or CIDR range, repeatable) whose X-Forwarded-For gives the client's address.", valueName: "CIDR"))
    var trustedProxies: [String] = []

    @Option(help: ArgumentHelp(
        "New participants (participant cookies, needed to ask and vote) one address may get: N at once, then N per SECONDS. Counted per IPv4 address or IPv6 /64. Beyond it the sitting page shows but the visitor cannot ask or vote until the limit recovers.",
        valueName: "N/SECONDS"))
    var participantsPerAddress: String = ProcessInfo.processInfo.environment["HEMICYCLE_PARTICIPANTS_PER_ADDRESS"] ?? ParticipantLimit.standard.description

    @Option(help: "Counted votes one question takes from one address (IPv4 address or IPv6 /64) before further votes from it are held for the moderators, in sittings that set none.")
    var votesPerAddress: Int = Int(ProcessInfo.processInfo.environment["HEMICYCLE_VOTES_PER_ADDRESS"] ?? "") ?? HearingSettings.defaultVotesPerAddress

    @Option(help: "Seconds between checks of the staff sessions behind open /live connections (a role removed elsewhere closes their staff topics within this time).")
    var staffRecheckS: Int = 30

    @Option(help: "Seconds between reads of every bill from the database (1 to 3600): what `hemicycle bills` stored, such as a new version or new limits, reaches this server's pages and readers within this time.")
    var billsRefreshS: Int = 30

    @Option(help: "The two-letter country of signers who give none (for signatures_by_country); empty for none.")
    var homeCountry: String = "GB"

    @Option(help: "With the demo: a folder of region CSV files imported when the database has no regions yet.")
    var demoRegions: String = "Protocol/examples/regions"

    @Option(help: "Seconds between runs of the scheduler (closing petitions, anonymising).")
    var schedulerIntervalS: Int = 60

    @Option(help: "bcrypt cost (work factor) of new password hashes.")
    var bcryptCost: UInt8 = 12

    @Option(help: "With --database postgres://: entries of each live topic kept in the shared event log for clients resuming on any node.")
    var liveHistory: Int = 1000

    @Option(help: "With --database postgres://: and no older than this many seconds.")
    var liveHistoryAgeS: Int = 3600

    @Option(help: "With --database postgres://: this node's name in the shared event log and /ready (default: host, process and a random part).")
    var nodeName: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = ProcessInfo.processInfo.environment["HEMICYCLE_LOG_LEVEL"] ?? "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ValidationError("--public-url must start with http:// or https://.")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together: give both, or neither.") }
        if let tlsCert, let tlsKey {
            do { _ = try TLSCertificates(certificatePath: tlsCert, keyPath: tlsKey) } catch { throw ValidationError(error.description) }
        }
        guard AppConfiguration.SignatureConfirmation(rawValue: signatureConfirmation) != nil else {
            throw ValidationError("--signature-confirmation must be `none` or `email`.")
        }
        guard sponsorsRequired >= 0, petitionDays >= 1, anonymiseAfterDays >= 0, schedulerIntervalS >= 1 else {
            throw ValidationError("--sponsors-required, --petition-days, --anonymise-after-days and --scheduler-interval-s must not be negative.")
        }
        guard abandonAfterDays >= 1 else { throw ValidationError("--abandon-after-days must be at least 1.") }
        if case .failure(let error) = Mailer.checkedCommand(sendmail) { throw ValidationError(error.message) }
        guard (try? Mailbox(parsing: mailFrom)) != nil else {
            throw ValidationError("--mail-from must be an address or Name <address> on one line, like \"Petitions <petitions@parliament.example>\".")
        }
        for (option, values) in [("--petition-create-limit", petitionCreateLimits), ("--petition-create-email-limit", petitionCreateEmailLimits),
                                 ("--mail-address-limit", mailAddressLimits), ("--mail-recipient-limit", [mailRecipientLimit])] {
            guard Self.limits(values) != nil else {
                throw ValidationError("\(option) must be N/SECONDS with positive whole numbers, like 10/86400, or none (got \(values.joined(separator: ", "))).")
            }
        }
        guard outboxRetentionDays >= 1 else { throw ValidationError("--outbox-retention-days must be at least 1.") }
        let badLimits = signRateLimits.filter { !$0.contains("/") || $0.split(separator: "/").count != 2 || $0.split(separator: "/").contains { Int($0).map { $0 <= 0 } ?? true } }
        guard badLimits.isEmpty else { throw ValidationError("--sign-rate-limit must be N/SECONDS with positive whole numbers, like 5/300 (got \(badLimits.joined(separator: ", ")))." ) }
        let badProxies = trustedProxies.filter { IPAddressRange($0) == nil }
        guard badProxies.isEmpty else { throw ValidationError("--trusted-proxy must be an address or a CIDR range, like 10.0.0.0/8 (got \(badProxies.joined(separator: ", ")))." ) }
        let badMetrics = metricsAllowList.filter { IPAddressRange($0) == nil }
        guard badMetrics.isEmpty else { throw ValidationError("--metrics-allow must be an address or a CIDR range, like 10.0.0.0/8 (got \(badMetrics.joined(separator: ", ")))." ) }
        guard requestHeadTimeoutS >= 1, requestBodyTimeoutS >= 1 else {
            throw ValidationError("--request-head-timeout-s and --request-body-timeout-s must be at least 1.")
        }
        if let maxConnectionsPerAddress, maxConnectionsPerAddress < 1 { throw ValidationError("--max-connections-per-address must be at least 1.") }
        if let maxConcurrentLogins, maxConcurrentLogins < 1 { throw ValidationError("--max-concurrent-logins must be at least 1.") }
        var site = AppConfiguration()
        site.host = host
        site.port = port
        site.publicURL = publicURL
        if let tlsCert, let tlsKey { site.tls = try? TLSCertificates(certificatePath: tlsCert, keyPath: tlsKey) }
        site.edge.allowedHosts = allowedHostList
        if let problem = site.siteAddressProblem { throw ValidationError(problem) }
        guard TimeZone(identifier: timeZone) != nil, !timeZone.isEmpty else {
            throw ValidationError("--time-zone must be an IANA time zone name like Europe/London or UTC (got \(timeZone.prefix(60))).")
        }
        guard homeCountry.isEmpty || (homeCountry.count == 2 && homeCountry.allSatisfy { $0.isASCII && $0.isLetter }) else {
            throw ValidationError("--home-country must be a two-letter code like GB, or empty.")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: (webRoot as NSString).appendingPathComponent("templates"), isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--web-root \(webRoot) has no templates folder: run from the repository's root or give the WebClient folder's path.")
        }
        guard ParticipantLimit(participantsPerAddress) != nil else {
            throw ValidationError("--participants-per-address must be N/SECONDS with positive whole numbers, like 60/300 (got \(participantsPerAddress)).")
        }
        guard votesPerAddress >= 1, staffRecheckS >= 1 else { throw ValidationError("--votes-per-address and --staff-recheck-s must be positive.") }
        guard (1...3600).contains(billsRefreshS) else { throw ValidationError("--bills-refresh-s must be between 1 and 3600.") }
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 4 and 31.") }
        if let eventLoops, !(1...256).contains(eventLoops) {
            throw ValidationError("--event-loops must be between 1 and 256.")
        }
        guard ["on", "off"].contains(liveDirectWrites) else { throw ValidationError("--live-direct-writes must be on or off.") }
        guard liveHistory >= 1, liveHistoryAgeS >= 1 else { throw ValidationError("--live-history and --live-history-age-s must be positive.") }
        if let nodeName, nodeName.isEmpty || nodeName.utf8.count > 64 || !nodeName.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) {
            throw ValidationError("--node-name must be 1 to 64 letters, digits, '-', '_' or '.'.")
        }
        guard tickMs >= 1, heartbeatMs >= 100, broadcastChunk >= 1, busyRequests >= 0, busyBroadcastSliceMs >= 1, busyBroadcastPacing >= 0, broadcastPacing >= 0, maxTopics >= 1, maxMessageBytes >= 256, abuseErrors >= 1, abuseWindowS >= 1 else {
            throw ValidationError("--tick-ms, --heartbeat-ms, --broadcast-chunk, --max-topics, --max-message-bytes and the abuse limits must be positive (--busy-broadcast-slice-ms too); --busy-requests and the pacings 0 or more.")
        }
    }

    /// `--allowed-hosts` entries, each of which may be a comma-separated list.
    private var allowedHostList: [String] {
        allowedHosts.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `--metrics-allow` entries (comma-separated lists too).
    private var metricsAllowList: [String] {
        metricsAllow.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        // Before anything touches NIO's shared group: NIO sizes it by the machine's cores, not by the CPUs this
        // process is allowed on, and two loops sharing one pinned core only add context switches.
        NIOSingletons.groupLoopCountSuggestion = eventLoops ?? CPUAffinity.allowedCPUCount() ?? System.coreCount
        var logger = Logger(label: "hemicycle")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let location = try CommandStore.Location(database.databaseURL, dataDir: database.folder)
        let store = try await CommandStore.open(database, logger: logger)
        logger.info("database", metadata: ["database": "\(location)"])

        // Every error after the database is open closes it before it is reported (sqlite-nio insists).
        do {
            // PostgreSQL: any number of nodes may share it, so the live topics go through its shared event log.
            var bus: PostgresLiveBus?
            if case .postgres(let url) = location { bus = try await PostgresLiveBus.open(url: url, node: nodeName, logger: logger) }
            try await serve(store: store, logger: logger, registry: registry, bus: bus)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        logger.info("stopped cleanly")
    }

    /// Configures and runs the server on an open store until it is told to stop.
    private func serve(store: any HemicycleStore, logger: Logger, registry: PrometheusCollectorRegistry, bus: PostgresLiveBus?) async throws {
        var configuration = AppConfiguration()
        if let bus {
            var cluster = ClusterSettings(log: bus)
            cluster.historyCount = liveHistory
            cluster.historyAge = .seconds(liveHistoryAgeS)
            configuration.cluster = cluster
        }
        configuration.host = host
        configuration.port = port
        configuration.webRoot = webRoot
        configuration.publicURL = publicURL
        if let tlsCert, let tlsKey {
            do { configuration.tls = try TLSCertificates(certificatePath: tlsCert, keyPath: tlsKey) } catch { throw ValidationError(error.description) }
        }
        configuration.seedDemo = !noDemo
        configuration.languages = languages.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        configuration.firstAdminEmail = adminEmail
        configuration.timeZone = timeZone
        configuration.bcryptCost = bcryptCost
        configuration.signatureConfirmation = AppConfiguration.SignatureConfirmation(rawValue: signatureConfirmation) ?? .none
        configuration.sendmailCommand = Mailer.words(sendmail)
        configuration.mailFrom = mailFrom
        // An option not given keeps its documented default; `none` turns a limit off.
        if !petitionCreateLimits.isEmpty { configuration.petitions.createLimitsPerAddress = Self.limits(petitionCreateLimits) ?? [] }
        if !petitionCreateEmailLimits.isEmpty { configuration.petitions.createLimitsPerEmail = Self.limits(petitionCreateEmailLimits) ?? [] }
        if !mailAddressLimits.isEmpty { configuration.mail.addressLimits = Self.limits(mailAddressLimits) ?? [] }
        configuration.mail.recipientLimit = Self.limits([mailRecipientLimit])?.first
        configuration.mail.retentionDays = outboxRetentionDays
        configuration.petitions.supportersRequired = sponsorsRequired
        configuration.petitions.openDays = petitionDays
        configuration.petitions.anonymiseAfterDays = anonymiseAfterDays
        configuration.petitions.abandonAfterDays = abandonAfterDays
        configuration.petitions.eligibilityStatement = eligibilityStatement
        configuration.schedulerInterval = .seconds(schedulerIntervalS)
        _ = configuration.petitions.setSignRateLimits(signRateLimits)
        configuration.trustedProxies = trustedProxies.compactMap(IPAddressRange.init)
        configuration.participantsPerAddress = ParticipantLimit(participantsPerAddress) ?? .standard
        configuration.votesPerAddress = votesPerAddress
        configuration.staffRecheckInterval = .seconds(staffRecheckS)
        configuration.billRefreshInterval = .seconds(billsRefreshS)
        configuration.edge.allowedHosts = allowedHostList
        if !metricsAllowList.isEmpty { configuration.edge.metricsAllow = metricsAllowList.compactMap(IPAddressRange.init) }
        configuration.edge.requestHeadTimeout = .seconds(requestHeadTimeoutS)
        configuration.edge.requestBodyTimeout = .seconds(requestBodyTimeoutS)
        configuration.edge.maxConnectionsPerAddress = maxConnectionsPerAddress
        configuration.edge.maxConcurrentLogins = maxConcurrentLogins
        configuration.petitions.homeCountry = homeCountry.isEmpty ? nil : homeCountry.uppercased()
        if !noDemo { try await importDemoRegions(store: store, logger: logger) }
        if let rejectionReasons { configuration.rejectionReasons = try RejectionReasonsFile.load(path: rejectionReasons) }
        configuration.onFirstAdmin = { email, password in
            let message = """

                A first admin account was created. Log in at /staff/login with
                    email:    \(email)
                    password: \(password)
                This password is shown only now, and must be changed at the first login.


                """
            FileHandle.standardOutput.write(Data(message.utf8))
        }
        configuration.hub.tick = .milliseconds(tickMs)
        configuration.hub.heartbeat = .milliseconds(heartbeatMs)
        configuration.hub.broadcastChunk = broadcastChunk
        configuration.hub.broadcastPacing = broadcastPacing
        configuration.hub.busyRequests = busyRequests
        configuration.hub.busyBroadcastSlice = .milliseconds(busyBroadcastSliceMs)
        configuration.hub.busyBroadcastPacing = busyBroadcastPacing
        configuration.live.maxTopics = maxTopics
        configuration.live.directSocketWrites = liveDirectWrites != "off"
        configuration.live.maxMessageBytes = maxMessageBytes
        configuration.live.abuseErrors = abuseErrors
        configuration.live.abuseWindow = .seconds(abuseWindowS)
        configuration.live.allowedOrigins = allowedOrigins.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }

        let app = try await buildApplication(configuration: configuration, store: store, logger: logger, metrics: registry)
        // A deadline for the graceful shutdown, so one stuck peer cannot keep the process from exiting.
        var services: [any Service] = [app]
        // SIGHUP reloads a renewed certificate; without TLS it keeps its default action.
        if let tls = configuration.tls { services.append(TLSReloadOnHangup(certificates: tls, logger: logger)) }
        var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(shutdownTimeoutS)
        try await ServiceGroup(configuration: group).run()
    }

    /// `N/SECONDS` limits, or none for `none`; nil when one is malformed.
    static func limits(_ texts: [String]) -> [PeriodLimit]? {
        if texts == ["none"] { return [] }
        let limits = texts.compactMap(PeriodLimit.init)
        return limits.count == texts.count ? limits : nil
    }

    /// With the demo: imports the sample regions when the database has none (and the folder exists).
    private func importDemoRegions(store: any HemicycleStore, logger: Logger) async throws {
        let folder = demoRegions
        guard FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("regions.csv")) else { return }
        try await store.migrate()
        guard try await store.regionNames().regions.isEmpty else { return }
        func file(_ name: String) -> String { (folder as NSString).appendingPathComponent("\(name).csv") }
        let data = try RegionFiles.load(regions: file("regions"), constituencies: file("constituencies"), postcodes: file("postcodes"), countries: file("countries"))
        _ = try await store.importRegions(data)
        logger.info("imported the sample regions", metadata: ["folder": "\(folder)", "constituencies": "\(data.constituencies.count)"])
    }
}
