/// Writes a `BillDocument` in the Akoma Ntoso subset `AkomaNtosoImporter` reads (open data, and the clerk's
/// download of what was imported).
///
/// Every provision gets its `eId`; a `wId` is written when the key is not the eId (a key carried across versions)
/// or was given by the source, so reading the output back gives the same document. Text is escaped (`& < > " '`).
public enum AkomaNtosoWriter {
    /// The document as indented UTF-8 XML, with an XML declaration; `name` is the `bill` element's `name` attribute.
    public static func write(_ document: BillDocument, name: String = "bill") -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<akomaNtoso xmlns=\"\(AkomaNtosoImporter.namespace)\">\n"
        out += "  <bill name=\"\(escape(name))\">\n"
        if document.title != nil || document.longTitle != nil {
            out += "    <preface>\n"
            if let title = document.title { out += "      <p><docTitle>\(escape(title))</docTitle></p>\n" }
            if let longTitle = document.longTitle { out += "      <longTitle><p>\(escape(longTitle))</p></longTitle>\n" }
            out += "    </preface>\n"
        }
        if !document.preamble.isEmpty {
            out += "    <preamble>\n"
            for paragraph in document.preamble.split(separator: "\n") { out += "      <p>\(escape(String(paragraph)))</p>\n" }
            out += "    </preamble>\n"
        }
        out += "    <body>\n"
        let tree = document.provisions
        var open: [(provision: Provision, indent: String)] = []
        func close(downTo depth: Int) {
            while let last = open.last, last.provision.depth >= depth {
                open.removeLast()
                if !last.provision.wrapUp.isEmpty {
                    out += "\(last.indent)  <wrapUp>\n"
                    for paragraph in last.provision.wrapUp.split(separator: "\n") {
                        out += "\(last.indent)    <p>\(escape(String(paragraph)))</p>\n"
                    }
                    out += "\(last.indent)  </wrapUp>\n"
                }
                out += "\(last.indent)</\(last.provision.kind.elementName)>\n"
            }
        }
        for provision in tree.provisions {
            close(downTo: provision.depth)
            let indent = String(repeating: "  ", count: provision.depth + 3)
            let wId = provision.keyIsExplicit || provision.key.rawValue != provision.eId.rawValue
                ? " wId=\"\(escape(provision.key.rawValue))\"" : ""
            out += "\(indent)<\(provision.kind.elementName) eId=\"\(provision.eId)\"\(wId)>\n"
            out += "\(indent)  <num>\(escape(provision.label))</num>\n"
            if let heading = provision.heading { out += "\(indent)  <heading>\(escape(heading))</heading>\n" }
            let hasChildren = !tree.children(of: provision.eId).isEmpty
            let paragraphs = provision.text.isEmpty ? [] : provision.text.split(separator: "\n").map(String.init)
            if hasChildren {
                if !paragraphs.isEmpty {
                    out += "\(indent)  <intro>\n"
                    for paragraph in paragraphs { out += "\(indent)    <p>\(escape(paragraph))</p>\n" }
                    out += "\(indent)  </intro>\n"
                }
                open.append((provision, indent))
            } else {
                // A provision without children has no wrap-up in the subset: all its words are content.
                let content = provision.quotableText.isEmpty ? [] : provision.quotableText.split(separator: "\n").map(String.init)
                out += "\(indent)  <content>\n"
                if content.isEmpty { out += "\(indent)    <p/>\n" }
                for paragraph in content { out += "\(indent)    <p>\(escape(paragraph))</p>\n" }
                out += "\(indent)  </content>\n"
                out += "\(indent)</\(provision.kind.elementName)>\n"
            }
        }
        close(downTo: 0)
        out += "    </body>\n  </bill>\n</akomaNtoso>\n"
        return out
    }

    /// `text` with `& < > " '` escaped.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
