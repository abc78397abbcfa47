import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// gzip for the responses worth it: text (HTML, CSS, JavaScript, JSON, SVG, CSV, Atom, plain text) of at least
/// `minimumBytes`, when the client's `Accept-Encoding` takes gzip. Every response of a compressible type says
/// `Vary: Accept-Encoding`, compressed or not, so that a shared cache keeps the two apart.
///
/// Never compressed: HEAD answers and bodiless statuses, a body that already has a `Content-Encoding` (the static files,
/// compressed once at start by `StaticFiles`), images and other binary types, bodies under `minimumBytes` (the API's
/// small JSON answers, e.g. a signature's: the sign path pays one header lookup), bodies of unknown length (streams)
/// and bodies over `maximumBytes`. A strong `ETag` becomes weak once compressed (the bytes differ).
///
/// Why not NIO's `HTTPResponseCompressor` (swift-nio-extras' NIOHTTPCompression), which we would have preferred:
/// in Hummingbird's pipeline (`LiveServerChannel`) it sits on the application's side of the HTTP/1 codec, where
/// - Hummingbird itself answers an unparsable request with a 400 that no request head preceded: the compressor then
///   takes its `Accept-Encoding` from an empty queue (`acceptQueue.removeFirst()`, a trap): one malformed request
///   would crash the server;
/// - it cannot see the request's method: the answer to a HEAD request (Hummingbird derives it from GET, with the
///   GET's `Content-Length`) gets a gzip member written after it, which corrupts the connection;
/// - it has no size threshold or type filter of its own (only a predicate on the response head).
/// Here the decision has the request and the response at hand, and zlib (the system library the server already
/// links, through `CZlib`) does the work in one call per body.
struct CompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    var minimumBytes = 1024
    var maximumBytes = 8 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard ContentCoding.isCompressible(contentType: response.headers[.contentType]) else { return response }
        Self.addVary(&response.headers)
        guard request.method != .head, response.status.code >= 200, response.status != .noContent, response.status != .notModified,
            response.headers[.contentEncoding] == nil, response.headers[.contentRange] == nil,
            !(response.headers[.cacheControl]?.lowercased().contains("no-transform") ?? false),
            let length = response.body.contentLength, length >= minimumBytes, length <= maximumBytes,
            ContentCoding.takesGzip(request.headers[values: .acceptEncoding])
        else { return response }
        let collected = ResponseBodyCollector()
        try await response.body.write(collected)
        guard let body = collected.buffer, let compressed = Gzip.compress(body), compressed.readableBytes < body.readableBytes else {
            // Sent as it was (the body was read into memory: give it back as it is).
            response.body = ResponseBody(byteBuffer: collected.buffer ?? ByteBuffer())
            return response
        }
        response.body = ResponseBody(byteBuffer: compressed)
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = "\(compressed.readableBytes)"
        if let etag = response.headers[.eTag], etag.hasPrefix("\"") { response.headers[.eTag] = "W/" + etag }
        return response
    }

    /// Adds `Accept-Encoding` to `Vary` unless it is there (or `Vary: *`).
    static func addVary(_ headers: inout HTTPFields) {
        let present = headers[values: .vary].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !present.contains("accept-encoding"), !present.contains("*") else { return }
        headers.append(HTTPField(name: .vary, value: "Accept-Encoding"))
    }
}
