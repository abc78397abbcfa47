public import HemicycleCore

/// A store in memory, for tests and for trying things out. Same contracts as `SQLiteStore`, without durability.
public actor InMemoryStore: HemicycleStore {
    var petitionsByID: [Petition.ID: Petition] = [:]
    private var sittingsByID: [Sitting.ID: Sitting] = [:]
    var signatureEmails: [Petition.ID: Set<String>] = [:]
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
    var sponsorSignatures: [Int64: (petition: Petition.ID, email: String, kind: String, counted: Bool)] = [:]
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
        var emails = signatureEmails
        var outcomes: [SignatureOutcome] = []
        var touched: [Petition.ID] = []
        var reached: [Petition.ID: [Threshold]] = [:]
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
            guard emails[item.petitionID, default: []].insert(item.signature.email).inserted else {
                outcomes.append(.duplicate)
                continue
            }
            petition.signatureCount += 1
            petition.updatedAt = now
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
        signatureEmails = emails
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

    public func storedSignatureCount(_ id: Petition.ID) async throws -> Int {
        signatureEmails[id]?.count ?? 0
    }

    /// Counts a confirmed creator or supporter signature (InMemoryStore+Petitions).
    func countSponsor(_ petition: Petition.ID, email: String, now: Timestamp) {
        signatureEmails[petition, default: []].insert(email)
        petitionsByID[petition]?.signatureCount += 1
        petitionsByID[petition]?.updatedAt = now
    }

    /// Whether `email` has signed (or supports) `petition` in any form.
    func hasSigned(_ petition: Petition.ID, email: String) -> Bool {
        signatureEmails[petition]?.contains(email) == true
            || sponsorSignatures.values.contains { $0.petition == petition && $0.email == email }
    }

    public func close() async throws {}
}
