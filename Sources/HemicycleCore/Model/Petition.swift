/// A petition as the public sees it.
public struct Petition: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<Petition>

    public var id: ID
    /// What the petition asks for (at most 80 characters on the UK site).
    public var action: String
    public var background: String
    public var additionalDetails: String
    public var state: PetitionState
    /// Signatures that count.
    public var signatureCount: Int
    public var creatorName: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var openedAt: Timestamp?
    public var closedAt: Timestamp?
    /// The day it stops taking signatures, while open.
    public var closingAt: Timestamp?
    public var thresholds: [Threshold]

    public init(
        id: ID, action: String, background: String, additionalDetails: String, state: PetitionState,
        signatureCount: Int, creatorName: String?, createdAt: Timestamp, updatedAt: Timestamp,
        openedAt: Timestamp?, closedAt: Timestamp?, closingAt: Timestamp?, thresholds: [Threshold]
    ) {
        self.id = id
        self.action = action
        self.background = background
        self.additionalDetails = additionalDetails
        self.state = state
        self.signatureCount = signatureCount
        self.creatorName = creatorName
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.closingAt = closingAt
        self.thresholds = thresholds
    }

    /// The live topic that carries this petition's count.
    public var topic: Topic { .petition(id) }

    /// The thresholds that `newCount` reaches for the first time, stamped with `now`.
    public func thresholdsCrossed(by newCount: Int, at now: Timestamp) -> [Threshold] {
        thresholds.filter { $0.reachedAt == nil && newCount >= $0.signatures }.map {
            Threshold(name: $0.name, signatures: $0.signatures, reachedAt: now)
        }
    }
}
