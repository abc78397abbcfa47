/// A condition over stored signatures, for bulk invalidation and the review of held signatures: every given part must
/// hold (petition, email domain, IP range, time window, states). Pure: stores use `matches` or translate it to SQL.
public struct SignatureFilter: Sendable, Equatable {
    public var petition: Petition.ID?
    /// The part after `@`, lowercased; matches that domain exactly.
    public var emailDomain: String?
    public var addressRange: IPAddressRange?
    /// Signatures created at or after `from` and before `until`.
    public var from: Timestamp?
    public var until: Timestamp?
    /// Which states match (never empty).
    public var states: Set<SignatureState>

    public init(
        petition: Petition.ID? = nil, emailDomain: String? = nil, addressRange: IPAddressRange? = nil, from: Timestamp? = nil,
        until: Timestamp? = nil, states: Set<SignatureState> = [.pending, .counted, .held]
    ) {
        self.petition = petition
        self.emailDomain = emailDomain
        self.addressRange = addressRange
        self.from = from
        self.until = until
        self.states = states
    }

    /// Whether the filter names at least one condition besides states (bulk invalidation refuses "everything").
    public var isNarrowed: Bool {
        petition != nil || emailDomain != nil || addressRange != nil || from != nil || until != nil
    }

    /// Whether a signature with these fields matches.
    public func matches(petition: Petition.ID, email: String, address: String?, createdAt: Timestamp, state: SignatureState) -> Bool {
        if let wanted = self.petition, wanted != petition { return false }
        if !states.contains(state) { return false }
        if let from, createdAt < from { return false }
        if let until, createdAt >= until { return false }
        if let emailDomain, Self.domain(of: email) != emailDomain { return false }
        if let addressRange {
            guard let address, addressRange.contains(address) else { return false }
        }
        return true
    }

    /// The domain of an email address, lowercased ("" when there is no `@`).
    public static func domain(of email: String) -> String {
        guard let at = email.lastIndex(of: "@") else { return "" }
        return email[email.index(after: at)...].lowercased()
    }
}
