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

    /// The message of a country that `CountryNames` does not know.
    public static let unknownCountryMessage = "Enter a country from the list, or its two-letter code, like GB."

    /// Checks every field and returns the normalised signature, or every field's problem at once.
    /// - Parameter countries: the countries people may name (a name in any page language, or a code), resolved to
    ///   their code; without it, any two-letter code is taken as it is.
    public func validated(countries: CountryNames? = nil) -> Result<ValidSignature, FieldErrors> {
        var errors = FieldErrors()
        let name = Self.trimmed(self.name)
        if name.isEmpty {
            errors.set("name", FieldMessage("Enter your name.", key: "name_error_empty"))
        } else if name.count > ValidSignature.maxNameLength {
            errors.set("name", FieldMessage(
                "Name must be \(ValidSignature.maxNameLength) characters or fewer.", key: "name_error_too_long",
                values: ["max": "\(ValidSignature.maxNameLength)"]))
        } else if !SingleLineText.isSingleLine(name) {
            errors.set("name", FieldMessage("Name must be one line, without line breaks or control characters.", key: "name_error_one_line"))
        }

        var email = ""
        switch EmailAddress.validate(self.email) {
        case .success(let valid): email = valid
        case .failure(let message): errors.set("email", message)
        }

        var postcode: String?
        if let raw = self.postcode.map(Self.trimmed), !raw.isEmpty {
            let compact = raw.uppercased()
            let allowed = compact.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == " " || $0 == "-" }
            if !allowed || compact.count < 2 || compact.count > 10 {
                errors.set("postcode", FieldMessage("Enter a valid postcode (2 to 10 letters, digits, spaces or hyphens).", key: "postcode_error_invalid"))
            } else {
                postcode = compact
            }
        }

        var country: String?
        if let raw = self.country.map(Self.trimmed), !raw.isEmpty {
            let code = raw.uppercased()
            if let countries {
                if let known = countries.code(for: raw) { country = known } else { errors.set("country", FieldMessage(Self.unknownCountryMessage, key: "country_error_unknown")) }
            } else if code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) {
                country = code
            } else {
                errors.set("country", FieldMessage("Enter a two-letter country code, like GB.", key: "country_error_code"))
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
}
