public import HemicycleCore

/// A store in memory, for tests and for trying things out. Same contracts as `SQLiteStore`, without durability.
public actor InMemoryStore: HemicycleStore {
    var petitionsByID: [Petition.ID: Petition] = [:]
    private var sittingsByID: [Sitting.ID: Sitting] = [:]
    /// Per petition, per email, the names (household keys) that signed, confirmed or not.
    var signatureNames: [Petition.ID: [String: Set<String>]] = [:]
    /// Counted signatures per petition (creators and supporters included once confirmed).
    var countedSignatures: [Petition.ID: Int] = [:]
    /// When each counted signature was counted, per petition (for `signatureHistory`).
    var countedAt: [Petition.ID: [Timestamp]] = [:]
    /// Signatures waiting for their emailed confirmation, by id.
    var pendingSigners: [Int64: Petition.ID] = [:]
    private var nextSignatureID: Int64 = 1
    /// When set, the next `commitSignatures` throws it (to test that a failed batch changes nothing).
    private var failNextCommit: (any Error)?
    // Hearings and staff (InMemoryStore+Hearings.swift, InMemoryStore+Staff.swift).
    var questionsByID: [Question.ID: Question] = [:]
    var moderationEntries: [ModerationLogEntry] = []
    var notesByID: [BackstageNote.ID: BackstageNote] = [:]
    var staffByID: [StaffMember.ID: StaffCredentials] = [:]
    var sessions: [String: StaffSession] = [:]
    var auditEntries: [AuditEntry] = []
    var secrets: [String: String] = [:]
    var lastID: Int64 = 0
    // Petition lifecycle (InMemoryStore+Petitions.swift).
    var sponsorSignatures: [Int64: (petition: Petition.ID, email: String, name: String, kind: String, counted: Bool)] = [:]
    var sponsorTokens: [Petition.ID: String] = [:]
    var tokens: [String: (token: EmailToken, used: Bool)] = [:]
    var outbox: [(id: Int64, mail: OutgoingMail, attempts: Int, due: Timestamp, sent: Bool)] = []
    var anonymised: Set<Petition.ID> = []
    /// When set, the next hearing or staff write throws it.
    var failNextWrite: (any Error)?

    public init() {}

    public func migrate() async throws {}

    public func seedDemoIfEmpty(_ demo: DemoContent) async throws -> Bool {
        guard petitionsByID.isEmpty, sittingsByID.isEmpty else { return false }
        petitionsByID[demo.petition.id] = demo.petition
        sittingsByID[demo.sitting.id] = demo.sitting
        return true
    }

    /// Adds or replaces a petition (test setup).
    public func put(_ petition: Petition) {
        petitionsByID[petition.id] = petition
    }

    /// Makes the next commit fail with `error`.
    public func failNextCommit(with error: any Error) {
        failNextCommit = error
    }

    public func petition(_ id: Petition.ID) async throws -> Petition? { petitionsByID[id] }

    public func petitions() async throws -> [Petition] {
        petitionsByID.values.sorted { $0.id > $1.id }
    }

    public func sitting(_ id: Sitting.ID) async throws -> Sitting? { sittingsByID[id] }

    /// Adds or replaces a sitting (test setup and `InMemoryStore+Hearings`).
    public func put(_ sitting: Sitting) {
        sittingsByID[sitting.id] = sitting
    }

    /// Makes the next hearing or staff write fail with `error` (to test that a failed write changes nothing).
    public func failNextWrite(with error: any Error) {
        failNextWrite = error
    }

    func checkWrite() throws {
        if let error = failNextWrite {
            failNextWrite = nil
            throw error
        }
    }

    func nextID() -> Int64 {
        lastID += 1
        return lastID + 1000
    }

    public func sittings() async throws -> [Sitting] {
        sittingsByID.values.sorted { ($0.scheduledStart, $0.id) < ($1.scheduledStart, $1.id) }
    }

    public func commitSignatures(_ batch: [PendingSignature], now: Timestamp) async throws -> SignatureBatchResult {
        if let error = failNextCommit {
            failNextCommit = nil
            throw error
        }
        var petitions = petitionsByID
        var names = signatureNames
        var outcomes: [SignatureOutcome] = []
        var touched: [Petition.ID] = []
        var reached: [Petition.ID: [Threshold]] = [:]
        var pending: [(id: Int64, item: PendingSignature)] = []
        var counted: [Petition.ID: Int] = [:]
        var ids = nextSignatureID
        for item in batch {
            guard var petition = petitions[item.petitionID] else {
                outcomes.append(.notFound)
                continue
            }
            guard petition.state.acceptsSignatures else {
                outcomes.append(.notOpen(petition.state))
                continue
            }
            let held = names[item.petitionID, default: [:]][item.signature.email, default: []]
            if held.contains(item.signature.nameKey) {
                outcomes.append(.duplicate)
                continue
            }
            if held.count >= 2 {
                outcomes.append(.householdLimit)
                continue
            }
            names[item.petitionID, default: [:]][item.signature.email, default: []].insert(item.signature.nameKey)
            if item.confirmation != nil {
                pending.append((ids, item))
                outcomes.append(.awaitingConfirmation(signatureID: ids))
                ids += 1
                continue
            }
            petition.signatureCount += 1
            petition.updatedAt = now
            counted[item.petitionID, default: 0] += 1
            let crossed = petition.thresholdsCrossed(by: petition.signatureCount, at: now)
            for threshold in crossed {
                if let index = petition.thresholds.firstIndex(where: { $0.name == threshold.name }) {
                    petition.thresholds[index].reachedAt = now
                }
            }
            reached[item.petitionID, default: []] += crossed
            petitions[item.petitionID] = petition
            if !touched.contains(item.petitionID) { touched.append(item.petitionID) }
            outcomes.append(.accepted(signatureID: ids, count: 0))
            ids += 1
        }
        petitionsByID = petitions
        signatureNames = names
        for (petition, n) in counted {
            countedSignatures[petition, default: 0] += n
            countedAt[petition, default: []] += Array(repeating: now, count: n)
        }
        for (id, item) in pending {
            pendingSigners[id] = item.petitionID
            if let confirmation = item.confirmation {
                tokens[confirmation.tokenHash] = (EmailToken(hash: confirmation.tokenHash, purpose: .signature, subject: id, expiresAt: confirmation.expiresAt), false)
                outbox.append((nextID(), confirmation.mail, 0, now, false))
            }
        }
        nextSignatureID = ids
        let counts = petitions.mapValues(\.signatureCount)
        let final = zip(batch, outcomes).map { item, outcome -> SignatureOutcome in
            if case .accepted(let id, _) = outcome { return .accepted(signatureID: id, count: counts[item.petitionID] ?? 0) }
            return outcome
        }
        let changes = touched.map {
            SignatureBatchResult.CountChange(petitionID: $0, signatureCount: counts[$0] ?? 0, thresholdsReached: reached[$0] ?? [])
        }
        return SignatureBatchResult(outcomes: final, changes: changes)
    }

    public func confirmSignature(_ id: Int64, now: Timestamp) async throws -> SignatureBatchResult.CountChange? {
        try checkWrite()
        guard let petitionID = pendingSigners[id] else {
            if id < nextSignatureID { return nil }  // confirmed before (or counted at once)
            throw StoreError(.notFound, "No signature \(id).")
        }
        pendingSigners[id] = nil
        guard var petition = petitionsByID[petitionID] else { throw StoreError(.notFound, "No petition \(petitionID).") }
        petition.signatureCount += 1
        petition.updatedAt = now
        let crossed = petition.thresholdsCrossed(by: petition.signatureCount, at: now)
        for threshold in crossed {
            if let index = petition.thresholds.firstIndex(where: { $0.name == threshold.name }) { petition.thresholds[index].reachedAt = now }
        }
        petitionsByID[petitionID] = petition
        countedSignatures[petitionID, default: 0] += 1
        countedAt[petitionID, default: []].append(now)
        return .init(petitionID: petitionID, signatureCount: petition.signatureCount, thresholdsReached: crossed)
    }

    public func storedSignatureCount(_ id: Petition.ID) async throws -> Int {
        countedSignatures[id] ?? 0
    }

    /// Counts a confirmed creator or supporter signature (InMemoryStore+Petitions).
    func countSponsor(_ petition: Petition.ID, email: String, name: String, now: Timestamp) {
        signatureNames[petition, default: [:]][email, default: []].insert(name)
        countedSignatures[petition, default: 0] += 1
        countedAt[petition, default: []].append(now)
        petitionsByID[petition]?.signatureCount += 1
        petitionsByID[petition]?.updatedAt = now
    }

    /// Whether `email` has signed (or supports) `petition` in any form.
    func hasSigned(_ petition: Petition.ID, email: String) -> Bool {
        signatureNames[petition]?[email] != nil
            || sponsorSignatures.values.contains { $0.petition == petition && $0.email == email }
    }

    public func close() async throws {}
}
