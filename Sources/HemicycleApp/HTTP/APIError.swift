import HTTPTypes
import HemicycleCore
import Hummingbird
import NIOCore

/// An error answered as `{"error":{"code","message","fields"?}}` with its HTTP status.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var fields: FieldErrors?
    /// Seconds for `Retry-After` (429).
    var retryAfter: Int?
    /// The key of `message` in the page strings (`WebClient/i18n/*.json`) and its placeholders' values, for the
    /// answers people read: `localized(_:)` puts the message (and the fields' keyed messages) in a page's language.
    /// `code` never changes with the language.
    var key: String?
    var values: [String: String] = [:]

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, fields: FieldErrors? = nil, key: String? = nil, values: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.key = key
        self.values = values
    }

    /// The same error with its message and field messages in the language of `template` (a key's string in that
    /// language, nil when it has none); what has no key or no string stays in English.
    func localized(_ template: (String) -> String?) -> APIError {
        var error = self
        error.message = FieldMessage(message, key: key, values: values).localized(template)
        error.fields = fields?.localized(template)
        return error
    }

    /// What an HTML form shows for this error, in the language of `template`: each field's message, or the whole
    /// message under `form` when no field is named.
    func formErrors(_ template: (String) -> String?) -> [String: String] {
        let error = localized(template)
        var errors: [String: String] = [:]
        for entry in error.fields?.entries ?? [] { errors[entry.field] = entry.message }
        if errors.isEmpty { errors["form"] = error.message }
        return errors
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        return Response.json(APIErrorBody.json(code: code, message: message, fields: fields), status: status, headers: headers)
    }

    static func rateLimited(_ message: String, retryAfter: Int, key: String? = nil, values: [String: String] = [:]) -> APIError {
        var error = APIError(.tooManyRequests, "rate_limited", message, key: key, values: values)
        error.retryAfter = retryAfter
        return error
    }

    /// A form post without a valid CSRF token.
    static let csrfFailed = APIError(
        .forbidden, "csrf_failed", "This form has expired or did not come from this site. Reload the page and try again.", key: "error_csrf_failed")

    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }

    static func invalid(_ field: String, _ message: String) -> APIError {
        var fields = FieldErrors()
        fields[field] = message
        return APIError(.unprocessableContent, "invalid_input", message, fields: fields)
    }

    static func notFound(_ what: String) -> APIError { APIError(.notFound, "not_found", "\(what) does not exist.") }
}

extension Response {
    /// A JSON response from an already-encoded body.
    static func json(_ body: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A JSON response from a `JSONValue`.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(JSONWriter.string(value), status: status, headers: headers)
    }

    /// An HTML page. Checked with the server before each use (`no-cache`; a page may say `no-store`): its static files
    /// are cached for a year under their version, the page names the current one.
    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension APIError {
    /// A hearing action's refusal (a domain error of the core) as the API answers it: the one place where hearing
    /// errors get an HTTP status.
    init(_ error: HearingError) {
        let status: HTTPResponse.Status = switch error.kind {
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .conflict: .conflict
        case .invalid: .unprocessableContent
        }
        var fields: FieldErrors?
        if let field = error.field {
            fields = FieldErrors()
            fields?[field] = error.message
        }
        self.init(status, error.code, error.message, fields: fields)
    }
}
