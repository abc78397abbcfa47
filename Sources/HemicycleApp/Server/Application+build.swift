import HemicycleCore
import HemicycleHub
import HemicycleStorage
public import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
public import Prometheus

/// The type of the application `buildApplication` returns.
public typealias HemicycleApplication = Application<RouterResponder<HemicycleRequestContext>>

/// Builds the whole server on `store`: migrates and (optionally) seeds it, declares live topics, and wires the hub,
/// the signature committer, the routes and the `/live` endpoint. Run it with `runService()`.
/// - Parameters:
///   - metrics: the Prometheus registry `/metrics` exports (the executable bootstraps swift-metrics with it).
/// - Throws: `Mailer.CommandError` when `sendmailCommand` would read recipients from the headers (`-t`) or
///   `mailFrom` is not a mailbox, before anything starts.
public func buildApplication(
    configuration: AppConfiguration, store: any HemicycleStore, logger: Logger, metrics: PrometheusCollectorRegistry? = nil
) async throws -> HemicycleApplication {
    if let flag = Mailer.recipientsFromHeadersFlag(configuration.sendmailCommand) {
        throw Mailer.CommandError(message: "The sendmail command must not read recipients from the message (\(flag)): remove it.")
    }
    let mailFrom: Mailbox
    do {
        mailFrom = try Mailbox(parsing: configuration.mailFrom)
    } catch {
        throw Mailer.CommandError(message: "--mail-from must be an address or Name <address> on one line (got \(configuration.mailFrom.prefix(100).debugDescription)).")
    }
    let clock = configuration.clock
    try await store.migrate()
    if configuration.seedDemo {
        let now = clock.now()
        let demo = DemoContent.standard(now: now, responseThreshold: configuration.responseThreshold, debateThreshold: configuration.debateThreshold)
        if try await store.seedDemoIfEmpty(demo) { logger.info("seeded the demo petition and sitting") }
    }

    let eventLoopGroup = MultiThreadedEventLoopGroup.singleton
    var hubConfiguration = configuration.hub
    if configuration.cluster != nil { hubConfiguration.presence = .shared }
    let hub = Hub(eventLoopGroup: eventLoopGroup, configuration: hubConfiguration, logger: logger, encodeFrame: WebSocketWire.text)
    // One node: publishers talk to the hub. Several: through the shared event log first (`ClusterBroker`).
    var cluster: ClusterBroker?
    if let settings = configuration.cluster {
        try await settings.log.prepare()
        cluster = ClusterBroker(hub: hub, settings: settings, tick: hubConfiguration.tick, logger: logger)
    }
    let broker: any LiveBroker = cluster ?? hub
    // Several nodes: a sitting's actions write their reliable events in their own transaction (the outbox).
    var outbox: HearingOutbox?
    if let cluster, let settings = configuration.cluster, let outboxStore = store as? any LiveOutboxStore {
        outbox = HearingOutbox(store: outboxStore, node: settings.log.node, committed: { entries in await cluster.committed(entries) })
    }
    let regions = RegionDirectory(store: store, clock: clock)
    let areas = LiveAreas(hub: broker, store: store, regions: regions, logger: logger, clock: clock)
    let countries = CountryDirectory(regions: regions, languages: configuration.languages)
    let live = LivePetitions(hub: broker, store: store, areas: areas)
    try await live.declareAll()

    let committer = SignatureCommitter(store: store, maxBatch: configuration.maxSignatureBatch, logger: logger, clock: clock)
    await committer.onCommit { result in await live.published(result) }

    // Links never come from a request's Host (see `SiteAddress`).
    let site = try SiteAddress(
        publicURL: configuration.publicURL, listenHost: configuration.host, port: configuration.port, allowedHosts: configuration.edge.allowedHosts,
        tls: configuration.tls != nil)
    // Over https (the server's own TLS, or a proxy's in front of a public https URL) cookies never travel in clear.
    let secureCookies = configuration.publicURL?.lowercased().hasPrefix("https://") == true || configuration.tls != nil
    let key = ServerKey(secret: try await store.secret(named: "server-key") { SecureToken.random(bytes: 32) })
    let auth = StaffAuth(
        store: store, sessionSeconds: configuration.staffSessionHours * 3600, secureCookies: secureCookies, bcryptCost: configuration.bcryptCost,
        loginLimits: configuration.edge.loginLimits, maxConcurrentVerifications: configuration.edge.maxConcurrentLogins
    )
    try await createFirstAdminIfNeeded(configuration: configuration, store: store, auth: auth, logger: logger)
    let hearings = HearingService(
        store: store, hub: broker, reasons: configuration.rejectionReasons, language: configuration.languages.first ?? "en", logger: logger,
        defaultVotesPerAddress: configuration.votesPerAddress,
        // A keyed hash of the address: the cap tells addresses apart without the database keeping any.
        addressTag: { address in String(key.mac("vote-address", address.value).prefix(22)) },
        clock: clock, outbox: outbox
    )
    try await hearings.loadAll()
    if let cluster {
        await cluster.observe(
            foreign: { topics in
                // Another node changed these: the rooms this node keeps for pages and snapshots are read again.
                var sittings: Set<Sitting.ID> = []
                for topic in topics {
                    switch topic {
                    case .sitting(let id), .sittingModeration(let id): sittings.insert(id)
                    default: break
                    }
                }
                for id in sittings.sorted() { await hearings.reload(id) }
            },
            lost: { topic in
                switch topic {
                case .petition(let id): return try? await store.petition(id).map(PetitionJSON.liveSnapshot)
                case .sitting(let id): return await hearings.snapshots(of: id)?.public
                case .sittingModeration(let id): return await hearings.snapshots(of: id)?.staff
                default: return nil
                }
            },
            // A sitting's snapshot is its room's: the room follows the store, an entry's snapshot its writer's room.
            current: { topic in await hearings.current(topic) },
            reconnected: {
                // Cut off from the others for a while: what this node serves is read again from the store, and what
                // still differs (a change committed whose event never reached the log) is sent.
                var differed: [Topic] = []
                for id in await hearings.sittingIDs() {
                    await hearings.reload(id)
                    for topic in [Topic.sitting(id), .sittingModeration(id)] {
                        if let snapshot = await hearings.current(topic), await hub.refresh(topic, snapshot: snapshot) { differed.append(topic) }
                    }
                }
                differed += await live.caughtUp().map(Topic.petition)
                if !differed.isEmpty {
                    logger.notice("after reconnecting, topics differed from the store and were sent again",
                                  metadata: ["topics": "\(differed.map(\.description).joined(separator: " "))"])
                }
            }
        )
    }
    let bills = BillService(store: store, hub: broker, logger: logger, clock: clock)
    if configuration.seedDemo, try await bills.seedDemo(days: 30) { logger.info("seeded the demo bill") }
    try await bills.loadAll()
    let dashboard = DashboardService(hub: broker, store: store, hearings: hearings, logger: logger, clock: clock)
    try await dashboard.declare()

    let staticFiles = try StaticFiles.shared(webRoot: configuration.webRoot, logger: logger)
    let pages = try await PageRenderer(
        directory: configuration.webRoot + "/templates", staticBase: staticFiles.base, modules: { staticFiles.modulesLoaded(by: $0) })
    let localization = try Localization(webRoot: configuration.webRoot, languages: configuration.languages, timeZone: configuration.timeZone)
    let billsOf: @Sendable (StaffMember.ID) async -> Set<Bill.ID> = { id in (try? await store.staffBills(of: id)) ?? [] }
    let staffSessions = LiveStaffSessions(auth: auth, interval: configuration.staffRecheckInterval, logger: logger, clock: clock, billsOf: billsOf)
    auth.onSessionsEnded { hashes in staffSessions.sessionsEnded(hashes) }
    auth.onAccessChanged { await staffSessions.recheck() }
    let http = HearingHTTP(
        hearings: hearings, auth: auth, key: key, participants: ParticipantIssuer(key: key, limit: configuration.participantsPerAddress), body: RequestBody(maxBytes: configuration.maxBodyBytes, site: site),
        pages: pages, localization: localization, clock: clock
    )
    let mailLimits = MailLimits(store: store, key: key, settings: configuration.mail)
    let router = Router(context: HemicycleRequestContext.self)
    router.add(middleware: HTTPWorkMiddleware(pace: hub.fanoutPace))
    router.add(middleware: HostGuardMiddleware(site: site))
    router.add(middleware: ClientAddressMiddleware(proxies: TrustedProxies(ranges: configuration.trustedProxies)))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: CompressionMiddleware())
    router.add(middleware: SecurityHeadersMiddleware(hsts: configuration.tls != nil))
    router.add(middleware: ErrorPageMiddleware(pages: pages, localization: localization))
    router.add(middleware: LanguageCookieMiddleware(localization: localization, secure: secureCookies))
    router.add(middleware: StaticFilesMiddleware(files: staticFiles))
    var busState: (@Sendable () async -> String)?
    if let cluster { busState = { await cluster.state.rawValue } }
    SiteController(
        store: store, pages: pages, metrics: metrics, metricsAllow: configuration.edge.metricsAllow, localization: localization, busState: busState,
        nodeName: configuration.cluster?.log.node, bills: bills
    ).addRoutes(to: router)
    PetitionController(
        store: store, committer: committer, pages: pages, body: http.body, csrf: http.csrfCookie,
        rejectionReasons: configuration.petitions.rejectionReasons, confirmation: configuration.signatureConfirmation,
        tokenDays: configuration.petitions.tokenDays, eligibilityStatement: configuration.petitions.eligibilityStatement,
        rateLimits: SignatureRateLimits(configuration.petitions.signRateLimits), mailLimits: mailLimits, homeCountry: configuration.petitions.homeCountry,
        regions: regions, clock: clock, countries: countries, localization: localization
    ).addRoutes(to: router)
    HearingAPIController(http: http).addRoutes(to: router)
    let staffController = StaffController(http: http)
    staffController.addRoutes(to: router)
    SittingPagesController(http: http, staffPages: staffController).addRoutes(to: router)
    SittingFormController(http: http, staffPages: staffController).addRoutes(to: router)
    StaffAccountsController(http: http, staffPages: staffController, directory: StaffDirectory(auth: auth, sittings: store, clock: { clock.now() })).addRoutes(to: router)
    DashboardController(dashboard: dashboard, http: http, bills: bills).addRoutes(to: router)
    BillController(bills: bills, http: http).addRoutes(to: router)
    let lifecycle = PetitionLifecycle(
        store: store, hub: broker, settings: configuration.petitions, responseThreshold: configuration.responseThreshold,
        debateThreshold: configuration.debateThreshold, logger: logger, clock: clock,
        countChanged: { change in await live.published(SignatureBatchResult(outcomes: [], changes: [change])) }, areas: areas,
        mailLimits: mailLimits,
        creationLimits: PetitionCreationLimits(perAddress: configuration.petitions.createLimitsPerAddress, perEmail: configuration.petitions.createLimitsPerEmail),
        mailSettings: configuration.mail, countries: countries
    )
    PetitionLifecycleController(lifecycle: lifecycle, http: http).addRoutes(to: router)
    SignatureIntegrityController(lifecycle: lifecycle, http: http, confirmation: configuration.signatureConfirmation)
        .addRoutes(to: router)
    OutreachController(store: store, hearings: hearings, pages: pages, site: site).addRoutes(to: router)
    let mailer = Mailer(store: store, command: configuration.sendmailCommand, from: mailFrom, logger: logger, interval: configuration.mailInterval, clock: clock)
    let scheduler = PetitionScheduler(lifecycle: lifecycle, interval: configuration.schedulerInterval, logger: logger, clock: clock)
    let sessionSweeper = SessionSweeper(store: store, interval: configuration.schedulerInterval, logger: logger, clock: clock)

    let live_ = configuration.live
    let originPolicy = OriginPolicy(site: site, allowedOrigins: live_.allowedOrigins)
    let edge = configuration.edge
    let connections = edge.maxConnectionsPerAddress.map { ConnectionLimiter(limit: $0, exempt: TrustedProxies(ranges: configuration.trustedProxies)) }
    let tls = configuration.tls
    let server = HTTPServerBuilder { responder in
        let channel = LiveServerChannel(
            responder: responder, hub: hub, settings: live_, originPolicy: originPolicy, accessResolver: LiveAccessResolver(key: key, auth: auth, clock: clock, billsOf: billsOf),
            site: site, headTimeout: edge.requestHeadTimeout, bodyTimeout: edge.requestBodyTimeout, connections: connections,
            staffSessions: staffSessions, secure: tls != nil, logger: logger
        )
        // HTTPS and WSS on the same port: TLS first, then the same HTTP/1.1 pipeline (live sockets write through NIO).
        if let tls { return TLSServerChannel(base: channel, certificates: tls) }
        return channel
    }
    var services: [any Service] = [
        SignatureCommitterService(committer: committer), HubService(hub: hub), dashboard, mailer, scheduler, sessionSweeper, areas, staffSessions,
        BillRefresher(bills: bills, interval: configuration.billRefreshInterval, logger: logger, clock: clock),
    ]
    if let cluster { services.append(cluster) }
    let host = configuration.host
    let onServerRunning = configuration.onServerRunning
    return Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(host, port: configuration.port), serverName: "Hemicycle", backlog: configuration.listenBacklog),
        services: services,
        onServerRunning: { channel in
            // NIO accepts at most 4 connections per loop tick by default; a reconnect storm of thousands of viewers
            // drains the listen backlog far faster with more. Hummingbird does not expose the server channel's
            // options, but they can be set once it is bound.
            try? await channel.setOption(ChannelOptions.maxMessagesPerRead, value: configuration.acceptsPerLoopTick).get()
            let port = channel.localAddress?.port ?? 0
            site.bound(port: port)
            logger.notice("Hemicycle is running. Open \(site.base)/petitions/1 (the demo petition) or \(site.base)/", metadata: ["listening": "\(host):\(port)"])
            await onServerRunning?(port)
        },
        eventLoopGroupProvider: .shared(eventLoopGroup),
        logger: logger
    )
}

/// On a fresh install (no staff account at all), creates the first admin with a one-time password that must be
/// changed at first login, and hands the credentials to `onFirstAdmin` (the command prints them once).
private func createFirstAdminIfNeeded(configuration: AppConfiguration, store: any HemicycleStore, auth: StaffAuth, logger: Logger) async throws {
    guard let email = configuration.firstAdminEmail, try await store.allStaff().isEmpty else { return }
    let password = SecureToken.random(bytes: 12)
    let member = try await store.createStaff(
        StaffMember(id: StaffMember.ID(1), email: email, name: "Administrator", role: .admin, passwordChangeRequired: true),
        passwordHash: try await auth.hash(password),
        audit: AuditEntry(at: configuration.clock.now(), staffID: nil, action: "first_admin_created", subject: "staff")
    )
    logger.notice("created the first admin account", metadata: ["email": "\(member.email)"])
    configuration.onFirstAdmin?(member.email, password)
}
