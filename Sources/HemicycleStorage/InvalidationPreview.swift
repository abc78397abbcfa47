public import HemicycleCore

/// What a bulk invalidation would change (or changed): per petition, how many signatures match in each state.
public struct InvalidationPreview: Sendable, Equatable {
    public struct PetitionCounts: Sendable, Equatable {
        public var petitionID: Petition.ID
        public var counted: Int
        public var pending: Int
        public var held: Int

        public init(petitionID: Petition.ID, counted: Int = 0, pending: Int = 0, held: Int = 0) {
            self.petitionID = petitionID
            self.counted = counted
            self.pending = pending
            self.held = held
        }

        public var total: Int { counted + pending + held }
    }

    /// By petition id, ascending.
    public var petitions: [PetitionCounts]

    public init(petitions: [PetitionCounts]) {
        self.petitions = petitions
    }

    public var total: Int { petitions.reduce(0) { $0 + $1.total } }
    /// How far the counts go down (only counted signatures are in them).
    public var counted: Int { petitions.reduce(0) { $0 + $1.counted } }

    /// Tallies matching records (in any order) by petition and state; invalidated ones are left out.
    public init(records: [(petition: Petition.ID, state: SignatureState)]) {
        var byPetition: [Petition.ID: PetitionCounts] = [:]
        for record in records {
            var counts = byPetition[record.petition] ?? PetitionCounts(petitionID: record.petition)
            switch record.state {
            case .counted: counts.counted += 1
            case .pending: counts.pending += 1
            case .held: counts.held += 1
            case .invalidated: continue
            }
            byPetition[record.petition] = counts
        }
        petitions = byPetition.values.sorted { $0.petitionID < $1.petitionID }
    }
}
