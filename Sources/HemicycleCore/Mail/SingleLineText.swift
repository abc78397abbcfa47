/// The rule for text that must stay on one line: petition titles (`action`), and the names of creators, supporters
/// and signers. Such text can reach a mail subject, a header, a CSV row or a log line, where a line break would start
/// something new.
public enum SingleLineText {
    /// Whether `text` has no line break and no control character: no CR, LF, tab, NEL or any other C0 or C1 control,
    /// and no Unicode line or paragraph separator (U+2028, U+2029).
    public static func isSingleLine(_ text: String) -> Bool {
        !text.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: true
            default: false
            }
        }
    }

    /// The message a form shows when `isSingleLine` is false.
    public static let message = "This must be one line, without line breaks or control characters."

    /// `message` with its key in the page strings, for the forms that show it in the page's language.
    public static let fieldMessage = FieldMessage(message, key: "field_error_one_line")
}
