/// A small, strict, non-validating XML 1.0 reader for the Akoma Ntoso subset bills are imported in.
///
/// Why not Foundation's `XMLParser`: on Linux it lives in FoundationXML on top of libxml2, a C library the core
/// does not otherwise need, whose entity and DTD handling has been the source of XXE and "billion laughs" problems;
/// and it reports positions unevenly across platforms. What this reader accepts is exactly what a bill needs:
/// - UTF-8 only (an XML declaration naming another encoding is refused);
/// - elements, attributes (with namespace prefixes resolved), text, CDATA sections, comments and processing
///   instructions (both skipped);
/// - the five predefined entities (`&lt;` `&gt;` `&amp;` `&quot;` `&apos;`) and numeric character references;
/// - no DOCTYPE at all (so no entity definitions, no external entities, no entity expansion: no XXE, no billion
///   laughs), no other entity reference;
/// - bounded: the file size, element depth, attribute count and name lengths (`BillImportLimits`), and it never
///   recurses, so no input can exhaust the stack.
/// Every error carries its line and column (in Unicode scalars, from 1).
public enum XMLReader {
    /// An element: its local name, resolved namespace, attributes in document order and children.
    public struct Element: Sendable, Equatable {
        /// The name without its prefix (`section` for `akn:section`).
        public var name: String
        /// The namespace URI the prefix (or the default namespace) resolves to; nil when none is declared.
        public var namespace: String?
        /// Attributes in document order, by qualified name (`eId`, `xml:lang`); namespace declarations excluded.
        public var attributes: [(name: String, value: String)]
        public var children: [Node]
        public var line: Int
        public var column: Int

        /// The value of attribute `name`, if present.
        public func attribute(_ name: String) -> String? {
            attributes.first { $0.name == name }?.value
        }

        /// The child elements, in order.
        public var elements: [Element] {
            children.compactMap { if case .element(let element) = $0 { element } else { nil } }
        }

        public static func == (lhs: Element, rhs: Element) -> Bool {
            lhs.name == rhs.name && lhs.namespace == rhs.namespace && lhs.children == rhs.children
                && lhs.line == rhs.line && lhs.column == rhs.column
                && lhs.attributes.map(\.name) == rhs.attributes.map(\.name)
                && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
        }
    }

    /// A child of an element.
    public enum Node: Sendable, Equatable {
        case element(Element)
        /// Character data (entities and CDATA resolved), with where it starts.
        case text(String, line: Int, column: Int)
    }

    /// The namespace URI that `xml:` always denotes.
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// Reads `bytes` as one XML document and returns its root element, or throws the first problem.
    public static func parse(_ bytes: some Collection<UInt8>, limits: BillImportLimits = BillImportLimits()) throws(BillImportError) -> Element {
        let scalars = try BillSourceText.scalars(bytes, limits: limits)
        var parser = Parser(scalars: scalars, limits: limits)
        return try parser.document()
    }

    /// One pass over the scalars; position kept with line and column.
    private struct Parser {
        let scalars: [Unicode.Scalar]
        let limits: BillImportLimits
        var position = 0
        var line = 1
        var column = 1

        init(scalars: [Unicode.Scalar], limits: BillImportLimits) {
            self.scalars = scalars
            self.limits = limits
        }

        /// An element being read: what it will become, and the namespace declarations in scope.
        struct Open {
            var element: Element
            var qualifiedName: String
            var prefixes: [String: String]
            var text: [Unicode.Scalar] = []
            var textLine = 0
            var textColumn = 0
        }

        var atEnd: Bool { position >= scalars.count }
        var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

        func error(_ code: BillImportError.Code, _ message: String) -> BillImportError {
            BillImportError(code, line: line, column: column, message)
        }

        func error(_ code: BillImportError.Code, at place: (line: Int, column: Int), _ message: String) -> BillImportError {
            BillImportError(code, line: place.line, column: place.column, message)
        }

        var here: (line: Int, column: Int) { (line, column) }

        mutating func advance(_ count: Int = 1) {
            for _ in 0..<count where position < scalars.count {
                if scalars[position] == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                position += 1
            }
        }

        func lookingAt(_ literal: String) -> Bool {
            var index = position
            for scalar in literal.unicodeScalars {
                guard index < scalars.count, scalars[index] == scalar else { return false }
                index += 1
            }
            return true
        }

        static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || scalar == "\n"
        }

        static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_" || scalar == ":"
                || scalar.value >= 0xC0
        }

        static func isNameChar(_ scalar: Unicode.Scalar) -> Bool {
            isNameStart(scalar) || (scalar >= "0" && scalar <= "9") || scalar == "-" || scalar == "." || scalar.value == 0xB7
        }

        mutating func skipSpace() {
            while let scalar = current, Self.isSpace(scalar) { advance() }
        }

        mutating func name() throws(BillImportError) -> String {
            guard let first = current, Self.isNameStart(first) else { throw error(.malformedXML, "A name is expected here.") }
            var text = String.UnicodeScalarView()
            while let scalar = current, Self.isNameChar(scalar) {
                text.append(scalar)
                advance()
                guard text.count <= limits.maxNameLength else {
                    throw error(.tooLarge, "A name is longer than \(limits.maxNameLength) characters.")
                }
            }
            return String(text)
        }

        mutating func expect(_ literal: String, _ what: String) throws(BillImportError) {
            guard lookingAt(literal) else { throw error(.malformedXML, "\(what) is expected here.") }
            advance(literal.unicodeScalars.count)
        }

        /// The document: prolog, one root element, then only comments, processing instructions and space.
        mutating func document() throws(BillImportError) -> Element {
            if lookingAt("<?xml") && position + 5 < scalars.count && Self.isSpace(scalars[position + 5]) {
                try declaration()
            }
            try misc()
            guard !atEnd else { throw BillImportError(.missing, line: line, column: column, "The file has no root element.") }
            guard current == "<" else { throw error(.malformedXML, "Text is not allowed before the root element.") }
            let root = try element()
            try misc()
            guard atEnd else { throw error(.malformedXML, "Only one root element is allowed; this comes after it.") }
            return root
        }

        /// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`: only UTF-8.
        mutating func declaration() throws(BillImportError) {
            let start = here
            advance(5)
            var seen: [String: String] = [:]
            while true {
                skipSpace()
                if lookingAt("?>") {
                    advance(2)
                    break
                }
                guard !atEnd else { throw error(.malformedXML, at: start, "The XML declaration is not closed.") }
                let key = try name()
                skipSpace()
                try expect("=", "'='")
                skipSpace()
                seen[key] = try attributeValue(maxLength: 64)
            }
            guard seen["version"] == "1.0" || seen["version"] == "1.1" else {
                throw error(.malformedXML, at: start, "The XML declaration needs version=\"1.0\".")
            }
            if let encoding = seen["encoding"], encoding.uppercased() != "UTF-8", encoding.uppercased() != "UTF8" {
                throw error(.encoding, at: start, "Only UTF-8 is accepted; the declaration says \(encoding).")
            }
        }

        /// Comments, processing instructions and white space between top-level items; DOCTYPE is refused here.
        mutating func misc() throws(BillImportError) {
            while true {
                skipSpace()
                if lookingAt("<!--") {
                    try comment()
                } else if lookingAt("<?") {
                    try processingInstruction()
                } else if lookingAt("<!") {
                    throw forbiddenDeclaration()
                } else {
                    return
                }
            }
        }

        func forbiddenDeclaration() -> BillImportError {
            lookingAt("<!DOCTYPE")
                ? error(.forbiddenXML, "A DOCTYPE is not accepted: bills are read without DTDs or entity definitions.")
                : error(.forbiddenXML, "This declaration is not accepted in a bill.")
        }

        mutating func comment() throws(BillImportError) {
            let start = here
            advance(4)
            while !atEnd {
                if lookingAt("--") {
                    guard lookingAt("-->") else { throw error(.malformedXML, "'--' is not allowed inside a comment.") }
                    advance(3)
                    return
                }
                advance()
            }
            throw error(.malformedXML, at: start, "The comment is not closed.")
        }

        mutating func processingInstruction() throws(BillImportError) {
            let start = here
            advance(2)
            let target = try name()
            guard target.lowercased() != "xml" else {
                throw error(.malformedXML, at: start, "The XML declaration must come first in the file.")
            }
            while !atEnd {
                if lookingAt("?>") {
                    advance(2)
                    return
                }
                advance()
            }
            throw error(.malformedXML, at: start, "The processing instruction is not closed.")
        }

        /// A quoted attribute value with references resolved and white space normalised to spaces.
        mutating func attributeValue(maxLength: Int) throws(BillImportError) -> String {
            guard let quote = current, quote == "\"" || quote == "'" else {
                throw error(.malformedXML, "An attribute value must be in quotes.")
            }
            let start = here
            advance()
            var value = String.UnicodeScalarView()
            while true {
                guard let scalar = current else { throw error(.malformedXML, at: start, "The attribute value is not closed.") }
                if scalar == quote {
                    advance()
                    break
                }
                switch scalar {
                case "<":
                    throw error(.malformedXML, "'<' is not allowed in an attribute value.")
                case "&":
                    value.append(try reference())
                case "\t", "\n":
                    value.append(" ")
                    advance()
                default:
                    value.append(scalar)
                    advance()
                }
                guard value.count <= maxLength else {
                    throw error(.tooLarge, at: start, "An attribute value is longer than \(maxLength) characters.")
                }
            }
            return String(value)
        }

        /// `&name;` or `&#…;` at the cursor: one of the five predefined entities or a character reference.
        mutating func reference() throws(BillImportError) -> Unicode.Scalar {
            let start = here
            advance()
            var body = String.UnicodeScalarView()
            while let scalar = current, scalar != ";" {
                guard body.count < 12, !Self.isSpace(scalar), scalar != "<", scalar != "&" else {
                    throw error(.malformedXML, at: start, "'&' must start a reference such as &amp; (write &amp; for '&').")
                }
                body.append(scalar)
                advance()
            }
            guard current == ";" else { throw error(.malformedXML, at: start, "The reference is not closed with ';'.") }
            advance()
            let text = String(body)
            switch text {
            case "lt": return "<"
            case "gt": return ">"
            case "amp": return "&"
            case "quot": return "\""
            case "apos": return "'"
            default: break
            }
            guard text.hasPrefix("#") else {
                throw error(.forbiddenXML, at: start, "The entity &\(text); is not accepted: only &lt; &gt; &amp; &quot; &apos; and numeric references.")
            }
            let digits = text.dropFirst()
            let value: UInt32?
            if digits.hasPrefix("x") {
                value = digits.count > 1 ? UInt32(digits.dropFirst(), radix: 16) : nil
            } else {
                value = digits.isEmpty ? nil : UInt32(digits, radix: 10)
            }
            guard let value, let scalar = Unicode.Scalar(value), Self.isXMLChar(scalar) else {
                throw error(.malformedXML, at: start, "&\(text); is not a character XML allows.")
            }
            return scalar
        }

        /// XML 1.0 `Char`: tab, line feed, carriage return, and everything from U+0020 but surrogates, U+FFFE, U+FFFF.
        static func isXMLChar(_ scalar: Unicode.Scalar) -> Bool {
            let value = scalar.value
            return value == 0x9 || value == 0xA || value == 0xD || (value >= 0x20 && value != 0xFFFE && value != 0xFFFF)
        }

        /// A start tag at the cursor: name, attributes, namespace declarations, then `/>` or `>`.
        mutating func startTag(prefixes inherited: [String: String]) throws(BillImportError) -> (Open, selfClosing: Bool) {
            let start = here
            advance()
            let qualified = try name()
            var rawAttributes: [(name: String, value: String, line: Int, column: Int)] = []
            var selfClosing = false
            while true {
                let hadSpace = current.map(Self.isSpace) ?? false
                skipSpace()
                if lookingAt("/>") {
                    advance(2)
                    selfClosing = true
                    break
                }
                if current == ">" {
                    advance()
                    break
                }
                guard !atEnd else { throw error(.malformedXML, at: start, "The tag <\(qualified)> is not closed.") }
                guard hadSpace else { throw error(.malformedXML, "A space is needed before an attribute.") }
                let place = here
                let attributeName = try name()
                skipSpace()
                try expect("=", "'=' after the attribute name")
                skipSpace()
                let value = try attributeValue(maxLength: limits.maxTextLength)
                guard !rawAttributes.contains(where: { $0.name == attributeName }) else {
                    throw error(.malformedXML, at: place, "The attribute \(attributeName) is repeated.")
                }
                rawAttributes.append((attributeName, value, place.line, place.column))
                guard rawAttributes.count <= limits.maxAttributes else {
                    throw error(.tooLarge, at: place, "More than \(limits.maxAttributes) attributes on one element.")
                }
            }
            var prefixes = inherited
            var attributes: [(name: String, value: String)] = []
            for attribute in rawAttributes {
                if attribute.name == "xmlns" {
                    prefixes[""] = attribute.value
                } else if attribute.name.hasPrefix("xmlns:") {
                    let prefix = String(attribute.name.dropFirst(6))
                    guard !prefix.isEmpty, !attribute.value.isEmpty, prefix != "xml", prefix != "xmlns" else {
                        throw error(.malformedXML, at: (attribute.line, attribute.column), "\(attribute.name) is not a valid namespace declaration.")
                    }
                    prefixes[prefix] = attribute.value
                } else {
                    if let colon = attribute.name.firstIndex(of: ":") {
                        let prefix = String(attribute.name[..<colon])
                        guard prefix == "xml" || prefixes[prefix] != nil else {
                            throw error(.malformedXML, at: (attribute.line, attribute.column), "The prefix \(prefix): is not declared.")
                        }
                    }
                    attributes.append((attribute.name, attribute.value))
                }
            }
            let localName: String
            let namespace: String?
            if let colon = qualified.firstIndex(of: ":") {
                let prefix = String(qualified[..<colon])
                localName = String(qualified[qualified.index(after: colon)...])
                guard !localName.isEmpty, !localName.contains(":") else {
                    throw error(.malformedXML, at: start, "<\(qualified)> is not a valid element name.")
                }
                guard let uri = prefix == "xml" ? XMLReader.xmlNamespace : prefixes[prefix] else {
                    throw error(.malformedXML, at: start, "The prefix \(prefix): is not declared.")
                }
                namespace = uri
            } else {
                localName = qualified
                namespace = prefixes[""].flatMap { $0.isEmpty ? nil : $0 }
            }
            let element = Element(
                name: localName, namespace: namespace, attributes: attributes, children: [], line: start.line,
                column: start.column)
            return (Open(element: element, qualifiedName: qualified, prefixes: prefixes), selfClosing)
        }

        /// The root element and everything in it, read with an explicit stack (no recursion).
        mutating func element() throws(BillImportError) -> Element {
            var stack: [Open] = []
            let (rootOpen, rootClosed) = try startTag(prefixes: ["xml": XMLReader.xmlNamespace])
            if rootClosed { return rootOpen.element }
            stack.append(rootOpen)
            while true {
                guard !atEnd else {
                    let open = stack[stack.count - 1]
                    throw error(.malformedXML, at: (open.element.line, open.element.column), "<\(open.qualifiedName)> is never closed.")
                }
                if lookingAt("</") {
                    let place = here
                    advance(2)
                    let closing = try name()
                    skipSpace()
                    try expect(">", "'>'")
                    var open = stack.removeLast()
                    guard closing == open.qualifiedName else {
                        throw error(.malformedXML, at: place, "</\(closing)> closes <\(open.qualifiedName)> (line \(open.element.line)).")
                    }
                    flushText(&open)
                    if stack.isEmpty { return open.element }
                    stack[stack.count - 1].element.children.append(.element(open.element))
                } else if lookingAt("<!--") {
                    try comment()
                } else if lookingAt("<![CDATA[") {
                    let start = here
                    advance(9)
                    noteTextStart(&stack[stack.count - 1], start)
                    while !lookingAt("]]>") {
                        guard let scalar = current else { throw error(.malformedXML, at: start, "The CDATA section is not closed.") }
                        stack[stack.count - 1].text.append(scalar)
                        advance()
                    }
                    advance(3)
                } else if lookingAt("<?") {
                    try processingInstruction()
                } else if lookingAt("<!") {
                    throw forbiddenDeclaration()
                } else if current == "<" {
                    flushText(&stack[stack.count - 1])
                    let (open, selfClosing) = try startTag(prefixes: stack[stack.count - 1].prefixes)
                    if selfClosing {
                        stack[stack.count - 1].element.children.append(.element(open.element))
                    } else {
                        guard stack.count < limits.maxXMLDepth else {
                            throw error(.tooLarge, at: (open.element.line, open.element.column), "Elements are nested deeper than \(limits.maxXMLDepth).")
                        }
                        stack.append(open)
                    }
                } else {
                    noteTextStart(&stack[stack.count - 1], here)
                    if lookingAt("]]>") { throw error(.malformedXML, "']]>' is not allowed in text.") }
                    if current == "&" {
                        let scalar = try reference()
                        stack[stack.count - 1].text.append(scalar)
                    } else if let scalar = current {
                        stack[stack.count - 1].text.append(scalar)
                        advance()
                    }
                    guard stack[stack.count - 1].text.count <= limits.maxTextLength * 2 else {
                        throw error(.tooLarge, "A run of text is longer than \(limits.maxTextLength * 2) characters.")
                    }
                }
            }
        }

        func noteTextStart(_ open: inout Open, _ place: (line: Int, column: Int)) {
            if open.text.isEmpty {
                open.textLine = place.line
                open.textColumn = place.column
            }
        }

        func flushText(_ open: inout Open) {
            guard !open.text.isEmpty else { return }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: open.text)
            open.element.children.append(.text(String(view), line: open.textLine, column: open.textColumn))
            open.text = []
        }
    }
}
