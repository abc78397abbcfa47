import Foundation

/// The one normal form of every text in a bill (headings, provision text, quotes): NFC, with each run of white
/// space (spaces, tabs, line ends, no-break spaces) turned into a single space, trimmed. Paragraphs of a provision
/// are joined with a single `\n`.
///
/// Both importers and the anchor checks use it, so the same bill gives the same text whatever its format, and a
/// quote copied from a page matches whatever white space the page showed. Foundation is used for NFC only.
public enum ProvisionText {
    /// One paragraph in normal form.
    public static func normalise(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Paragraphs in normal form, empty ones dropped, joined with `\n`.
    public static func join(_ paragraphs: [String]) -> String {
        paragraphs.map(normalise).filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Text that may hold several paragraphs (separated by `\n`), each put in normal form: what a comment's quote and
    /// a provision's text are compared in.
    public static func normaliseKeepingParagraphs(_ text: String) -> String {
        join(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }
}
