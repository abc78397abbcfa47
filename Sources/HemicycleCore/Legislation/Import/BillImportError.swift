/// Why a bill file was refused: where (1-based line, and column in Unicode scalars when known) and what is wrong.
/// An importer that throws it has produced nothing.
public struct BillImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is; stable, for tests and for the HTTP edge (`{"error":{"code"}}`).
    public enum Code: String, Sendable, CaseIterable {
        /// The bytes are not UTF-8, or hold a character XML or the format forbids (control characters).
        case encoding = "import_encoding"
        /// Over a size limit (`BillImportLimits`): bytes, provisions, depth, text length.
        case tooLarge = "import_too_large"
        /// Not well-formed XML (unclosed tag, bad attribute, text outside the root…).
        case malformedXML = "import_malformed_xml"
        /// A DOCTYPE, or an entity other than the five predefined ones and numeric references.
        case forbiddenXML = "import_forbidden_xml"
        /// An element outside the supported Akoma Ntoso subset, or a plain-text line the format does not know.
        case unsupported = "import_unsupported"
        /// An element or provision where it cannot be (a subsection outside a section, content beside children).
        case misplaced = "import_misplaced"
        /// A required part is missing (no body, a provision without a number, no provision at all).
        case missing = "import_missing"
        /// A number that is not a designation, or one that breaks the sequence (gap, duplicate, wrong order).
        case numbering = "import_numbering"
        /// An `eId` that is not the one the naming convention gives, or an `eId`/`wId` that is malformed or repeated.
        case identifier = "import_identifier"
    }

    public var code: Code
    /// 1-based; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based, counted in Unicode scalars; nil when unknown.
    public var column: Int?
    public var message: String

    public init(_ code: Code, line: Int, column: Int? = nil, _ message: String) {
        self.code = code
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line 12, column 5: message`, or `message` for the whole file.
    public var description: String {
        guard line > 0 else { return message }
        return column.map { "line \(line), column \($0): \(message)" } ?? "line \(line): \(message)"
    }
}
