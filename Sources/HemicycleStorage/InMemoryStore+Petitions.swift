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
        appendMail(mail, now: petition.createdAt)
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
        appendMail(mail, now: now)
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
        appendMail(mail, now: now)
    }

    /// Adds one message to the outbox (every write that queues mail).
    func appendMail(_ mail: OutgoingMail, now: Timestamp) {
        outbox.append(OutboxEntry(
            id: nextID(), kind: mail.kind, recipient: mail.to, subject: mail.subject, body: mail.body, recipientKey: mail.recipientKey, state: .queued,
            attempts: 0, createdAt: now, nextAttemptAt: now, finishedAt: nil, lastError: nil
        ))
    }

    public func dueMail(now: Timestamp, limit: Int) async throws -> [QueuedMail] {
        outbox.filter { $0.state == .queued && $0.nextAttemptAt <= now }
            .sorted { ($0.kind.priority, $0.nextAttemptAt, $0.id) < ($1.kind.priority, $1.nextAttemptAt, $1.id) }
            .prefix(limit)
            .map { QueuedMail(id: $0.id, mail: OutgoingMail(to: $0.recipient, subject: $0.subject, body: $0.body, kind: $0.kind, recipientKey: $0.recipientKey), attempts: $0.attempts) }
    }

    public func markSent(_ ids: [Int64], at now: Timestamp) async throws {
        for id in ids {
            if let index = outbox.firstIndex(where: { $0.id == id && $0.state == .queued }) {
                outbox[index] = outbox[index].erased()
                outbox[index].state = .sent
                outbox[index].attempts += 1
                outbox[index].finishedAt = now
                outbox[index].lastError = nil
            }
        }
    }

    public func markFailed(_ id: Int64, error: String, retryAt: Timestamp) async throws {
        if let index = outbox.firstIndex(where: { $0.id == id && $0.state == .queued }) {
            outbox[index].attempts += 1
            outbox[index].nextAttemptAt = retryAt
            outbox[index].lastError = error
        }
    }

    public func markAbandoned(_ id: Int64, error: String, at now: Timestamp) async throws {
        if let index = outbox.firstIndex(where: { $0.id == id && $0.state == .queued }) {
            outbox[index] = outbox[index].erased()
            outbox[index].state = .abandoned
            outbox[index].attempts += 1
            outbox[index].finishedAt = now
            outbox[index].lastError = error
        }
    }

    public func mailTally(recipientKey: String, since: Timestamp) async throws -> MailTally {
        let rows = outbox.filter { $0.recipientKey == recipientKey && $0.createdAt >= since }
        return MailTally(count: rows.count, oldest: rows.map(\.createdAt).min())
    }

    public func pruneOutbox(unsentBefore: Timestamp, keysBefore: Timestamp, now: Timestamp) async throws -> OutboxPruning {
        try checkWrite()
        var pruning = OutboxPruning(abandoned: 0, keysForgotten: 0)
        for index in outbox.indices {
            if outbox[index].state == .queued, outbox[index].createdAt < unsentBefore {
                outbox[index] = outbox[index].erased()
                outbox[index].state = .abandoned
                outbox[index].finishedAt = now
                outbox[index].lastError = outbox[index].lastError ?? "expired"
                pruning.abandoned += 1
            }
            if outbox[index].recipientKey != nil, outbox[index].createdAt < keysBefore {
                outbox[index].recipientKey = nil
                pruning.keysForgotten += 1
            }
        }
        return pruning
    }

    public func outboxEntries(limit: Int) async throws -> [OutboxEntry] {
        Array(outbox.sorted { $0.id > $1.id }.prefix(limit))
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

    /// The mail in the outbox, oldest first (tests read confirmation links from it; sent mail is erased).
    public func outboxMail() -> [OutgoingMail] {
        outbox.map { OutgoingMail(to: $0.recipient, subject: $0.subject, body: $0.body, kind: $0.kind, recipientKey: $0.recipientKey) }
    }

    /// Each outbox entry's attempts and whether it was sent (tests of the mailer).
    public func outboxState() -> [(attempts: Int, sent: Bool)] { outbox.map { ($0.attempts, $0.state == .sent) } }
}
