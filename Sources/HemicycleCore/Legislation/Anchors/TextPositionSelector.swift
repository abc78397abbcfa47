/// A W3C Web Annotation `TextPositionSelector`: the passage from `start` (included) to `end` (excluded) in a
/// provision's `quotableText`, counted in Unicode scalars (code points), as the Web Annotation model counts
/// characters. A browser, whose strings count UTF-16 units, converts (`Array.from(text)` counts code points).
public struct TextPositionSelector: Sendable, Equatable, Hashable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// How many scalars the passage spans.
    public var length: Int { end - start }
}
