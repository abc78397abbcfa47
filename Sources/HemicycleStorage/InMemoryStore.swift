public import HemicycleCore

/// A store in memory, for tests and for trying things out. Same contracts as `SQLiteStore`, without durability.
public actor InMemoryStore: HemicycleStore {
    var petitionsByID: [Petition.ID: Petition] = [:]
    private var sittingsByID: [Sitting.ID: Sitting] = [:]
    /// Per petition, per email, the names (household keys) that signed, in any state.
    var signatureNames: [Petition.ID: [String: Set<String>]] = [:]
    /// Every stored signature (creators and supporters included), by id.
    var signatureRows: [Int64: SignatureRow] = [:]
    var nextSignatureID: Int64 = 1
    // Regions (InMemoryStore+Signatures.swift).
    var regionData = RegionData()
    var postcodeTable: [String: String] = [:]
    var invalidationRecords: [Invalidation] = []
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
    var sponsorTokens: [Petition.ID: String] = [:]
    var tokens: [String: (token: EmailToken, used: Bool)] = [:]
    var outbox: [OutboxEntry] = []
    var anonymised: Set<Petition.ID> = []
    /// Every listing asked of the store (tests check that listings are bounded and never read drafts).
    private var listings: [(query: PetitionQuery, limit: Int, offset: Int)] = []
    /// When set, the next hearing or staff write throws it.
    var failNextWrite: (any Error)?
    var hearingWritePause: (@Sendable (Sitting.ID) async -> Void)?
    /// Moderators' claims, one per question.
    var claimsByQuestion: [Question.ID: QuestionClaim] = [:]
    /// Sittings inside `withSitting`, and the transactions waiting for each (first in, first out).
    var sittingsLocked: Set<Sitting.ID> = []
    var sittingWaiters: [Sitting.ID: [CheckedContinuation<Void, Never>]] = [:]
    // Draft legislation (InMemoryStore+Bills.swift).
    var billRecords = InMemoryBills()

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

    /// Makes every later hearing write (`insertQuestion`, `commitHearing`) wait for `pause` with its sitting before it
    /// stores anything: a slow disk as one sitting sees it, for tests of what runs meanwhile. `nil` ends it.
    public func pauseHearingWrites(_ pause: (@Sendable (Sitting.ID) async -> Void)?) {
        hearingWritePause = pause
    }

    /// Makes the next commit fail with `error`.
    public func failNextCommit(with error: any Error) {
        failNextCommit = error
    }

    public func petition(_ id: Petition.ID) async throws -> Petition? { petitionsByID[id] }

    public func petitions(_ query: PetitionQuery, limit: Int, offset: Int) async throws -> [Petition] {
        listings.append((query, limit, offset))
        let all = petitionsByID.values.filter(query.matches).sorted(by: query.precedes)
        return Array(all.dropFirst(max(0, offset)).prefix(PetitionQuery.clamped(limit)))
    }

    public func countPetitions(_ query: PetitionQuery) async throws -> Int {
        listings.append((query, 0, 0))
        return petitionsByID.values.filter(query.matches).count
    }

    /// Every `petitions(_:limit:offset:)` and `countPetitions` call so far (a count shows as limit 0), oldest first.
    public func petitionListings() -> [(query: PetitionQuery, limit: Int, offset: Int)] { listings }

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

    public func sittings(in states: Set<SittingState>, limit: Int) async throws -> [Sitting] {
        Array(try await sittings().filter { states.contains($0.state) }.prefix(max(0, limit)))
    }

    public func commitSignatures(_ batch: [PendingSignature], now: Timestamp) async throws -> SignatureBatchResult {
        if let error = failNextCommit {
            failNextCommit = nil
            throw error
        }
        // Decided by the core's rules (as every store), then applied: a batch is all or nothing.
        let items = batch.map(\.decisionItem)
        var read: [Petition.ID: SignatureBatchDecision.PetitionRead] = [:]
        for petitionID in Set(batch.map(\.petitionID)) {
            guard let petition = petitionsByID[petitionID] else { continue }
            read[petitionID] = SignatureBatchDecision.PetitionRead(petition: petition, signedNames: signatureNames[petitionID] ?? [:])
        }
        let decision = SignatureBatchDecision(items, petitions: read, constituencies: postcodeTable, now: now)
        var outcomes = decision.refusals
        for admission in decision.admissions {
            let item = batch[admission.index]
            let id = nextSignatureID
            nextSignatureID += 1
            signatureNames[item.petitionID, default: [:]][item.signature.email, default: []].insert(item.signature.nameKey)
            let state: SignatureState = item.held ? .held : item.confirmation == nil ? .counted : .pending
            signatureRows[id] = SignatureRow(
                record: SignatureRecord(
                    id: id, petitionID: item.petitionID, name: item.signature.name, email: item.signature.email, postcode: item.signature.postcode,
                    country: item.signature.country, constituency: admission.constituency, address: item.address, state: state, createdAt: now
                ),
                nameKey: item.signature.nameKey, confirmedAt: state == .counted ? now : nil, heldAtCreation: item.held
            )
            if let confirmation = item.confirmation, !item.held {
                tokens[confirmation.tokenHash] = (EmailToken(hash: confirmation.tokenHash, purpose: .signature, subject: id, expiresAt: confirmation.expiresAt), false)
                appendMail(confirmation.mail, now: now)
            }
            outcomes[admission.index] = decision.outcome(of: items[admission.index], held: item.held, signatureID: id)
        }
        var changes: [SignatureBatchResult.CountChange] = []
        for change in decision.countChanges {
            _ = addToCount(change.petitionID, change.counted, now: now)
            changes.append(.init(petitionID: change.petitionID, signatureCount: change.newCount, thresholdsReached: change.crossed))
        }
        return SignatureBatchResult(outcomes: outcomes.map { $0 ?? .notFound }, changes: changes)
    }

    /// Adds `delta` to a petition's count and stamps (and returns) the thresholds it crosses.
    func addToCount(_ petitionID: Petition.ID, _ delta: Int, now: Timestamp) -> [Threshold] {
        guard var petition = petitionsByID[petitionID] else { return [] }
        petition.signatureCount += delta
        petition.updatedAt = now
        let crossed = delta > 0 ? petition.thresholdsCrossed(by: petition.signatureCount, at: now) : []
        for threshold in crossed {
            if let index = petition.thresholds.firstIndex(where: { $0.name == threshold.name }) { petition.thresholds[index].reachedAt = now }
        }
        petitionsByID[petitionID] = petition
        return crossed
    }

    public func confirmSignature(_ id: Int64, now: Timestamp) async throws -> SignatureBatchResult.CountChange? {
        try checkWrite()
        guard var row = signatureRows[id] else { throw StoreError(.notFound, "No signature \(id).") }
        guard row.record.state == .pending else { return nil }
        if let state = petitionsByID[row.record.petitionID]?.state, !state.acceptsSignatures { throw StoreError.notOpen(state) }
        row.record.state = .counted
        row.confirmedAt = now
        signatureRows[id] = row
        let crossed = addToCount(row.record.petitionID, 1, now: now)
        return .init(petitionID: row.record.petitionID, signatureCount: petitionsByID[row.record.petitionID]?.signatureCount ?? 0, thresholdsReached: crossed)
    }

    public func storedSignatureCount(_ id: Petition.ID) async throws -> Int {
        signatureRows.values.filter { $0.record.petitionID == id && $0.record.state == .counted }.count
    }

    /// Stores a creator's or supporter's signature, pending (InMemoryStore+Petitions).
    func addSponsor(_ petition: Petition.ID, _ signature: ValidSignature, kind: SignatureRecord.Kind, now: Timestamp) -> Int64 {
        let id = nextSignatureID
        nextSignatureID += 1
        signatureNames[petition, default: [:]][signature.email, default: []].insert(signature.nameKey)
        signatureRows[id] = SignatureRow(
            record: SignatureRecord(
                id: id, petitionID: petition, name: signature.name, email: signature.email, postcode: signature.postcode, country: signature.country,
                constituency: signature.postcodeKey.flatMap { postcodeTable[$0] }, kind: kind, state: .pending, createdAt: now
            ),
            nameKey: signature.nameKey, confirmedAt: nil, heldAtCreation: false
        )
        return id
    }

    /// Whether `email` has signed (or supports) `petition` in any form.
    func hasSigned(_ petition: Petition.ID, email: String) -> Bool {
        signatureNames[petition]?[email] != nil
    }

    public func close() async throws {}
}
