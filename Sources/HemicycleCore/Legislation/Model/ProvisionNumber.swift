/// The bare designation of a provision, from what a `num` element or a heading line says.
public enum ProvisionNumber {
    /// The longest designation (`xxxviii` needs 7).
    public static let maxLength = 12

    /// `2` from `SEC. 2.`, `Section 2`, `2.` or `2`; `b` from `(b)`; `I` from `Part I`; nil when what remains is not
    /// 1 to 12 ASCII letters and digits.
    public static func designation(fromNum num: String) -> String? {
        var text = Substring(ProvisionText.normalise(num))
        let lowered = text.lowercased()
        let keywords = ["section", "sec.", "sec", "part", "chapter", "chap.", "ch.", "§"]
        // A keyword alone (`Section`) has no number.
        if keywords.contains(lowered) || keywords.contains(lowered + ".") { return nil }
        for keyword in keywords where lowered.hasPrefix(keyword) {
            let rest = text.dropFirst(keyword.count)
            // A keyword counts only when a space, a digit or a parenthesis follows (`Section 2`, `SEC.2`), so a
            // designation such as `seca` is not cut.
            if let next = rest.first, next == " " || next.isNumber || next == "(" || keyword.hasSuffix(".") || keyword == "§" {
                text = rest
                break
            }
        }
        text = text.drop { $0 == " " }
        if text.hasSuffix(".") { text = text.dropLast() }
        if text.hasPrefix("("), text.hasSuffix(")") { text = text.dropFirst().dropLast() }
        return isDesignation(String(text)) ? String(text) : nil
    }

    /// Whether `text` is 1 to 12 ASCII letters and digits.
    public static func isDesignation(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.count <= maxLength
            && text.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") }
    }
}
