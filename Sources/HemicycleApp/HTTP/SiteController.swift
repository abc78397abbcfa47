import HemicycleCore
import HemicycleStorage
import Hummingbird
import NIOCore
import Prometheus

/// The home page, health, readiness and metrics.
struct SiteController: Sendable {
    typealias Context = HemicycleRequestContext
    let store: any HemicycleStore
    let pages: PageRenderer
    let metrics: PrometheusCollectorRegistry?
    /// Client addresses that may read `/metrics` (`--metrics-allow`).
    let metricsAllow: [IPAddressRange]
    /// The page's language and switcher; nil: English.
    var localization: Localization?
    /// Several nodes: the state of the shared event log's listener (`listening` when this node hears the others).
    var busState: (@Sendable () async -> String)?
    /// Several nodes: this node's name (`--node-name`), in `/ready` so that an operator (or a test) can tell which node
    /// a balancer picked.
    var nodeName: String?
    /// The consultations on draft legislation the home page lists; nil: none.
    var bills: BillService?

    func addRoutes(to router: Router<Context>) {
        router.get("/", use: home)
        router.get("/health") { _, _ in Response.json(.object([("status", "ok")])) }
        router.get("/ready", use: ready)
        router.get("/metrics", use: metricsText)
        router.get("/live") { _, _ -> Response in
            throw APIError(.upgradeRequired, "upgrade_required", "/live is a WebSocket endpoint; see Protocol/PROTOCOL.md.")
        }
    }

    /// Petitions the home page lists (newest public ones; its script subscribes to each, within `--max-topics`).
    static var homePetitions: Int { 50 }
    /// Sittings the home page lists (the next scheduled and the live ones; `/sittings` lists all).
    static var homeSittings: Int { 20 }

    @Sendable func home(_ request: Request, context: Context) async throws -> Response {
        let petitions = try await store.petitions(PetitionQuery(states: PetitionQuery.publicStates, order: .newest), limit: Self.homePetitions, offset: 0)
        let sittings = try await store.sittings(in: [.scheduled, .live], limit: Self.homeSittings)
        let language = localization?.language(for: request) ?? "en"
        var context: [String: Any] = localization?.context(for: request, title: "Hemicycle", page: "home") ?? [:]
        func text(_ key: String, _ fallback: String) -> String { localization?.text(key, language) ?? fallback }
        for (key, value) in [
            "title": "Hemicycle",
            "feeds": OutreachController.feedLinks(OutreachController.feeds.map(\.path)),
            "petitions": petitions.map {
                [
                    "id": "\($0.id)", "action": $0.action, "signature_count": "\($0.signatureCount)", "signature_count_text": CountFormat.text($0.signatureCount),
                    "unit": $0.signatureCount == 1 ? "signature" : "signatures",
                    "state_text": $0.state == .open ? "" : text("petition_state_\($0.state.rawValue)", $0.state.label),
                    "has_state": $0.state != .open,
                ]
            },
            "sittings": sittings.map {
                ["id": "\($0.id)", "title": $0.title, "state": $0.state.rawValue, "state_text": text("sitting_state_\($0.state.rawValue)", $0.state.rawValue)]
            },
        ] as [String: Any] { context[key] = value }
        if let bills {
            let now = await bills.now()
            context["consultations"] = await bills.all().compactMap { state -> [String: Any]? in
                guard let version = state.current, (try? version.checkOpen(at: now)) != nil else { return nil }
                return BillPageContext.summary(state, version: version, now: now)
            }
        }
        return .html(pages.render("home", context))
    }

    /// Ready when the store answers a read and, with several nodes, the shared event log is listened to (a node that
    /// cannot hear the others would serve stale topics: a balancer sends new clients elsewhere).
    @Sendable func ready(_ request: Request, context: Context) async throws -> Response {
        do {
            _ = try await store.petition(Petition.ID(1))
        } catch {
            return Response.json(APIErrorBody.json(code: "not_ready", message: "The database is not answering."), status: .serviceUnavailable)
        }
        guard let busState else { return Response.json(.object([("status", "ready")])) }
        let bus = await busState()
        guard bus == "listening" else {
            return Response.json(APIErrorBody.json(code: "not_ready", message: "The event bus is not connected (\(bus))."), status: .serviceUnavailable)
        }
        return Response.json(.object([("status", "ready"), ("database", "ok"), ("bus", .string(bus)), ("node", .string(nodeName ?? ""))]))
    }

    /// `/metrics` for the addresses of `--metrics-allow` only (the client's address as the trusted-proxy logic gives
    /// it, so a request a proxy forwards from outside is refused): the metrics tell an attacker how busy the server is
    /// and what it holds. Others get 403 `metrics_not_allowed`.
    @Sendable func metricsText(_ request: Request, context: Context) async throws -> Response {
        guard metricsAllow.contains(where: { $0.contains(context.clientAddress) }) else {
            throw APIError(.forbidden, "metrics_not_allowed", "The metrics are not available from your address.")
        }
        var bytes: [UInt8] = []
        metrics?.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}
