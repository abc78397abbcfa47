/// How a batch of signatures is decided: the same rules on every store, decided here once. A store reads what the
/// decision needs (each petition of the batch, the name keys already stored for the batch's emails, the constituency
/// of each postcode), builds this value, then writes exactly what it says in one transaction: the admitted
/// signatures, each petition's new count, the thresholds it crosses and the tallies' changes. Nothing here does I/O.
///
/// The rules: a signature for a petition that does not exist or does not take signatures is refused (`notFound`,
/// `notOpen`); the household rule (`HouseholdRule`) is applied in the batch's order, each admitted name counting
/// for the next; an admitted signature counts now only when `Item.counts` (not held, no email confirmation
/// awaited), and only counted signatures move the count, the thresholds and the tallies.
public struct SignatureBatchDecision: Sendable, Equatable {
    /// One signature of the batch.
    public struct Item: Sendable, Equatable {
        public let petitionID: Petition.ID
        public let signature: ValidSignature
        /// It counts as soon as it is stored: neither held for review nor waiting for its email confirmation.
        public let counts: Bool

        public init(petitionID: Petition.ID, signature: ValidSignature, counts: Bool) {
            self.petitionID = petitionID
            self.signature = signature
            self.counts = counts
        }
    }

    /// What the store read for one petition of the batch.
    public struct PetitionRead: Sendable, Equatable {
        public let petition: Petition
        /// The name keys stored for each of the batch's emails on this petition (emails with none may be left out).
        public let signedNames: [String: Set<String>]

        public init(petition: Petition, signedNames: [String: Set<String>]) {
            self.petition = petition
            self.signedNames = signedNames
        }
    }

    /// An admitted signature: its index in the batch and the constituency of its postcode, if the table knows it.
    public struct Admission: Sendable, Equatable {
        public let index: Int
        public let constituency: String?
    }

    /// What the batch does to one petition that exists (open or not, so a store may lock and check every row the
    /// decision rests on).
    public struct PetitionChange: Sendable, Equatable {
        public let petitionID: Petition.ID
        /// Signatures that count now (0 when the petition is not open).
        public let counted: Int
        /// The petition's count after the batch.
        public let newCount: Int
        /// Thresholds reached for the first time, stamped with the decision's time.
        public let crossed: [Threshold]
        public let tallies: TallyDeltas
    }

    /// Each signature's outcome where it is known before writing (refused); nil for an admitted one, whose outcome
    /// names the id the store gives it (`outcome(ofAdmitted:signatureID:)`).
    public private(set) var refusals: [SignatureOutcome?]
    /// The admitted signatures, grouped by petition in the order the petitions first appear in the batch.
    public private(set) var admissions: [Admission] = []
    /// One entry per existing petition of the batch, in the same order.
    public private(set) var petitions: [PetitionChange] = []

    /// Decides `batch` on what was read: `petitions` (a petition missing here does not exist) and `constituencies`
    /// (postcode key to constituency code), at `now`.
    public init(_ batch: [Item], petitions read: [Petition.ID: PetitionRead], constituencies: [String: String], now: Timestamp) {
        refusals = [SignatureOutcome?](repeating: nil, count: batch.count)
        var order: [Petition.ID] = []
        var byPetition: [Petition.ID: [Int]] = [:]
        for (index, item) in batch.enumerated() {
            if byPetition[item.petitionID] == nil { order.append(item.petitionID) }
            byPetition[item.petitionID, default: []].append(index)
        }
        for petitionID in order {
            let indexes = byPetition[petitionID] ?? []
            guard let entry = read[petitionID] else {
                for index in indexes { refusals[index] = .notFound }
                continue
            }
            let petition = entry.petition
            guard petition.state.acceptsSignatures else {
                for index in indexes { refusals[index] = .notOpen(petition.state) }
                petitions.append(PetitionChange(petitionID: petitionID, counted: 0, newCount: petition.signatureCount, crossed: [], tallies: TallyDeltas()))
                continue
            }
            var names = entry.signedNames
            var counted = 0
            var tallies = TallyDeltas()
            for index in indexes {
                let signature = batch[index].signature
                switch HouseholdRule.verdict(on: signature.nameKey, signed: names[signature.email, default: []]) {
                case .duplicate: refusals[index] = .duplicate
                case .householdLimit: refusals[index] = .householdLimit
                case .admitted:
                    names[signature.email, default: []].insert(signature.nameKey)
                    let area = signature.postcodeKey.flatMap { constituencies[$0] }
                    admissions.append(Admission(index: index, constituency: area))
                    if batch[index].counts {
                        counted += 1
                        tallies.add(country: signature.country, constituency: area, 1)
                    }
                }
            }
            let newCount = petition.signatureCount + counted
            let crossed = counted > 0 ? petition.thresholdsCrossed(by: newCount, at: now) : []
            petitions.append(PetitionChange(petitionID: petitionID, counted: counted, newCount: newCount, crossed: crossed, tallies: tallies))
        }
    }

    /// The count changes to publish: the petitions whose count moved.
    public var countChanges: [PetitionChange] { petitions.filter { $0.counted > 0 } }

    /// The outcome of an admitted `item` once stored as `signatureID`: held (when the store holds it for review),
    /// counted (with its petition's count after the batch), or waiting for its email confirmation.
    public func outcome(of item: Item, held: Bool, signatureID: Int64) -> SignatureOutcome {
        if held { return .held(signatureID: signatureID) }
        guard item.counts else { return .awaitingConfirmation(signatureID: signatureID) }
        let count = petitions.first { $0.petitionID == item.petitionID }?.newCount ?? 0
        return .accepted(signatureID: signatureID, count: count)
    }
}
