/// Reads a bill written as plain text with numbered headings (Hemicycle's "numbered text", also in
/// Protocol/LEGISLATION.md), into the same `BillDocument` the Akoma Ntoso importer gives.
///
/// The format, line by line (leading and trailing spaces of a line are ignored):
/// - `# …` is a comment, ignored anywhere.
/// - Header, optional, before anything else: `Title: …` (the short title), `Long title: …`, and
///   `Numbering: (1) (a) (i)`: the marker of each level below a section, outside in. Level 1 is a subsection,
///   level 2 a paragraph, deeper levels points (inside points). A marker is `(1)` arabic, `(a)` / `(A)` letters,
///   `(i)` / `(I)` roman; each style at most once; 1 to 6 levels. The default is `(1) (a) (i)` (Westminster style);
///   US bills use `(a) (1) (A) (i) (I)`.
/// - Preamble: the lines before the first heading (such as "Be it enacted…").
/// - Headings, each on its own line, keywords in any case:
///   `Part 1 — Heading` and `Chapter 2 Heading` (number arabic, `I`, `II`… or `A`, `B`…);
///   `Section 3 Heading`, `Sec. 3. Heading` (number arabic, `3A` for an inserted section);
///   `3 Heading` or `3. Heading`, the short form of a section, only at the start of the body or after a blank
///   line (so a wrapped line that starts with a number is not taken for a section).
///   After the number: an optional full stop, then an optional `—`, `–`, `-` or `:`, then the heading (optional).
///   A part holds chapters and sections, a chapter sections.
/// - Markers: a line starting with `(x)` opens a provision at the level whose style writes `x`; the rest of the line
///   is its text. `(A)(i) text` opens both, the second inside the first. `(b) Disclosure required.—Text` (also
///   `.--`) gives the provision the heading before `.—` (at most 120 characters) and the text after it.
/// - Any other line continues the text of the provision above it (joined with a space); a blank line ends a
///   paragraph, so text after it is a new paragraph of the same provision. Wrapped lines must not begin with a
///   heading keyword and number or with a marker: join them to the line before.
///
/// Which level a marker is at: a marker may continue a level already open (the next number of that level) or open
/// the level just below the innermost open one (at its first number); a section may also open level 2 directly. When
/// both readings fit (`(i)` after `(h)` under a point), the deeper one wins. Errors, with their line: a marker
/// before any section ("outside a section"), a gap, repeat or reversal in numbering, a marker of no level, an
/// unknown header, and every check of `ProvisionTreeBuilder`. Nothing is returned in part.
public enum PlainTextBillImporter {
    /// The default numbering below sections: `(1)` subsections, `(a)` paragraphs, `(i)` points.
    public static let defaultNumbering: [NumberingStyle] = [.arabic, .lowerLetter, .lowerRoman]

    /// Reads `bytes` (UTF-8 text).
    public static func read(_ bytes: some Collection<UInt8>, limits: BillImportLimits = BillImportLimits()) throws(BillImportError) -> BillDocument {
        let scalars = try BillSourceText.scalars(bytes, limits: limits)
        var reader = Reader(limits: limits)
        var lineStart = 0
        var number = 1
        for (index, scalar) in scalars.enumerated() where scalar == "\n" {
            try reader.line(scalars[lineStart..<index], number: number)
            lineStart = index + 1
            number += 1
        }
        if lineStart < scalars.count { try reader.line(scalars[lineStart...], number: number) }
        return try reader.finish()
    }

    /// Reads `text` (convenience for tests and fixtures).
    public static func read(_ text: String, limits: BillImportLimits = BillImportLimits()) throws(BillImportError) -> BillDocument {
        try read(Array(text.utf8), limits: limits)
    }

    /// The marker style written `(x)`: `1`, `a`, `A`, `i`, `I`.
    static func style(ofMarker text: String) -> NumberingStyle? {
        switch text {
        case "(1)": .arabic
        case "(a)": .lowerLetter
        case "(A)": .upperLetter
        case "(i)": .lowerRoman
        case "(I)": .upperRoman
        default: nil
        }
    }

    private struct Reader {
        let limits: BillImportLimits
        var numbering = PlainTextBillImporter.defaultNumbering
        var inHeader = true
        var title: String?
        var longTitle: String?
        var preamble: [String] = []
        var drafts: [ProvisionDraft] = []
        /// The paragraph being read (lines joined with spaces) and whether a blank line came since the last text.
        var paragraph: [String] = []
        var afterBlank = true
        var currentPart: Int?
        var currentChapter: Int?
        var currentSection: Int?
        /// Open provisions below the current section: (level, draft index, ordinal).
        var levels: [(level: Int, draft: Int, ordinal: NumberingStyle.Ordinal, num: String)] = []

        init(limits: BillImportLimits) {
            self.limits = limits
        }

        func fail(_ code: BillImportError.Code, _ line: Int, _ column: Int? = nil, _ message: String) -> BillImportError {
            BillImportError(code, line: line, column: column, message)
        }

        mutating func line(_ raw: ArraySlice<Unicode.Scalar>, number: Int) throws(BillImportError) {
            let leading = raw.prefix { $0 == " " || $0 == "\t" }.count
            var view = String.UnicodeScalarView()
            view.append(contentsOf: raw.dropFirst(leading))
            let text = ProvisionText.normalise(String(view))
            let column = leading + 1
            if text.isEmpty {
                endParagraph()
                afterBlank = true
                return
            }
            if text.hasPrefix("#") { return }
            if inHeader, try header(text, number) { return }
            inHeader = false
            if try heading(text, number, column) {
                afterBlank = false
                return
            }
            if try markers(text, number, column) {
                afterBlank = false
                return
            }
            guard text.unicodeScalars.count <= limits.maxTextLength else {
                throw fail(.tooLarge, number, column, "This line is longer than \(limits.maxTextLength) characters.")
            }
            paragraph.append(text)
            afterBlank = false
        }

        /// `Title:`, `Long title:`, `Numbering:`; true when the line was one.
        mutating func header(_ text: String, _ number: Int) throws(BillImportError) -> Bool {
            guard let colon = text.firstIndex(of: ":") else { return false }
            let key = text[..<colon].lowercased()
            let value = ProvisionText.normalise(String(text[text.index(after: colon)...]))
            guard value.unicodeScalars.count <= limits.maxTextLength else {
                throw fail(.tooLarge, number, nil, "This header is longer than \(limits.maxTextLength) characters.")
            }
            switch key {
            case "title":
                title = value.isEmpty ? nil : value
            case "long title":
                longTitle = value.isEmpty ? nil : value
            case "numbering":
                let tokens = value.split(separator: " ").map(String.init)
                var styles: [NumberingStyle] = []
                for token in tokens {
                    guard let style = PlainTextBillImporter.style(ofMarker: token) else {
                        throw fail(.unsupported, number, nil, "\"\(token)\" is not a numbering marker: use (1), (a), (A), (i) or (I).")
                    }
                    guard !styles.contains(style) else {
                        throw fail(.unsupported, number, nil, "\(token) appears twice in Numbering.")
                    }
                    styles.append(style)
                }
                guard (1...6).contains(styles.count) else {
                    throw fail(.unsupported, number, nil, "Numbering lists 1 to 6 markers, such as (1) (a) (i).")
                }
                numbering = styles
            default:
                return false
            }
            return true
        }

        /// A part, chapter or section heading; true when the line was one.
        mutating func heading(_ text: String, _ number: Int, _ column: Int) throws(BillImportError) -> Bool {
            let lowered = text.lowercased()
            var kind: ProvisionKind?
            var rest = Substring(text)
            for (keyword, candidate) in [("part ", ProvisionKind.part), ("chapter ", .chapter), ("section ", .section), ("sec. ", .section)]
            where lowered.hasPrefix(keyword) {
                kind = candidate
                rest = text.dropFirst(keyword.count).drop { $0 == " " }
                break
            }
            let bare = kind == nil
            if bare {
                // The short form `3 Heading` only after a blank line, and only with an arabic number.
                guard afterBlank, let first = text.unicodeScalars.first, first >= "1", first <= "9" else { return false }
                kind = .section
            }
            guard let kind else { return false }
            let numberText = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
            var after = rest.dropFirst(numberText.count)
            let num = String(numberText)
            let styles: [NumberingStyle] = kind == .section ? [.arabic] : [.arabic, .upperRoman, .upperLetter]
            // `Part of the Act…` is a continuation line, not a heading.
            guard !num.isEmpty, styles.contains(where: { $0.ordinal(of: num) != nil }) else { return false }
            if after.hasPrefix(".") { after = after.dropFirst() }
            guard after.isEmpty || [" ", ":", "—", "–"].contains(where: { after.hasPrefix($0) }) else { return false }
            if bare && after.drop(while: { $0 == " " }).isEmpty && !text.hasSuffix(".") { return false }
            after = after.drop { $0 == " " }
            for separator in ["—", "–", ":", "- "] where after.hasPrefix(separator) {
                after = after.dropFirst(separator.count).drop { $0 == " " }
                break
            }
            endParagraph()
            let parent: Int?
            switch kind {
            case .part:
                parent = nil
            case .chapter:
                parent = currentPart
            default:
                parent = currentChapter ?? currentPart
            }
            try append(ProvisionDraft(kind: kind, num: num, heading: after.isEmpty ? nil : String(after), parent: parent, line: number, column: column))
            let index = drafts.count - 1
            switch kind {
            case .part:
                currentPart = index
                currentChapter = nil
                currentSection = nil
            case .chapter:
                currentChapter = index
                currentSection = nil
            default:
                currentSection = index
            }
            levels = []
            return true
        }

        mutating func append(_ draft: ProvisionDraft) throws(BillImportError) {
            guard drafts.count < limits.maxProvisions else {
                throw fail(.tooLarge, draft.line, draft.column, "More than \(limits.maxProvisions) provisions.")
            }
            drafts.append(draft)
        }

        /// One or more markers at the start of the line; true when the line began with one.
        mutating func markers(_ text: String, _ number: Int, _ column: Int) throws(BillImportError) -> Bool {
            var rest = Substring(text)
            var found: [(num: String, column: Int)] = []
            var offset = column
            while rest.hasPrefix("("), let close = rest.firstIndex(of: ")") {
                let inner = String(rest[rest.index(after: rest.startIndex)..<close])
                guard ProvisionNumber.isDesignation(inner), inner.count <= 6 else { break }
                found.append((inner, offset))
                offset += inner.count + 2
                rest = rest[rest.index(after: close)...]
            }
            guard !found.isEmpty else { return false }
            guard rest.isEmpty || rest.hasPrefix(" ") || rest.hasPrefix("—") else {
                // `(a)text` glued: still a marker, but the clerk probably meant a space; accept the text as is.
                if rest.first?.isLetter == false && rest.first?.isNumber == false { return false }
                return try open(found, text: rest, number)
            }
            return try open(found, text: rest.drop { $0 == " " }, number)
        }

        mutating func open(_ found: [(num: String, column: Int)], text: Substring, _ number: Int) throws(BillImportError) -> Bool {
            endParagraph()
            guard let section = currentSection else {
                throw fail(.misplaced, number, found[0].column, "(\(found[0].num)) is outside a section: subsections, paragraphs and points follow a Section heading.")
            }
            for (position, marker) in found.enumerated() {
                let depth = try level(of: marker.num, number, marker.column)
                levels.removeAll { $0.level >= depth }
                let parent = levels.last?.draft ?? section
                let kind: ProvisionKind = depth == 1 ? .subsection : depth == 2 ? .paragraph : .point
                var heading: String?
                var own = ""
                if position == found.count - 1 {
                    (heading, own) = Self.splitHeading(text)
                }
                try append(
                    ProvisionDraft(
                        kind: kind, num: marker.num, heading: heading, parent: parent, line: number, column: marker.column))
                guard let ordinal = numbering[depth - 1].ordinal(of: marker.num) else { continue }
                levels.append((depth, drafts.count - 1, ordinal, marker.num))
                if !own.isEmpty { paragraph.append(own) }
            }
            return true
        }

        /// `Heading.—Text` → (`Heading`, `Text`); otherwise (nil, text).
        static func splitHeading(_ text: Substring) -> (String?, String) {
            for separator in [".—", ".--"] {
                var index = text.startIndex
                while index < text.endIndex, !text[index...].hasPrefix(separator) { index = text.index(after: index) }
                guard index < text.endIndex else { continue }
                let heading = text[..<index]
                guard !heading.isEmpty, heading.unicodeScalars.count <= 120 else { break }
                return (String(heading), text[text.index(index, offsetBy: separator.count)...].trimmingSpaces)
            }
            return (nil, String(text))
        }

        /// The level marker `num` opens or continues (see the type's comment), or the reason it fits none.
        func level(of num: String, _ number: Int, _ column: Int) throws(BillImportError) -> Int {
            let innermost = levels.last?.level ?? 0
            var best: Int?
            var reasons: [String] = []
            for (index, style) in numbering.enumerated() {
                let level = index + 1
                guard let ordinal = style.ordinal(of: num) else { continue }
                if let open = levels.first(where: { $0.level == level }) {
                    if ordinal.follows(open.ordinal) {
                        best = max(best ?? 0, level)
                    } else if ordinal == open.ordinal {
                        reasons.append("(\(num)) repeats the number of the \(Self.name(level)) before it")
                    } else if ordinal < open.ordinal {
                        reasons.append("(\(num)) comes after (\(open.num)): numbers must go up")
                    } else {
                        let expected = style.next(after: open.num).map { " (expected (\($0)))" } ?? ""
                        reasons.append("(\(num)) leaves a gap after (\(open.num))\(expected)")
                    }
                } else if level == innermost + 1 || (innermost == 0 && level == 2) {
                    if ordinal == NumberingStyle.Ordinal(base: 1) {
                        best = max(best ?? 0, level)
                    } else {
                        reasons.append("(\(num)) cannot start a new \(Self.name(level)): the first is (\(style.first))")
                    }
                } else if level > innermost {
                    reasons.append("(\(num)) would be a \(Self.name(level)) with no \(Self.name(level - 1)) above it")
                } else {
                    reasons.append("(\(num)) would be a \(Self.name(level)) after a \(Self.name(innermost)) of a different run")
                }
            }
            if let best { return best }
            if reasons.isEmpty {
                let markers = numbering.map { "(\($0.first))" }.joined(separator: " ")
                throw fail(.numbering, number, column, "(\(num)) is written in no style of this bill's numbering (\(markers)).")
            }
            throw fail(.numbering, number, column, reasons.joined(separator: "; ") + ".")
        }

        static func name(_ level: Int) -> String {
            level == 1 ? "subsection" : level == 2 ? "paragraph" : "point"
        }

        /// Ends the paragraph being read and gives it to the provision above it (or to the preamble).
        mutating func endParagraph() {
            guard !paragraph.isEmpty else { return }
            let text = paragraph.joined(separator: " ")
            paragraph = []
            if drafts.isEmpty {
                preamble.append(text)
            } else {
                drafts[drafts.count - 1].paragraphs.append(text)
            }
        }

        mutating func finish() throws(BillImportError) -> BillDocument {
            endParagraph()
            for draft in drafts {
                let text = draft.paragraphs.joined(separator: "\n")
                guard text.unicodeScalars.count <= limits.maxTextLength else {
                    throw fail(.tooLarge, draft.line, draft.column, "The text of \(draft.kind.label(draft.num)) is longer than \(limits.maxTextLength) characters.")
                }
            }
            let tree = try ProvisionTreeBuilder.build(drafts, limits: limits)
            let joined = ProvisionText.join(preamble)
            guard joined.unicodeScalars.count <= limits.maxTextLength else {
                throw fail(.tooLarge, drafts.first?.line ?? 0, nil, "The preamble is longer than \(limits.maxTextLength) characters.")
            }
            return BillDocument(title: title, longTitle: longTitle, preamble: joined, provisions: tree)
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces.
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
