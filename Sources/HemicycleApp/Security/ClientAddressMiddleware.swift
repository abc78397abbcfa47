import HTTPTypes
import Hummingbird

/// Sets `context.clientAddress` from `X-Forwarded-For` when the peer is a trusted proxy (see `TrustedProxies`).
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = HemicycleRequestContext
    let proxies: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !proxies.ranges.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = proxies.clientAddress(peer: context.clientAddress, forwardedFor: request.headers[values: .xForwardedFor])
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
