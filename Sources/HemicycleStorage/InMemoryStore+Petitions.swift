public import HemicycleCore

extension InMemoryStore {
    public func createPetition(_ petition: Petition, creator: ValidSignature, sponsorToken: String, token: EmailToken, mail: OutgoingMail) async throws -> Petition {
        try checkWrite()
        var created = petition
        created.id = Petition.ID(nextID())
        created.creatorName = creator.name
        created.signatureCount = 0
        put(created)
        sponsorTokens[created.id] = sponsorToken
        let signature = addSponsor(created.id, creator, kind: .creator, now: petition.createdAt)
        var stored = token
        stored.subject = signature
        tokens[token.hash] = (stored, false)
        outbox.append((nextID(), mail, 0, petition.createdAt, false))
        return created
    }

    public func updatePetition(_ petition: Petition, audit: AuditEntry?) async throws {
        try checkWrite()
        guard var stored = try await self.petition(petition.id) else { throw StoreError(.notFound, "No petition \(petition.id).") }
        stored.state = petition.state
        stored.updatedAt = petition.updatedAt
        stored.openedAt = petition.openedAt
        stored.closedAt = petition.closedAt
        stored.closingAt = petition.closingAt
        stored.moderationThresholdReachedAt = petition.moderationThresholdReachedAt
        stored.rejectedAt = petition.rejectedAt
        stored.hiddenAt = petition.hiddenAt
        stored.abandonedAt = petition.abandonedAt
        stored.rejection = petition.rejection
        stored.governmentResponse = petition.governmentResponse
        stored.debate = petition.debate
        put(stored)
        if let audit { auditEntries.append(audit) }
    }

    public func sponsorToken(of petition: Petition.ID) async throws -> String? { sponsorTokens[petition] }

    public func addSupporter(_ petition: Petition.ID, signature: ValidSignature, token: EmailToken, mail: OutgoingMail, now: Timestamp) async throws {
        try checkWrite()
        guard !hasSigned(petition, email: signature.email) else {
            throw StoreError(.conflict, "This email address already supports this petition.")
        }
        let id = addSponsor(petition, signature, kind: .supporter, now: now)
        var stored = token
        stored.subject = id
        tokens[token.hash] = (stored, false)
        outbox.append((nextID(), mail, 0, now, false))
    }

    public func useToken(hash: String, now: Timestamp) async throws -> EmailToken? {
        try checkWrite()
        guard let entry = tokens[hash], !entry.used, entry.token.expiresAt > now else { return nil }
        if let row = signatureRows[entry.token.subject], let state = petitionsByID[row.record.petitionID]?.state {
            let refused = entry.token.purpose == .signature ? !state.acceptsSignatures : state.isFinal
            if refused { throw StoreError.notOpen(state) }
        }
        tokens[hash] = (entry.token, true)
        return entry.token
    }

    public func confirmSponsorSignature(_ id: Int64, now: Timestamp) async throws -> (petition: Petition.ID, supporters: Int) {
        try checkWrite()
        guard var row = signatureRows[id] else { throw StoreError(.notFound, "No signature \(id).") }
        if let state = petitionsByID[row.record.petitionID]?.state, state.isFinal { throw StoreError.notOpen(state) }
        if row.record.state == .pending {
            row.record.state = .counted
            row.confirmedAt = now
            signatureRows[id] = row
            _ = addToCount(row.record.petitionID, 1, now: now)
        }
        let petition = row.record.petitionID
        let supporters = signatureRows.values.filter { $0.record.petitionID == petition && $0.record.kind == .supporter && $0.record.state == .counted }.count
        return (petition, supporters)
    }

    public func enqueue(_ mail: OutgoingMail, now: Timestamp) async throws {
        try checkWrite()
        outbox.append((nextID(), mail, 0, now, false))
    }

    public func dueMail(now: Timestamp, limit: Int) async throws -> [QueuedMail] {
        Array(outbox.filter { !$0.sent && $0.due <= now }.prefix(limit).map { QueuedMail(id: $0.id, mail: $0.mail, attempts: $0.attempts) })
    }

    public func markSent(_ ids: [Int64], at now: Timestamp) async throws {
        for id in ids {
            if let index = outbox.firstIndex(where: { $0.id == id }) {
                outbox[index].sent = true
                outbox[index].attempts += 1
            }
        }
    }

    public func markFailed(_ id: Int64, error: String, retryAt: Timestamp) async throws {
        if let index = outbox.firstIndex(where: { $0.id == id }) {
            outbox[index].attempts += 1
            outbox[index].due = retryAt
        }
    }

    public func petitionsToClose(now: Timestamp) async throws -> [Petition] {
        petitionsByID.values.filter { $0.state == .open && ($0.closingAt.map { $0 <= now } ?? false) }.sorted { $0.id < $1.id }
    }

    public func anonymise(endedBefore: Timestamp) async throws -> Int {
        try checkWrite()
        var count = 0
        for var petition in petitionsByID.values.sorted(by: { $0.id < $1.id }) where petition.endedAt.map({ $0 <= endedBefore }) ?? false {
            guard anonymised.insert(petition.id).inserted else { continue }
            petition.creatorName = nil
            put(petition)
            sponsorTokens[petition.id] = nil
            signatureNames[petition.id] = nil  // the household rule's emails and names
            for (id, row) in signatureRows where row.record.petitionID == petition.id {
                var erased = row
                erased.record.name = ""
                erased.record.email = "anonymised-\(id)"
                erased.record.postcode = nil
                erased.record.address = nil
                erased.nameKey = ""
                signatureRows[id] = erased
                count += 1
            }
        }
        return count
    }

    /// The mail in the outbox (tests read confirmation links from it).
    public func outboxMail() -> [OutgoingMail] { outbox.map(\.mail) }

    /// Each outbox entry's attempts and whether it was sent (tests of the mailer).
    public func outboxState() -> [(attempts: Int, sent: Bool)] { outbox.map { ($0.attempts, $0.sent) } }
}
