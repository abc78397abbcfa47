/// What changed between two texts, as a reader sees it: struck words and inserted words (`WordDiff.diff`).
/// Used for a proposed rewording against its clause, and for a clause between two versions.
public struct Redline: Sendable, Equatable {
    public let runs: [DiffRun]

    /// The redline turning `old` into `new`.
    public init(from old: String, to new: String) {
        self.runs = WordDiff.diff(old, new)
    }

    /// The old text (equal and deleted runs).
    public var oldText: String { runs.filter { $0.operation != .insert }.map(\.text).joined() }
    /// The new text (equal and inserted runs).
    public var newText: String { runs.filter { $0.operation != .delete }.map(\.text).joined() }
    /// Whether nothing changed.
    public var isUnchanged: Bool { runs.allSatisfy { $0.operation == .equal } }
    /// How many words were struck.
    public var wordsDeleted: Int { words(.delete) }
    /// How many words were inserted.
    public var wordsInserted: Int { words(.insert) }

    private func words(_ operation: DiffRun.Operation) -> Int {
        runs.filter { $0.operation == operation }.reduce(0) { $0 + TextToken.words($1.text).count }
    }
}
