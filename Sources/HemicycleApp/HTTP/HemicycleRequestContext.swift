public import Hummingbird
public import NIOCore

/// The request context of every route: Hummingbird's basics plus the client's address (for per-IP rate limits and
/// the audit log).
public struct HemicycleRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The client's IP address as text ("unknown" when not on a socket). `ClientAddressMiddleware` replaces it with the
    /// address a trusted proxy reports in `X-Forwarded-For`.
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientAddress = remoteAddress?.ipAddress ?? "unknown"
    }
}
