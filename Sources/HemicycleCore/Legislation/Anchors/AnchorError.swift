/// Why a comment's anchor was refused. Nothing is stored when one is thrown.
public enum AnchorError: Error, Sendable, Equatable {
    /// No provision has this eId in the version.
    case unknownProvision(EId)
    /// The key sent does not belong to the provision with this eId (the page was built from another version).
    case keyMismatch(eId: EId, key: ProvisionKey)
    /// The quote is empty once white space is trimmed.
    case emptyQuote
    /// The quote or its context is longer than allowed.
    case quoteTooLong(limit: Int)
    /// The quoted words are not in the provision's text.
    case quoteNotFound
    /// The quote occurs several times and neither prefix, suffix nor position tells which.
    case quoteAmbiguous(occurrences: Int)
    /// The quote occurs, but never with this prefix and suffix around it.
    case contextMismatch
    /// The position is outside the text, empty, or given without a quote.
    case positionOutOfRange
    /// The text at the position is not the quote.
    case positionMismatch

    /// The stable error code (`{"error":{"code"}}` at the HTTP edge, status 422).
    public var code: String {
        switch self {
        case .unknownProvision: "unknown_provision"
        case .keyMismatch: "provision_key_mismatch"
        case .emptyQuote: "quote_empty"
        case .quoteTooLong: "quote_too_long"
        case .quoteNotFound: "quote_not_found"
        case .quoteAmbiguous: "quote_ambiguous"
        case .contextMismatch: "quote_context_mismatch"
        case .positionOutOfRange: "position_out_of_range"
        case .positionMismatch: "position_mismatch"
        }
    }

    /// A sentence for people.
    public var message: String {
        switch self {
        case .unknownProvision(let eId): "This version has no provision \(eId)."
        case .keyMismatch(let eId, let key): "Provision \(eId) is not \(key) in this version; reload the page."
        case .emptyQuote: "The quoted passage is empty."
        case .quoteTooLong(let limit): "The quoted passage or its context is longer than \(limit) characters."
        case .quoteNotFound: "The quoted passage is not in this provision's text."
        case .quoteAmbiguous(let count): "The quoted passage occurs \(count) times; select a longer passage."
        case .contextMismatch: "The quoted passage occurs, but not with the words around it that were sent."
        case .positionOutOfRange: "The position of the passage is outside the provision's text."
        case .positionMismatch: "The text at the position given is not the quoted passage."
        }
    }
}
