import Foundation
import HTTPTypes
import HemicycleCore
import Hummingbird
import NIOCore

/// Reading request bodies for the API and HTML forms, with the checks every state-changing request gets
/// (Protocol/HEARINGS.md §1): JSON calls need `Content-Type: application/json` and, when an `Origin` is sent, the
/// site's own (`SiteAddress.isOwnOrigin`, never compared with `Host`, which the client chooses); forms are read as
/// `application/x-www-form-urlencoded` with the same `Origin` check (their CSRF token is checked by the caller).
struct RequestBody: Sendable {
    let maxBytes: Int
    let site: SiteAddress

    /// The body of a state-changing JSON call as a JSON object (`{}` for an empty body is not accepted: send `{}`).
    func jsonObject(_ request: Request) async throws -> JSONValue {
        try checkOrigin(request)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "Send application/json (with a body of {} when there is nothing to say).")
        }
        let text = try await collect(request)
        guard let value = try? JSONValue.parse(text.utf8), case .object = value else {
            throw APIError(.badRequest, "malformed_json", "The body must be a JSON object.")
        }
        return value
    }

    /// For DELETE calls: the same checks, but an empty body is fine.
    func checkStateChange(_ request: Request) throws {
        try checkOrigin(request)
        if let contentType = request.headers[.contentType]?.lowercased(), !contentType.hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "Send application/json, or no body.")
        }
    }

    /// The fields of an HTML form post.
    func form(_ request: Request) async throws -> [String: String] {
        try checkOrigin(request)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded.")
        }
        return FormURLEncoded.parse(try await collect(request))
    }

    /// The fields of an HTML form post (later keys win), and every value of each field (a group of checkboxes).
    func formWithLists(_ request: Request) async throws -> (fields: [String: String], lists: [String: [String]]) {
        try checkOrigin(request)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded.")
        }
        var fields: [String: String] = [:], lists: [String: [String]] = [:]
        for (key, value) in FormURLEncoded.pairs(try await collect(request)) {
            fields[key] = value
            lists[key, default: []].append(value)
        }
        return (fields, lists)
    }

    private func collect(_ request: Request) async throws -> String {
        do {
            return String(buffer: try await request.body.collect(upTo: maxBytes))
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "payload_too_large", "The request body must be at most \(maxBytes) bytes.")
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "payload_too_large", "The request body must be at most \(maxBytes) bytes.")
        }
    }

    /// A sent `Origin` must be one of the site's own origins: a cross-site form or script is refused with 403
    /// `origin_not_allowed` (so is `Origin: null`, which sandboxed frames and some redirects send). Requests without
    /// `Origin` (programs, older browsers' same-origin forms) pass here; forms then rely on their CSRF token.
    func checkOrigin(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        guard site.isOwnOrigin(origin) else {
            throw APIError(.forbidden, "origin_not_allowed", "Requests from \(origin.prefix(100)) are not allowed; use this site's own pages.")
        }
    }
}

extension JSONValue {
    /// A string field: nil when absent or null; throws `invalid_input` when present with another type.
    func optionalString(_ key: String) throws -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw APIError.invalid(key, "Must be a string.")
        }
    }

    func requiredString(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw APIError.invalid(key, "This field is required.") }
        return value
    }

    func optionalInt(_ key: String) throws -> Int64? {
        switch self[key] {
        case nil, .null?: return nil
        case .int(let n)?: return n
        default: throw APIError.invalid(key, "Must be an integer.")
        }
    }

    func optionalStrings(_ key: String) throws -> [String]? {
        switch self[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map { item in
                guard case .string(let s) = item else { throw APIError.invalid(key, "Must be a list of strings.") }
                return s
            }
        default: throw APIError.invalid(key, "Must be a list of strings.")
        }
    }
}
