import HemicycleCore

/// An Atom 1.0 document (RFC 4287), written by hand: it is a few elements, and no mirrored package writes Atom.
struct AtomFeed {
    struct Entry {
        var id: String
        var title: String
        var link: String
        var updated: Timestamp
        var summary: String
    }

    var id: String
    var title: String
    var link: String
    var updated: Timestamp
    var entries: [Entry]

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    var xml: String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <id>\(Self.escape(id))</id>
              <title>\(Self.escape(title))</title>
              <link rel="self" href="\(Self.escape(id))"/>
              <link rel="alternate" type="text/html" href="\(Self.escape(link))"/>
              <updated>\(updated.iso8601)</updated>
              <author><name>Hemicycle</name></author>

            """
        for entry in entries {
            xml += """
                  <entry>
                    <id>\(Self.escape(entry.id))</id>
                    <title>\(Self.escape(entry.title))</title>
                    <link rel="alternate" type="text/html" href="\(Self.escape(entry.link))"/>
                    <updated>\(entry.updated.iso8601)</updated>
                    <summary>\(Self.escape(entry.summary))</summary>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }
}
