/// Reads a bill in the Akoma Ntoso 3.0 subset Hemicycle supports, into a `BillDocument`.
///
/// The subset (documented in Protocol/LEGISLATION.md):
/// ```xml
/// <akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
///   <bill>
///     <meta>…</meta>                                  optional, skipped whole
///     <preface>… <docTitle>…</docTitle> … <longTitle><p>…</p></longTitle> …</preface>   optional
///     <preamble>…<p>…</p>…</preamble>                  optional: its text becomes the preamble
///     <body>
///       <section eId="sec_1" wId="…">                  part, chapter, section, subsection, paragraph, point
///         <num>1.</num> <heading>…</heading>          num required; heading optional
///         <content><p>…</p></content>                  a provision without children
///         or <intro><p>…</p></intro> children… <wrapUp><p>…</p></wrapUp>
///       </section>
///     </body>
///   </bill>
/// </akomaNtoso>
/// ```
/// - The root must be `akomaNtoso` in the Akoma Ntoso 3.0 namespace (or in none); the document must be a `bill`.
/// - `eId` and `wId` are honoured when present: an `eId` must be the one the naming convention gives (so a stale
///   eId after renumbering is caught), a `wId` becomes the provision's key. Other attributes are ignored.
/// - Inside `num`, `heading` and `p`, the inline elements `b i u sup sub span ref mref rref term def abbr date
///   quotedText inline docTitle docNumber shortTitle affectedDocument` are flattened to their text and `br`/`eol`
///   become a space. Any other element there (tables, notes, images, `mod`…) is refused with its line rather than
///   dropped: a comment anchored in text Hemicycle did not show could never be placed.
/// - Anything else in `bill`, `body` or a provision is refused with its line. Nothing is returned in part.
public enum AkomaNtosoImporter {
    /// The namespace of Akoma Ntoso 3.0 (and its working drafts, which extend it).
    public static let namespace = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"

    /// Inline elements flattened to their text.
    static let inlineElements: Set<String> = [
        "b", "i", "u", "sup", "sub", "span", "ref", "mref", "rref", "term", "def", "abbr", "date", "quotedText",
        "inline", "docTitle", "docNumber", "shortTitle", "affectedDocument",
    ]

    /// Reads `bytes` (UTF-8 XML).
    public static func read(_ bytes: some Collection<UInt8>, limits: BillImportLimits = BillImportLimits()) throws(BillImportError) -> BillDocument {
        let root = try XMLReader.parse(bytes, limits: limits)
        return try document(root, limits: limits)
    }

    /// Reads `text` (convenience for tests and fixtures).
    public static func read(_ text: String, limits: BillImportLimits = BillImportLimits()) throws(BillImportError) -> BillDocument {
        try read(Array(text.utf8), limits: limits)
    }

    static func fail(_ code: BillImportError.Code, _ element: XMLReader.Element, _ message: String) -> BillImportError {
        BillImportError(code, line: element.line, column: element.column, message)
    }

    static func document(_ root: XMLReader.Element, limits: BillImportLimits) throws(BillImportError) -> BillDocument {
        guard root.name == "akomaNtoso" else {
            throw fail(.unsupported, root, "The root element must be <akomaNtoso>, not <\(root.name)>.")
        }
        let expected = root.namespace
        if let namespace = expected, !namespace.hasPrefix(Self.namespace) {
            throw fail(.unsupported, root, "The namespace \(namespace) is not Akoma Ntoso 3.0 (\(Self.namespace)).")
        }
        try onlyWhitespace(root)
        let documents = root.elements
        guard documents.count == 1, let bill = documents.first else {
            throw fail(.unsupported, root, "<akomaNtoso> must hold exactly one document, a <bill>.")
        }
        try sameNamespace(bill, expected)
        guard bill.name == "bill" else {
            throw fail(.unsupported, bill, "Only <bill> documents are supported, not <\(bill.name)>.")
        }
        try onlyWhitespace(bill)
        var title: String?
        var longTitle: String?
        var preamble: [String] = []
        var drafts: [ProvisionDraft] = []
        var sawBody = false
        for child in bill.elements {
            try sameNamespace(child, expected)
            switch child.name {
            case "meta":
                continue
            case "preface" where !sawBody && drafts.isEmpty:
                (title, longTitle) = try preface(child, expected, limits: limits)
            case "preamble" where !sawBody:
                preamble = try paragraphs(of: child, expected, limits: limits)
                _ = try bounded(ProvisionText.join(preamble), child, limits)
            case "body" where !sawBody:
                sawBody = true
                try onlyWhitespace(child)
                for provision in child.elements {
                    try read(provision, parent: nil, expected, into: &drafts, limits: limits)
                }
            default:
                throw fail(.unsupported, child, "<\(child.name)> is not supported here: a bill holds meta, preface, preamble and one body.")
            }
        }
        guard sawBody else { throw fail(.missing, bill, "The bill has no <body>.") }
        let tree = try ProvisionTreeBuilder.build(drafts, limits: limits)
        return BillDocument(title: title, longTitle: longTitle, preamble: ProvisionText.join(preamble), provisions: tree)
    }

    static func sameNamespace(_ element: XMLReader.Element, _ expected: String?) throws(BillImportError) {
        guard element.namespace == expected else {
            throw fail(.unsupported, element, "<\(element.name)> is in another namespace (\(element.namespace ?? "none")).")
        }
    }

    /// Refuses text (other than white space) directly inside a structural element.
    static func onlyWhitespace(_ element: XMLReader.Element) throws(BillImportError) {
        for case .text(let text, let line, let column) in element.children
        where !text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw BillImportError(.misplaced, line: line, column: column, "Text is not allowed directly in <\(element.name)>: put it in a <p>.")
        }
    }

    /// The title (`docTitle` anywhere in the preface) and the long title (`longTitle`).
    static func preface(_ element: XMLReader.Element, _ expected: String?, limits: BillImportLimits) throws(BillImportError) -> (String?, String?) {
        var title: String?
        var longTitle: String?
        var pending = [element]
        while let next = pending.popLast() {
            for child in next.elements {
                try sameNamespace(child, expected)
                if child.name == "docTitle" {
                    title = try bounded(ProvisionText.normalise(inline(child, expected)), child, limits)
                } else if child.name == "longTitle" {
                    longTitle = try bounded(ProvisionText.join(paragraphs(of: child, expected, limits: limits)), child, limits)
                } else {
                    pending.append(child)
                }
            }
        }
        return (title.flatMap { $0.isEmpty ? nil : $0 }, longTitle.flatMap { $0.isEmpty ? nil : $0 })
    }

    static func bounded(_ text: String, _ element: XMLReader.Element, _ limits: BillImportLimits) throws(BillImportError) -> String {
        guard text.unicodeScalars.count <= limits.maxTextLength else {
            throw fail(.tooLarge, element, "The text of <\(element.name)> is longer than \(limits.maxTextLength) characters.")
        }
        return text
    }

    /// The text of every `p` inside `element` (at any depth through block containers such as `formula`).
    static func paragraphs(of element: XMLReader.Element, _ expected: String?, limits: BillImportLimits) throws(BillImportError) -> [String] {
        var result: [String] = []
        func walk(_ container: XMLReader.Element) throws(BillImportError) {
            try onlyWhitespace(container)
            for child in container.elements {
                try sameNamespace(child, expected)
                if child.name == "p" {
                    result.append(try bounded(inline(child, expected), child, limits))
                } else if ["formula", "container", "blockContainer", "longTitle", "intro", "wrapUp", "content"].contains(child.name) {
                    try walk(child)
                } else {
                    throw fail(.unsupported, child, "<\(child.name)> is not supported in <\(container.name)>: use <p>.")
                }
            }
        }
        try walk(element)
        return result
    }

    /// The text of an inline container (`p`, `num`, `heading`), its inline elements flattened.
    static func inline(_ element: XMLReader.Element, _ expected: String?) throws(BillImportError) -> String {
        var text = ""
        func walk(_ container: XMLReader.Element) throws(BillImportError) {
            for child in container.children {
                switch child {
                case .text(let value, _, _):
                    text += value
                case .element(let inner):
                    try sameNamespace(inner, expected)
                    if inner.name == "br" || inner.name == "eol" {
                        text += " "
                    } else if inlineElements.contains(inner.name) {
                        try walk(inner)
                    } else {
                        throw fail(.unsupported, inner, "<\(inner.name)> is not supported inside <\(element.name)>; only inline text (b, i, ref, term, def, …) is.")
                    }
                }
            }
        }
        try walk(element)
        return text
    }

    /// One provision element and everything in it, appended to `drafts` in document order.
    static func read(
        _ element: XMLReader.Element, parent: Int?, _ expected: String?, into drafts: inout [ProvisionDraft],
        limits: BillImportLimits
    ) throws(BillImportError) {
        try sameNamespace(element, expected)
        guard let kind = ProvisionKind(rawValue: element.name) else {
            throw fail(.unsupported, element, "<\(element.name)> is not supported in the body: use part, chapter, section, subsection, paragraph or point.")
        }
        guard drafts.count < limits.maxProvisions else {
            throw fail(.tooLarge, element, "More than \(limits.maxProvisions) provisions.")
        }
        try onlyWhitespace(element)
        var num: String?
        var heading: String?
        var paragraphs: [String] = []
        var wrapUp: [String] = []
        var hasContent = false
        var hasIntro = false
        var childElements: [XMLReader.Element] = []
        for child in element.elements {
            try sameNamespace(child, expected)
            switch child.name {
            case "num" where num == nil && heading == nil && !hasContent && !hasIntro && childElements.isEmpty:
                let written = ProvisionText.normalise(try inline(child, expected))
                guard let designation = ProvisionNumber.designation(fromNum: written) else {
                    throw fail(.numbering, child, "\"\(written)\" is not a provision number (such as 2, (b), SEC. 3. or Part I).")
                }
                num = designation
            case "heading" where heading == nil && !hasContent && !hasIntro && childElements.isEmpty:
                heading = try bounded(ProvisionText.normalise(inline(child, expected)), child, limits)
            case "content" where !hasContent && !hasIntro && childElements.isEmpty:
                hasContent = true
                paragraphs = try self.paragraphs(of: child, expected, limits: limits)
            case "intro" where !hasContent && !hasIntro && childElements.isEmpty:
                hasIntro = true
                paragraphs = try self.paragraphs(of: child, expected, limits: limits)
            case "wrapUp" where !childElements.isEmpty && wrapUp.isEmpty:
                wrapUp = try self.paragraphs(of: child, expected, limits: limits)
            case _ where ProvisionKind(rawValue: child.name) != nil:
                guard !hasContent else {
                    throw fail(.misplaced, child, "<\(child.name)> cannot follow <content>: a provision with children puts its own words in <intro>.")
                }
                guard wrapUp.isEmpty else { throw fail(.misplaced, child, "<\(child.name)> cannot follow <wrapUp>.") }
                childElements.append(child)
            case "num", "heading", "content", "intro", "wrapUp":
                throw fail(.misplaced, child, "<\(child.name)> is out of place in <\(element.name)>: the order is num, heading, then content or intro, children, wrapUp.")
            default:
                throw fail(.unsupported, child, "<\(child.name)> is not supported in <\(element.name)>.")
            }
        }
        guard let num else { throw fail(.missing, element, "<\(element.name)> has no <num>.") }
        let index = drafts.count
        drafts.append(
            ProvisionDraft(
                kind: kind, num: num, heading: heading, paragraphs: paragraphs, wrapUp: wrapUp,
                wId: element.attribute("wId"), eId: element.attribute("eId"), parent: parent, line: element.line,
                column: element.column))
        for child in childElements {
            try read(child, parent: index, expected, into: &drafts, limits: limits)
        }
    }
}
