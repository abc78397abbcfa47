/// Per-field validation messages, in the order they were found. Rendered as `{"fields":{"email":"…"}}` and as an
/// error summary on HTML forms.
public struct FieldErrors: Error, Sendable, Equatable {
    public private(set) var entries: [(field: String, message: String)] = []

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(field: String) -> String? {
        get { entries.first { $0.field == field }?.message }
        set {
            entries.removeAll { $0.field == field }
            if let newValue { entries.append((field, newValue)) }
        }
    }

    public static func == (lhs: FieldErrors, rhs: FieldErrors) -> Bool {
        lhs.entries.map(\.field) == rhs.entries.map(\.field) && lhs.entries.map(\.message) == rhs.entries.map(\.message)
    }
}
