/// How the hub treats an event it publishes.
public enum Delivery: Sendable {
    /// Conflated per topic and event name: at most one per tick, always the latest; a slow reader keeps only the
    /// latest. For counts.
    case conflated
    /// Every event is delivered, in order; a reader that cannot take it is closed so it can resume.
    case reliable
}
