import Foundation

/// Content codings (RFC 9110 §8.4): which media types are worth compressing, and what a client's `Accept-Encoding`
/// takes.
enum ContentCoding {
    /// Media types (without parameters) worth compressing.
    static var compressibleTypes: Set<String> {
        [
            "text/html", "text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml",
            "text/plain", "text/csv", "application/atom+xml", "application/xml", "text/xml", "application/manifest+json",
        ]
    }

    static func isCompressible(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return compressibleTypes.contains(media)
    }

    /// Whether a response may be sent as gzip: `gzip` (or `x-gzip`) with a q-value above 0, or else `*` above 0.
    /// `gzip;q=0` refuses it even when `*` is accepted; no header at all means no compression (identity is always
    /// understood; guessing gzip is not).
    static func takesGzip(_ values: [String]) -> Bool {
        var gzip: Double?, any: Double?
        for part in values.flatMap({ $0.split(separator: ",") }) {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = pieces.first, !coding.isEmpty else { continue }
            var q = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                q = Double(parameter.dropFirst(2)).map { $0.isFinite ? min(max($0, 0), 1) : 0 } ?? 0
            }
            if coding == "gzip" || coding == "x-gzip" { gzip = max(gzip ?? 0, q) } else if coding == "*" { any = q }
        }
        if let gzip { return gzip > 0 }
        return (any ?? 0) > 0
    }
}

