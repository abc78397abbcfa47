/// The one grammar of email addresses that people give: signers, petition creators, supporters, and staff added on
/// the command line (Protocol/PETITIONS.md §2). Deliberately stricter than RFC 5322: what is accepted here is passed to
/// the mail command as one argument and written in one `To:` header, so nothing in it may be read as a second
/// recipient, a header or an option.
///
/// Accepted: `local@domain`, at most 254 characters, lowercased.
/// - the local part (1–64 characters) is a dot-atom of ASCII letters, digits and ``!#$%&'*+-/=?^_`{|}~``: no spaces,
///   commas, semicolons, colons, angle or square brackets, double quotes, parentheses, backslashes or control
///   characters, no leading, trailing or doubled dot, and no leading hyphen (it would read as an option);
/// - the domain has at least two labels separated by dots, each 1–63 ASCII letters, digits or hyphens, not starting or
///   ending with a hyphen, and the last not all digits. Internationalised domains are accepted in their ASCII
///   (`xn--`) form only: non-ASCII text is refused rather than converted, since a wrong conversion would mail a
///   stranger.
/// Confirmation by email, not this grammar, proves that an address is someone's.
public enum EmailAddress {
    public static let maxLength = 254
    public static let maxLocalPartLength = 64
    public static let maxLabelLength = 63

    /// The address trimmed of surrounding whitespace and lowercased, or a message for people saying what is wrong.
    public static func validate(_ raw: String) -> Result<String, FieldMessage> {
        let address = trimmed(raw).lowercased()
        if address.isEmpty { return .failure(FieldMessage("Enter your email address.", key: "email_error_empty")) }
        if let problem = problem(in: address) { return .failure(problem) }
        return .success(address)
    }

    /// Whether `address` (already trimmed; any case) follows the grammar.
    public static func isValid(_ address: String) -> Bool { problem(in: address.lowercased()) == nil }

    private static let format = FieldMessage("Enter an email address in the correct format, like name@example.com.", key: "email_error_format")
    private static let localSymbols = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    private static func problem(in address: String) -> FieldMessage? {
        let scalars = address.unicodeScalars
        if scalars.count > maxLength { return FieldMessage("An email address has at most \(maxLength) characters.", key: "email_error_too_long", values: ["max": "\(maxLength)"]) }
        if scalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            return FieldMessage("An email address cannot contain spaces, line breaks or control characters.", key: "email_error_spaces")
        }
        if scalars.contains(where: { !$0.isASCII }) {
            return FieldMessage(
                "Use only letters a-z, digits and . _ - + in an email address (a domain with accents in its xn-- form).", key: "email_error_ascii")
        }
        if scalars.contains(where: { ",;:<>\"()[]\\".unicodeScalars.contains($0) }) {
            return FieldMessage(
                "An email address cannot contain commas, semicolons, colons, quotes, brackets or backslashes.", key: "email_error_symbols")
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return format }
        let local = parts[0], domain = parts[1]
        guard !local.isEmpty, !domain.isEmpty else { return format }
        if local.unicodeScalars.count > maxLocalPartLength {
            return FieldMessage(
                "The part before @ has at most \(maxLocalPartLength) characters.", key: "email_error_local_too_long", values: ["max": "\(maxLocalPartLength)"])
        }
        guard local.unicodeScalars.allSatisfy({ isAlphanumeric($0) || localSymbols.contains($0) || $0 == "." }),
            !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."), !local.hasPrefix("-")
        else { return format }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return format }
        for label in labels {
            guard !label.isEmpty, label.unicodeScalars.count <= maxLabelLength, !label.hasPrefix("-"), !label.hasSuffix("-"),
                label.unicodeScalars.allSatisfy({ isAlphanumeric($0) || $0 == "-" })
            else { return format }
        }
        if let last = labels.last, last.unicodeScalars.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) { return format }
        return nil
    }

    private static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
    }

    private static func trimmed(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
