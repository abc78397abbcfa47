/// Where a version of a bill stands: a clerk's `draft` (previewed, re-importable, invisible to the public) becomes
/// `published` (the current version, read and, within its window, commented on) and then `superseded` when the next
/// version is published.
public enum BillVersionState: String, Sendable, CaseIterable {
    case draft
    case published
    case superseded

    /// The label used on the wire and in exports (the raw value).
    public var label: String { rawValue }
}
