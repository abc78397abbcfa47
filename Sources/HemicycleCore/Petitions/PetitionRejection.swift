/// Why a petition was rejected: a coded reason (whose public text the parliament configures) and optional details.
public struct PetitionRejection: Sendable, Equatable {
    public var code: String
    public var details: String?

    public init(code: String, details: String? = nil) {
        self.code = code
        self.details = details
    }
}
