import HTTPTypes
import Hummingbird
import Foundation
import Logging
import NIOHTTP1

/// Turns errors into answers a person or a program can read: JSON `{"error":{…}}` under `/api/` and for `.json`
/// paths, an HTML page elsewhere. Unexpected errors become a 500 without internals, and are logged.
struct ErrorPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: PageRenderer
    /// The page's language (its `lang` and switcher); nil: English without a switcher.
    var localization: Localization?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let raw as APIError {
            // People read the message and the fields' messages: in the request's language (`code` never changes).
            let error = localization.map { raw.localized($0.template($0.language(for: request))) } ?? raw
            if wantsJSON(request) { return try error.response(from: request, context: context) }
            // A message without a key of its own is English: a page in another language says its status in words.
            return page(error.status, error.message, request, generic: error.key == nil ? error.code : nil)
        } catch let error as any HTTPResponseError {
            let (code, message) = describe(error.status)
            if wantsJSON(request) { return Response.json(APIErrorBody.json(code: code, message: message), status: error.status) }
            return page(error.status, message, request, generic: code)
        } catch let error as HTTPParserError {
            // A malformed request, or a client gone mid-body (a slow one closed by `RequestDeadlines`): the client's
            // doing, and an attacker could otherwise write an error line per attempt.
            context.logger.debug("request not readable", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            let message = "The request could not be read."
            if wantsJSON(request) { return Response.json(APIErrorBody.json(code: "bad_request", message: message), status: .badRequest) }
            return page(.badRequest, message, request, generic: "bad_request")
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            let message = "Something went wrong on our side. Please try again."
            if wantsJSON(request) { return Response.json(APIErrorBody.json(code: "internal_error", message: message), status: .internalServerError) }
            return page(.internalServerError, message, request, generic: "internal_error")
        }
    }

    private func wantsJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        return path.hasPrefix("/api/") || path.hasSuffix(".json") || path == "/live"
            || request.headers[.accept]?.contains("application/json") == true
            || request.headers[.contentType]?.hasPrefix("application/json") == true
    }

    /// The error page in the request's language: its title by status (`error_title_{status}`, else the reason
    /// phrase), "Error {status}" (`error_caption`), and `message`. `generic` is the code of a message that has no
    /// string of its own (English): on a page in another language it gives way to `error_message_{code}` when there
    /// is one, else to the title, so that the page is all in one language.
    private func page(_ status: HTTPResponse.Status, _ message: String, _ request: Request, generic: String? = nil) -> Response {
        guard let localization else {
            let context: [String: Any] = ["title": status.reasonPhrase, "status": status.code, "message": message]
            return .html(pages.render("error", context), status: status)
        }
        let language = localization.language(for: request)
        let text = localization.template(language)
        let title = text("error_title_\(status.code)") ?? status.reasonPhrase
        var shown = message
        if let generic, language != "en" {
            shown = text("error_message_\(generic)") ?? title
        }
        var context = localization.context(for: request, title: title)
        context["title"] = title
        context["status"] = status.code
        context["caption"] = localization.text("error_caption", language, ["status": "\(status.code)"])
        context["message"] = shown
        return .html(pages.render("error", context), status: status)
    }

    private func describe(_ status: HTTPResponse.Status) -> (String, String) {
        switch status {
        case .notFound: ("not_found", "There is nothing at this address.")
        case .contentTooLarge: ("payload_too_large", "The request body is too large.")
        case .methodNotAllowed: ("method_not_allowed", "This address does not accept that method.")
        case .badRequest: ("bad_request", "The request could not be read.")
        default: (status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"), status.reasonPhrase)
        }
    }
}
