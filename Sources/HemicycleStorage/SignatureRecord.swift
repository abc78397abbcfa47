public import HemicycleCore

/// A stored signature as staff see it (review of held signatures, bulk invalidation). Never in public output.
public struct SignatureRecord: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case signature, creator, supporter
    }

    public var id: Int64
    public var petitionID: Petition.ID
    public var name: String
    public var email: String
    public var postcode: String?
    public var country: String?
    /// The constituency code its postcode maps to, if any.
    public var constituency: String?
    /// The client's IP address when it signed (nil for signatures from before addresses were kept).
    public var address: String?
    public var kind: Kind
    public var state: SignatureState
    public var createdAt: Timestamp

    public init(
        id: Int64, petitionID: Petition.ID, name: String, email: String, postcode: String? = nil, country: String? = nil, constituency: String? = nil,
        address: String? = nil, kind: Kind = .signature, state: SignatureState, createdAt: Timestamp
    ) {
        self.id = id
        self.petitionID = petitionID
        self.name = name
        self.email = email
        self.postcode = postcode
        self.country = country
        self.constituency = constituency
        self.address = address
        self.kind = kind
        self.state = state
        self.createdAt = createdAt
    }
}
