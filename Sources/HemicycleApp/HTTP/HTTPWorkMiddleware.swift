import HemicycleHub
import Hummingbird

/// Counts the HTTP requests in progress for the hub's fan-out pacing (`FanoutPace`): while many are (a flood of
/// signatures on a petition thousands watch), broadcasts are written in one go and spaced wider, which leaves signing
/// its share of the core and gets each count to every viewer sooner than broadcasts cut into small chunks.
struct HTTPWorkMiddleware<Context: RequestContext>: RouterMiddleware {
    let pace: FanoutPace

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        pace.requestStarted()
        defer { pace.requestFinished() }
        return try await next(request, context)
    }
}
