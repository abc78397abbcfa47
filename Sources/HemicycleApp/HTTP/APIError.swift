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

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, fields: FieldErrors? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response.json(APIErrorBody.json(code: code, message: message, fields: fields), status: status)
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

    /// An HTML page.
    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
