import Foundation

/// Validation of what participants type: questions, names and regions (Protocol/HEARINGS.md §3).
///
/// Text is trimmed and NFC-normalised, then counted in grapheme clusters (what a reader sees as characters). Markup
/// (`<`, `>`) and control characters are refused rather than escaped: questions are shown as text everywhere, and a
/// refused character tells the participant at once instead of surprising them on the screen.
///
/// A character count alone does not bound the size: one "character" can carry any number of combining marks, so 280
/// characters could be 16 KB stored, sent to every viewer and drawn over the lines above and below. Text is therefore
/// also limited to `bytesPerCharacter` UTF-8 bytes per allowed character (1,120 bytes for 280 characters: room for
/// any script and emoji, on average), and each character to `maxMarksPerCharacter` combining marks.
public enum QuestionText {
    /// The longest display name.
    public static let maxNameLength = 60
    /// The longest region or constituency.
    public static let maxRegionLength = 80
    /// UTF-8 bytes allowed per allowed character: a text of at most `maxLength` characters has at most
    /// `maxLength * bytesPerCharacter` bytes (after NFC).
    public static let bytesPerCharacter = 4
    /// Combining marks (Unicode categories Mn, Mc, Me) allowed in one character: enough for any written language
    /// (Indic conjuncts, Hebrew points, Vietnamese tones), not for "Zalgo" text that spills over other lines.
    public static let maxMarksPerCharacter = 8

    /// The most UTF-8 bytes of a text limited to `maxLength` characters.
    public static func maxBytes(forLength maxLength: Int) -> Int { maxLength * bytesPerCharacter }

    /// The normalised text, or a message saying what is wrong.
    public static func validate(_ raw: String, maxLength: Int, required: Bool = true) -> Result<String, FieldMessage> {
        // A raw text far over the byte limit is refused before normalising it: NFC of a huge text costs time.
        let maxBytes = maxBytes(forLength: maxLength)
        if raw.utf8.count > 4 * maxBytes + 1024 {
            return .failure(FieldMessage(
                "This is \(raw.utf8.count) bytes long; the limit is \(maxBytes) bytes (\(bytesPerCharacter) per character).",
                key: "field_error_bytes", values: ["bytes": "\(raw.utf8.count)", "max": "\(maxBytes)", "per": "\(bytesPerCharacter)"]))
        }
        let text = normalise(raw)
        if text.isEmpty {
            return required ? .failure(FieldMessage("This cannot be empty.", key: "field_error_empty")) : .success("")
        }
        if text.count > maxLength {
            return .failure(FieldMessage(
                "This is \(text.count) characters long; the limit is \(maxLength).", key: "field_error_too_long",
                values: ["count": "\(text.count)", "max": "\(maxLength)"]))
        }
        if text.utf8.count > maxBytes {
            return .failure(FieldMessage(
                "This is \(text.utf8.count) bytes long; the limit is \(maxBytes) bytes (\(bytesPerCharacter) per character): use fewer accents, symbols or emoji.",
                key: "field_error_bytes_marks", values: ["bytes": "\(text.utf8.count)", "max": "\(maxBytes)", "per": "\(bytesPerCharacter)"]
            ))
        }
        if text.contains(where: { marks(in: $0) > maxMarksPerCharacter }) {
            return .failure(FieldMessage(
                "A character carries more than \(maxMarksPerCharacter) accents or other combining marks.", key: "field_error_marks",
                values: ["max": "\(maxMarksPerCharacter)"]))
        }
        if text.contains(where: { $0 == "<" || $0 == ">" }) {
            return .failure(FieldMessage("Markup is not allowed: remove < and >.", key: "field_error_markup"))
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            return .failure(FieldMessage("This contains control characters.", key: "field_error_control"))
        }
        return .success(text)
    }

    /// Trimmed of whitespace and newlines, NFC-normalised.
    public static func normalise(_ raw: String) -> String {
        raw.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The combining marks of one character.
    private static func marks(in character: Character) -> Int {
        character.unicodeScalars.reduce(0) { count, scalar in
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: count + 1
            default: count
            }
        }
    }
}

/// A message about one input field, for people: its English `text`, and, for the messages the pages translate, the
/// key of its strings (`WebClient/i18n/*.json`) and the values of the key's `{name}` placeholders. The edge puts the
/// message in the page's language with `localized(_:)`; without a key (or a translation) the English text stands.
public struct FieldMessage: Error, Sendable, Equatable {
    public let text: String
    public let key: String?
    public let values: [String: String]

    public init(_ text: String, key: String? = nil, values: [String: String] = [:]) {
        self.text = text
        self.key = key
        self.values = values
    }

    /// The message from `template` (the key's string in some language, nil when it has none) with its placeholders
    /// filled; the English text when there is no key or no template.
    public func localized(_ template: (String) -> String?) -> String {
        guard let key, let text = template(key) else { return self.text }
        return values.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }
}
