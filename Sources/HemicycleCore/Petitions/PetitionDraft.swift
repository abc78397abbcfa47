/// A new petition as its creator submits it, before validation (Protocol/PETITIONS.md §2).
public struct PetitionDraft: Sendable, Equatable {
    public var action: String
    public var background: String
    public var additionalDetails: String
    public var creator: SignatureRequest

    public init(action: String, background: String, additionalDetails: String, creator: SignatureRequest) {
        self.action = action
        self.background = background
        self.additionalDetails = additionalDetails
        self.creator = creator
    }

    /// Configurable limits, in characters.
    public struct Limits: Sendable, Equatable {
        public var action = 80
        public var background = 300
        public var additionalDetails = 800
        public init() {}
    }

    /// The normalised texts and the creator's valid signature, or every field's problem at once.
    /// - Parameter countries: the countries the creator may name (`SignatureRequest.validated(countries:)`).
    public func validated(limits: Limits = Limits(), countries: CountryNames? = nil) -> Result<(action: String, background: String, additionalDetails: String, creator: ValidSignature), FieldErrors> {
        var errors = FieldErrors()
        func text(_ field: String, _ raw: String, max: Int, required: Bool) -> String {
            switch QuestionText.validate(raw, maxLength: max, required: required) {
            case .success(let clean): return clean
            case .failure(let message):
                errors.set(field, message)
                return ""
            }
        }
        let action = text("action", action, max: limits.action, required: true)
        // The title goes into mail subjects, feeds and CSV rows: one line (surrounding whitespace is trimmed first).
        if errors["action"] == nil, !SingleLineText.isSingleLine(action) {
            errors.set("action", SingleLineText.fieldMessage)
        }
        let background = text("background", background, max: limits.background, required: true)
        let details = text("additional_details", additionalDetails, max: limits.additionalDetails, required: false)
        var creator: ValidSignature?
        switch self.creator.validated(countries: countries) {
        case .success(let valid): creator = valid
        case .failure(let creatorErrors):
            for entry in creatorErrors.entries where errors[entry.field] == nil {
                errors.set(entry.field, creatorErrors.message(entry.field) ?? FieldMessage(entry.message))
            }
        }
        guard errors.isEmpty, let creator else { return .failure(errors) }
        return .success((action, background, details, creator))
    }
}
