import Foundation

/// Validation of what participants type: questions, names and regions (Protocol/HEARINGS.md §3).
///
/// Text is trimmed and NFC-normalised, then counted in grapheme clusters (what a reader sees as characters). Markup
/// (`<`, `>`) and control characters are refused rather than escaped: questions are shown as text everywhere, and a
/// refused character tells the participant at once instead of surprising them on the screen.
public enum QuestionText {
    /// The longest display name.
    public static let maxNameLength = 60
    /// The longest region or constituency.
    public static let maxRegionLength = 80

    /// The normalised text, or a message saying what is wrong.
    public static func validate(_ raw: String, maxLength: Int, required: Bool = true) -> Result<String, FieldMessage> {
        let text = normalise(raw)
        if text.isEmpty {
            return required ? .failure(FieldMessage("This cannot be empty.")) : .success("")
        }
        if text.count > maxLength {
            return .failure(FieldMessage("This is \(text.count) characters long; the limit is \(maxLength)."))
        }
        if text.contains(where: { $0 == "<" || $0 == ">" }) {
            return .failure(FieldMessage("Markup is not allowed: remove < and >."))
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            return .failure(FieldMessage("This contains control characters."))
        }
        return .success(text)
    }

    /// Trimmed of whitespace and newlines, NFC-normalised.
    public static func normalise(_ raw: String) -> String {
        raw.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A message about one input field, for people.
public struct FieldMessage: Error, Sendable, Equatable {
    public let text: String
    public init(_ text: String) { self.text = text }
}
