/// A run of a word diff: text both sides share, text only the old side has, or text only the new side has.
public struct DiffRun: Sendable, Equatable, Hashable {
    public enum Operation: String, Sendable, CaseIterable {
        case equal
        case delete
        case insert
    }

    public var operation: Operation
    public var text: String

    public init(_ operation: Operation, _ text: String) {
        self.operation = operation
        self.text = text
    }
}
