import Foundation
import HTTPTypes
import Hummingbird

/// Adds the security headers every response carries: a Content-Security-Policy without `unsafe-inline` (scripts and
/// styles live in files; not on scripts and stylesheets themselves, where it governs nothing), `X-Content-Type-Options:
/// nosniff` and `Referrer-Policy: same-origin`; with `hsts` (the server speaks TLS itself), `Strict-Transport-Security`
/// for a year, so browsers never try plain HTTP on the site again.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// `Strict-Transport-Security`'s value, sent when the server listens with TLS.
    static var strictTransportSecurity: String { "max-age=31536000" }

    var hsts = false

    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "frame-src https:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
    }

    /// A script or a stylesheet: a type a browser never renders as a document.
    static func isSubresourceOnly(_ contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return ["text/javascript", "application/javascript", "text/css"].contains(type)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // A policy governs documents (and workers, which Hemicycle has none of): on a script or a stylesheet it does
        // nothing, yet each of a page's files would carry its 230 bytes on a first visit (the page-weight budget).
        // With nosniff, such a file is never run or shown as a document. Every other answer (pages, SVG, JSON,
        // errors) carries it.
        if !Self.isSubresourceOnly(response.headers[.contentType]) {
            // The embeddable count is meant for other sites' iframes; every other page may be framed by this site only.
            response.headers[.contentSecurityPolicy] = request.uri.path.hasPrefix("/embed/")
                ? Self.contentSecurityPolicy.replacingOccurrences(of: "frame-ancestors 'self'", with: "frame-ancestors *")
                : Self.contentSecurityPolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        // A page may ask for less (the pages behind emailed links send no referrer at all).
        let referrer = HTTPField.Name("Referrer-Policy")!
        if response.headers[referrer] == nil { response.headers[referrer] = "same-origin" }
        if hsts { response.headers[.strictTransportSecurity] = Self.strictTransportSecurity }
        return response
    }
}
