import HTTPTypes
import HemicycleCore
import Hummingbird

/// Remembers a language chosen with `?lang=` (a page's language switcher) in the `hc_lang` cookie, so that the next
/// pages, and the pages that answer forms (which post without `?lang=`), are in it too; and marks HTML answers as
/// varying with the cookie and `Accept-Language`. The cookie holds one of the configured codes, never what the
/// request sent (`LanguageChoice`).
struct LanguageCookieMiddleware<Context: RequestContext>: RouterMiddleware {
    let localization: Localization
    let secure: Bool
    static var maxAgeSeconds: Int { 365 * 86_400 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if request.method == .get || request.method == .head {
            let choice = localization.choice(for: request)
            if choice.remember {
                response.headers.append(HTTPField(
                    name: .setCookie, value: Cookies.set(Localization.cookie, choice.language, maxAgeSeconds: Self.maxAgeSeconds, secure: secure)))
            }
        }
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            let vary = response.headers[.vary].map { "\($0), Cookie, Accept-Language" } ?? "Cookie, Accept-Language"
            response.headers[.vary] = vary
        }
        return response
    }
}
