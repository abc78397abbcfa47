/// A W3C Web Annotation `TextQuoteSelector`: the quoted passage (`exact`) with the words just before (`prefix`) and
/// after (`suffix`) it, which tell apart two occurrences of the same words and help find a passage again after the
/// text changes.
public struct TextQuoteSelector: Sendable, Equatable, Hashable {
    /// The longest quote accepted, in Unicode scalars.
    public static let maxExactLength = 2_000
    /// The longest prefix or suffix accepted from a client, in Unicode scalars.
    public static let maxContextLength = 200
    /// How much context `AnchorResolver` keeps on each side of a resolved quote, in Unicode scalars.
    public static let storedContextLength = 32

    public var exact: String
    public var prefix: String
    public var suffix: String

    public init(exact: String, prefix: String = "", suffix: String = "") {
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
    }
}
