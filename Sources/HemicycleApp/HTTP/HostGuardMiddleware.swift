import HTTPTypes
import Hummingbird
import Metrics

/// Answers a request whose `Host` is not this site's before anything else runs: 400 `invalid_host` when it is missing,
/// repeated or malformed, 421 `host_not_allowed` when it names another site (DNS rebinding, a misrouted proxy). See
/// `SiteAddress` for which hosts are allowed. The probes (`/health`, `/ready`) are exempt: orchestrators call them by
/// the pod's address, and they say nothing but "ok". `/metrics` is not: a DNS-rebound page in a browser on the server's
/// own machine would read it as loopback (scrape it by a name or address listed in `--allowed-hosts`).
struct HostGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let site: SiteAddress
    static var probes: Set<String> { ["/health", "/ready"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .get || request.method == .head, Self.probes.contains(request.uri.path) {
            return try await next(request, context)
        }
        // HTTPTypes moves the first `Host` into `authority`; any further one stays among the fields.
        let hosts = (request.head.authority.map { [$0] } ?? []) + request.headers[values: hostField]
        switch site.check(hosts: hosts) {
        case .allowed:
            return try await next(request, context)
        case .invalid:
            refusedHosts.increment()
            return Response.json(
                APIErrorBody.json(code: "invalid_host", message: "Send one Host header naming this site."), status: .badRequest,
                headers: [.connection: "close"])
        case .notAllowed:
            refusedHosts.increment()
            return Response.json(
                APIErrorBody.json(code: "host_not_allowed", message: "This server does not answer for that host."), status: .misdirectedRequest,
                headers: [.connection: "close"])
        }
    }
}

/// `Host` as a field name (HTTPTypes marks `.host` unavailable: it moves the first one into `authority`).
private let hostField = HTTPField.Name("Host")!

/// Requests refused for their `Host` since start (`/metrics`).
private let refusedHosts = Counter(label: "hemicycle_requests_refused_host_total")
