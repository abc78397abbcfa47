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
        let signature = nextID()
        sponsorSignatures[signature] = (created.id, creator.email, creator.nameKey, "creator", false)
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
        let id = nextID()
        sponsorSignatures[id] = (petition, signature.email, signature.nameKey, "supporter", false)
        var stored = token
        stored.subject = id
        tokens[token.hash] = (stored, false)
        outbox.append((nextID(), mail, 0, now, false))
    }

    public func useToken(hash: String, now: Timestamp) async throws -> EmailToken? {
        try checkWrite()
        guard let entry = tokens[hash], !entry.used, entry.token.expiresAt > now else { return nil }
        tokens[hash] = (entry.token, true)
        return entry.token
    }

    public func confirmSponsorSignature(_ id: Int64, now: Timestamp) async throws -> (petition: Petition.ID, supporters: Int) {
        try checkWrite()
        guard let row = sponsorSignatures[id] else { throw StoreError(.notFound, "No signature \(id).") }
        if !row.counted {
            sponsorSignatures[id] = (row.petition, row.email, row.name, row.kind, true)
            countSponsor(row.petition, email: row.email, name: row.name, now: now)
        }
        let supporters = sponsorSignatures.values.filter { $0.petition == row.petition && $0.kind == "supporter" && $0.counted }.count
        return (row.petition, supporters)
    }

    public func signatureHistory(of petition: Petition.ID, bucketMilliseconds: Int64) async throws -> [(start: Timestamp, added: Int)] {
        var buckets: [Int64: Int] = [:]
        for time in countedAt[petition] ?? [] { buckets[time.millisecondsSince1970 / bucketMilliseconds, default: 0] += 1 }
        return buckets.sorted { $0.key < $1.key }.map { (Timestamp(millisecondsSince1970: $0.key * bucketMilliseconds), $0.value) }
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
        try await petitions().filter { $0.state == .open && ($0.closingAt.map { $0 <= now } ?? false) }.sorted { $0.id < $1.id }
    }

    public func anonymiseSignatures(closedBefore: Timestamp) async throws -> Int {
        try checkWrite()
        var count = 0
        for petition in try await petitions() where petition.state == .closed && (petition.closedAt.map { $0 <= closedBefore } ?? false) {
            guard anonymised.insert(petition.id).inserted else { continue }
            count += countedSignatures[petition.id] ?? 0
        }
        return count
    }

    /// The mail in the outbox (tests read confirmation links from it).
    public func outboxMail() -> [OutgoingMail] { outbox.map(\.mail) }

    /// Each outbox entry's attempts and whether it was sent (tests of the mailer).
    public func outboxState() -> [(attempts: Int, sent: Bool)] { outbox.map { ($0.attempts, $0.sent) } }
}
