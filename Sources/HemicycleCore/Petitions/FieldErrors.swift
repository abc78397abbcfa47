/// Per-field validation messages, in the order they were found. Rendered as `{"fields":{"email":"…"}}` and as an
/// error summary on HTML forms.
public struct FieldErrors: Error, Sendable, Equatable {
    public private(set) var entries: [(field: String, message: String)] = []
    /// The messages that have a key in the page strings (`set(_:_:)`), by field.
    private var keyed: [String: FieldMessage] = [:]

    public init() {}

    /// Sets `field`'s message, keeping its key so that `localized(_:)` can translate it.
    public mutating func set(_ field: String, _ message: FieldMessage) {
        self[field] = message.text
        if message.key != nil { keyed[field] = message }
    }

    /// `field`'s message with its key (when it was set with one), else its text alone; nil when the field has none.
    public func message(_ field: String) -> FieldMessage? {
        guard let text = self[field] else { return nil }
        return keyed[field] ?? FieldMessage(text)
    }

    /// The same errors, in the same order, each message with a key in the language of `template` (the key's string,
    /// nil when that language has none); messages without a key or a string keep their English text.
    public func localized(_ template: (String) -> String?) -> FieldErrors {
        var out = FieldErrors()
        for entry in entries {
            if let message = keyed[entry.field] {
                out.set(entry.field, FieldMessage(message.localized(template), key: message.key, values: message.values))
            } else {
                out[entry.field] = entry.message
            }
        }
        return out
    }

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(field: String) -> String? {
        get { entries.first { $0.field == field }?.message }
        set {
            entries.removeAll { $0.field == field }
            keyed[field] = nil
            if let newValue { entries.append((field, newValue)) }
        }
    }

    public static func == (lhs: FieldErrors, rhs: FieldErrors) -> Bool {
        lhs.entries.map(\.field) == rhs.entries.map(\.field) && lhs.entries.map(\.message) == rhs.entries.map(\.message)
    }
}
