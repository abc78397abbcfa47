/// The bounds every bill import is held to, so a hostile or broken file costs bounded time and memory.
/// Defaults are documented in Protocol/LEGISLATION.md.
public struct BillImportLimits: Sendable, Equatable {
    /// The largest file, in bytes.
    public var maxBytes = 4 * 1024 * 1024
    /// The most provisions in one version.
    public var maxProvisions = 5_000
    /// The deepest element nesting in XML (the subset needs about 15).
    public var maxXMLDepth = 48
    /// The most points inside points (US clauses and sub-clauses need 3).
    public var maxPointNesting = 4
    /// The longest own text of one provision, heading or title, in Unicode scalars.
    public var maxTextLength = 20_000
    /// The most attributes on one XML element.
    public var maxAttributes = 32
    /// The longest XML name or attribute value, in Unicode scalars.
    public var maxNameLength = 256

    public init() {}
}
