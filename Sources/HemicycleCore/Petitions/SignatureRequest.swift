/// A signature as submitted, before validation.
public struct SignatureRequest: Sendable, Equatable {
    public var name: String
    public var email: String
    public var postcode: String?
    public var country: String?

    public init(name: String, email: String, postcode: String? = nil, country: String? = nil) {
        self.name = name
        self.email = email
        self.postcode = postcode
        self.country = country
    }

    /// Checks every field and returns the normalised signature, or every field's problem at once.
    public func validated() -> Result<ValidSignature, FieldErrors> {
        var errors = FieldErrors()
        let name = Self.trimmed(self.name)
        if name.isEmpty {
            errors["name"] = "Enter your name."
        } else if name.count > ValidSignature.maxNameLength {
            errors["name"] = "Name must be \(ValidSignature.maxNameLength) characters or fewer."
        } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors["name"] = "Name must not contain control characters."
        }

        let email = Self.trimmed(self.email).lowercased()
        if email.isEmpty {
            errors["email"] = "Enter your email address."
        } else if !Self.isPlausibleEmail(email) {
            errors["email"] = "Enter an email address in the correct format, like name@example.com."
        }

        var postcode: String?
        if let raw = self.postcode.map(Self.trimmed), !raw.isEmpty {
            let compact = raw.uppercased()
            let allowed = compact.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == " " || $0 == "-" }
            if !allowed || compact.count < 2 || compact.count > 10 {
                errors["postcode"] = "Enter a valid postcode (2 to 10 letters, digits, spaces or hyphens)."
            } else {
                postcode = compact
            }
        }

        var country: String?
        if let raw = self.country.map(Self.trimmed), !raw.isEmpty {
            let code = raw.uppercased()
            if code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) {
                country = code
            } else {
                errors["country"] = "Enter a two-letter country code, like GB."
            }
        }

        if !errors.isEmpty { return .failure(errors) }
        return .success(ValidSignature(name: name, email: email, postcode: postcode, country: country))
    }

    static func trimmed(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// A deliberately plain check (one `@`, a dotted domain, no spaces, RFC 5321 lengths): confirmation by email,
    /// not a regex, is what proves an address.
    static func isPlausibleEmail(_ email: String) -> Bool {
        guard email.utf8.count <= 254, !email.contains(where: { $0.isWhitespace || $0.isNewline }) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return false }
        let domain = parts[1]
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") })
        else { return false }
        return domain.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }
    }
}
