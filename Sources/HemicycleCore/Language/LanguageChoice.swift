/// The language of a page: the one asked for in the address (`?lang=fr`, which the site then remembers in a
/// cookie), else the one remembered in that cookie, else the best of the browser's `Accept-Language` that the site
/// offers, else the site's first language. Only a language the site offers is ever chosen, so nothing the client
/// sends is echoed back (the cookie is written from the chosen code, never from the request).
public struct LanguageChoice: Sendable, Equatable {
    /// The chosen language: one of `available`.
    public let language: String
    /// True when the address asked for a language the site offers and the cookie does not already hold it: the
    /// response should (re)write the cookie.
    public let remember: Bool

    /// - Parameters:
    ///   - query: the `lang` query parameter, if any.
    ///   - cookie: the value of the language cookie, if any.
    ///   - acceptLanguage: the `Accept-Language` header, if any (`fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5`).
    ///   - available: the site's languages, the first being its default; never empty in practice (`en` otherwise).
    public init(query: String?, cookie: String?, acceptLanguage: String?, available: [String]) {
        let fallback = available.first ?? "en"
        if let asked = query.flatMap({ Self.match($0, in: available) }) {
            language = asked
            remember = Self.match(cookie ?? "", in: available) != asked
        } else if let remembered = cookie.flatMap({ Self.match($0, in: available) }) {
            language = remembered
            remember = false
        } else {
            language = Self.negotiate(acceptLanguage ?? "", available: available) ?? fallback
            remember = false
        }
    }

    /// `code` as one of `available` (case-insensitively, `fr-CA` matching `fr` when the site has no `fr-CA`), or nil.
    static func match(_ code: String, in available: [String]) -> String? {
        let wanted = code.trimmingWhitespace.lowercased()
        guard !wanted.isEmpty, wanted.count <= 35 else { return nil }
        if let exact = available.first(where: { $0.lowercased() == wanted }) { return exact }
        let primary = wanted.split(separator: "-").first.map(String.init) ?? wanted
        return available.first { $0.lowercased() == primary }
    }

    /// The site language the browser prefers most (RFC 9110 §12.5.4: by `q`, then in the order given; `q=0` refuses),
    /// or nil when it accepts none of them. `*` stands for the site's default.
    static func negotiate(_ header: String, available: [String]) -> String? {
        var ranked: [(quality: Double, index: Int, language: String)] = []
        for (index, part) in header.split(separator: ",").prefix(50).enumerated() {
            let pieces = part.split(separator: ";")
            guard let tag = pieces.first.map({ String($0).trimmingWhitespace }), !tag.isEmpty else { continue }
            var quality = 1.0
            for parameter in pieces.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { String($0).trimmingWhitespace.lowercased() }
                if pair.count == 2, pair[0] == "q" { quality = Double(pair[1]).map { min(max($0, 0), 1) } ?? 0 }
            }
            guard quality > 0 else { continue }
            let language = tag == "*" ? available.first : match(tag, in: available)
            if let language { ranked.append((quality, index, language)) }
        }
        return ranked.sorted { ($0.quality, -$0.index) > ($1.quality, -$1.index) }.first?.language
    }
}

extension String {
    /// Without leading and trailing white space (Unicode's definition).
    var trimmingWhitespace: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
