import Hummingbird

/// Lets only the public parts of `WebClient/` (`css/`, `js/`, `img/`, `maps/`) be served under `/static/`; templates, tests
/// and notes stay private.
struct StaticFilesGuard<Context: RequestContext>: RouterMiddleware {
    static var publicFolders: [String] { ["/static/css/", "/static/js/", "/static/img/", "/static/maps/"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/static/"), !Self.publicFolders.contains(where: { path.hasPrefix($0) }) || path.contains("..") {
            throw APIError(.notFound, "not_found", "There is nothing at this address.")
        }
        return try await next(request, context)
    }
}
