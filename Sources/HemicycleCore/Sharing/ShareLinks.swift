/// The share links of a page (a petition): each platform's documented share address with the page's address and
/// text as query values. Every value is percent-encoded byte by byte, keeping only RFC 3986's unreserved characters,
/// so no `&`, `#`, `"`, `<` or line break in a title can add a parameter, end the attribute or break the link (the
/// template escapes the whole address again as HTML).
public struct ShareLinks: Sendable, Equatable {
    public struct Link: Sendable, Equatable {
        /// `facebook`, `x`, `whatsapp`, `bluesky` or `email` (the i18n key `share_{id}` names it).
        public let id: String
        public let href: String
    }

    public let links: [Link]

    /// - Parameters:
    ///   - url: the page's public address (absolute).
    ///   - text: what the post says (the petition's action).
    ///   - emailSubject: the subject of the email link.
    public init(url: String, text: String, emailSubject: String) {
        let u = Self.encode(url), t = Self.encode(text)
        links = [
            Link(id: "facebook", href: "https://www.facebook.com/sharer/sharer.php?u=\(u)"),
            Link(id: "x", href: "https://x.com/intent/post?text=\(t)&url=\(u)"),
            Link(id: "whatsapp", href: "https://wa.me/?text=\(Self.encode(text + " " + url))"),
            Link(id: "bluesky", href: "https://bsky.app/intent/compose?text=\(Self.encode(text + " " + url))"),
            // RFC 6068: spaces as %20 (not +), which every mail client reads.
            Link(id: "email", href: "mailto:?subject=\(Self.encode(emailSubject))&body=\(Self.encode(text + "\n\n" + url))"),
        ]
    }

    /// `value` with every byte but RFC 3986's unreserved ones (`A-Z a-z 0-9 - . _ ~`) percent-encoded.
    public static func encode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
