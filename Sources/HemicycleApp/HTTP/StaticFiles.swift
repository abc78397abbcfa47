import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The public files of the web root (`css/`, `js/`, `img/`, `maps/`), read once at start and served from memory under
/// `/static/`, each with its gzip made once (at zlib's best level) when it is worth it.
///
/// `version` is a digest of every file's path and contents: pages name the files as `/static/{version}/js/x.js`
/// (`PageRenderer` writes the version into the templates' `/static/` addresses), which are cached for a year as
/// `immutable`; a module's relative imports (`./dom.js`) resolve under the same version, so a page and every module it
/// imports always come from one snapshot. A change to any file makes a new version (a restart reads the files again).
/// The unversioned `/static/js/x.js` still answers, with `Cache-Control: no-cache` and an `ETag` (a 304 when it did
/// not change), as does an old version's address (the current file, `no-cache`: a page open across a deploy).
final class StaticFiles: Sendable {
    struct File: Sendable {
        let body: ByteBuffer
        let gzip: ByteBuffer?
        let contentType: String
        /// Of the identity body; the gzip has its own (`-gz` appended), since its bytes differ.
        let etag: String
    }

    static let folders = ["css", "js", "img", "maps"]
    /// Hex digits of the version (48 bits of SHA-256).
    static let versionLength = 12
    /// A file larger than this is left out (with a warning): a web root is small text and icons.
    static let maximumFileBytes = 8 << 20

    let version: String
    /// By path under `/static/`, e.g. `js/live-socket.js`.
    let files: [String: File]
    /// The static imports of each module (`js/x.js` -> `["js/dom.js", …]`, files that exist, in source order): what
    /// `modulesLoaded(by:)` follows.
    let imports: [String: [String]]

    /// The base of versioned addresses: `/static/{version}`.
    var base: String { "/static/\(version)" }

    /// The files of `webRoot`, read once per process (hashing and compressing every file is the slowest part of
    /// building an application in a debug build, and the test suite builds hundreds); a restart reads them again.
    static func shared(webRoot: String, logger: Logger) throws -> StaticFiles {
        if let known = readOnce.withLock({ $0[webRoot] }) { return known }
        let files = try StaticFiles(webRoot: webRoot, logger: logger)
        readOnce.withLock { $0[webRoot] = files }
        return files
    }

    private static let readOnce = Mutex<[String: StaticFiles]>([:])

    init(webRoot: String, logger: Logger) throws {
        var files: [String: File] = [:]
        var imports: [String: [String]] = [:]
        var digest = SHA256()
        let manager = FileManager.default
        for folder in Self.folders {
            let root = URL(fileURLWithPath: webRoot).appendingPathComponent(folder)
            guard let walker = manager.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey]) else { continue }
            var paths: [(String, URL)] = []
            for case let url as URL in walker {
                let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
                guard values?.isRegularFile == true, values?.isSymbolicLink != true, !url.lastPathComponent.hasPrefix(".") else { continue }
                let relative = url.path.dropFirst(root.path.count).trimmingPrefix("/")
                paths.append(("\(folder)/\(relative)", url))
            }
            for (path, url) in paths.sorted(by: { $0.0 < $1.0 }) {
                let data = try Data(contentsOf: url)
                guard data.count <= Self.maximumFileBytes else {
                    logger.warning("static file left out: too large", metadata: ["path": "\(path)", "bytes": "\(data.count)"])
                    continue
                }
                let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                digest.update(data: Data(path.utf8))
                digest.update(data: Data([0]))
                digest.update(data: Data(hash.utf8))
                let body = ByteBuffer(bytes: data)
                let type = Self.contentType(of: path)
                var gzip: ByteBuffer?
                if ContentCoding.isCompressible(contentType: type), body.readableBytes >= 256,
                    let compressed = Gzip.compress(body, level: Gzip.best), compressed.readableBytes < body.readableBytes
                {
                    gzip = compressed
                }
                files[path] = File(body: body, gzip: gzip, contentType: type, etag: "\"\(hash.prefix(20))\"")
                if path.hasSuffix(".js") || path.hasSuffix(".mjs") {
                    imports[path] = Self.staticImports(String(decoding: data, as: UTF8.self), of: path)
                }
            }
        }
        self.files = files
        self.imports = imports.mapValues { $0.filter { files[$0] != nil } }
        self.version = String(digest.finalize().map { String(format: "%02x", $0) }.joined().prefix(Self.versionLength))
    }

    static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last.map({ $0.lowercased() }) ?? "" {
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// Every module that loading the modules `entries` (paths under `/static/`, e.g. `js/sitting-page.js`) fetches:
    /// the entries and, breadth first, what they import statically, each once. A page names them all in
    /// `<link rel="modulepreload">`, so the browser asks for the whole graph at once instead of one level of imports
    /// per round trip (on a slow network, 400 ms each). Dynamic `import()` is left out (loaded on demand on purpose).
    func modulesLoaded(by entries: [String]) -> [String] {
        var seen = Set<String>(), order: [String] = []
        var queue = entries.filter { files[$0] != nil }
        while !queue.isEmpty {
            let path = queue.removeFirst()
            guard seen.insert(path).inserted else { continue }
            order.append(path)
            queue += imports[path] ?? []
        }
        return order
    }

    /// The modules a script's static `import … from './x.js'`, `import './x.js'` and `export … from './x.js'` name,
    /// resolved against `path` (`js/a.js` + `./b.js` -> `js/b.js`), in source order, each once. Lines that are
    /// comments (`//`, `/*`, ` *`) are skipped, so an example in a doc comment is not taken for an import; an address
    /// that is not relative (`https://…`, a bare name) is not a file of the web root and is ignored.
    static func staticImports(_ source: String, of path: String) -> [String] {
        let folder = path.split(separator: "/").dropLast().map(String.init)
        var found: [String] = []
        for line in source.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("//") || trimmed.hasPrefix("/*") || trimmed.hasPrefix("*") { continue }
            for keyword in ["from", "import"] {
                var rest = trimmed[...]
                while let range = rest.range(of: keyword) {
                    let before = rest[..<range.lowerBound].last
                    rest = rest[range.upperBound...]
                    // A whole word (not `imported`, `fromage`), then optional spaces and a quoted relative address.
                    if let before, before.isLetter || before.isNumber || before == "_" || before == "." || before == "$" { continue }
                    let afterSpaces = rest.drop { $0 == " " }
                    guard let quote = afterSpaces.first, quote == "'" || quote == "\"" else { continue }
                    let address = afterSpaces.dropFirst().prefix { $0 != quote }
                    guard address.hasPrefix("./") || address.hasPrefix("../"), let resolved = resolve(String(address), in: folder) else { continue }
                    if !found.contains(resolved) { found.append(resolved) }
                }
            }
        }
        return found
    }

    /// `address` (`./x.js`, `../y/x.js`) from the folder `folder` (`["js"]`), or nil if it climbs out of the web root.
    private static func resolve(_ address: String, in folder: [String]) -> String? {
        var parts = folder
        for part in address.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if parts.isEmpty { return nil } else { parts.removeLast() }
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    /// A path's file and whether it was asked for under the current version, from the path after `/static/`;
    /// nil for anything else (an unknown file, a folder that is not public, `..`).
    func lookup(_ path: Substring) -> (file: File, current: Bool)? {
        var rest = path
        var current = false
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.count == Self.versionLength, first.allSatisfy(\.isHexDigit) {
                current = first == version
                rest = rest[rest.index(after: slash)...]
            }
        }
        guard !rest.contains(".."), let file = files[String(rest)] else { return nil }
        return (file, current)
    }
}

/// Serves `StaticFiles` for GET and HEAD under `/static/` (other methods and paths go on to the router).
struct StaticFilesMiddleware<Context: RequestContext>: RouterMiddleware {
    let files: StaticFiles

    static var immutable: String { "public, max-age=31536000, immutable" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/static/"), request.method == .get || request.method == .head else { return try await next(request, context) }
        guard let (file, current) = files.lookup(path.dropFirst("/static/".count)) else {
            throw APIError(.notFound, "not_found", "There is nothing at this address.")
        }
        let gzip = file.gzip != nil && ContentCoding.takesGzip(request.headers[values: .acceptEncoding]) ? file.gzip : nil
        let etag = gzip == nil ? file.etag : String(file.etag.dropLast()) + "-gz\""
        var headers: HTTPFields = [
            .contentType: file.contentType, .eTag: etag, .cacheControl: current ? Self.immutable : "no-cache",
        ]
        if file.gzip != nil { headers[.vary] = "Accept-Encoding" }
        if Self.matches(request.headers[values: .ifNoneMatch], etag) {
            return Response(status: .notModified, headers: headers)
        }
        let body = gzip ?? file.body
        if gzip != nil { headers[.contentEncoding] = "gzip" }
        headers[.contentLength] = "\(body.readableBytes)"
        return Response(status: .ok, headers: headers, body: request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: body))
    }

    /// `If-None-Match` by the weak comparison (RFC 9110 §13.1.2): `*`, or one of the tags, `W/` or not.
    static func matches(_ values: [String], _ etag: String) -> Bool {
        let tags = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return tags.contains { $0 == "*" || $0 == etag || $0 == "W/" + etag }
    }
}
