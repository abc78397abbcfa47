public import HemicycleCore
public import HemicycleStorage
import Logging

extension PostgresStore {
    private static func enqueue(_ mail: OutgoingMail, now: Timestamp, _ db: SQLConnection) async throws {
        _ = try await db.query(
            "INSERT INTO outbox (recipient, subject, body, created_at, next_attempt_at, priority, kind, recipient_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(mail.to), .text(mail.subject), .text(mail.body), .ms(now), .ms(now), .int(mail.kind.priority), .text(mail.kind.rawValue),
             mail.recipientKey.map { .text($0) } ?? .null]
        )
    }

    private static func insertToken(_ token: EmailToken, subject: Int64, _ db: SQLConnection) async throws {
        _ = try await db.query(
            "INSERT INTO email_tokens (hash, purpose, subject, expires_at) VALUES (?, ?, ?, ?)",
            [.text(token.hash), .text(token.purpose.rawValue), .int(Int(subject)), .ms(token.expiresAt)]
        )
    }

    /// Stores a signer's confirmation: its token (purpose `signature`) and the email carrying it.
    static func storeConfirmation(_ confirmation: PendingSignature.Confirmation, of signature: Int64, now: Timestamp, _ db: SQLConnection) async throws {
        try await insertToken(EmailToken(hash: confirmation.tokenHash, purpose: .signature, subject: signature, expiresAt: confirmation.expiresAt), subject: signature, db)
        try await enqueue(confirmation.mail, now: now, db)
    }

    private static func insertSignature(_ petition: Petition.ID, _ s: ValidSignature, kind: String, now: Timestamp, _ db: SQLConnection) async throws -> Int64? {
        let constituency = try await constituencies(ofPostcodes: s.postcodeKey.map { [$0] } ?? [], db).values.first
        let rows = try await db.query(
            """
            INSERT INTO signatures (petition_id, name, name_key, email, postcode, country, created_at, kind, state, constituency)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ? WHERE NOT EXISTS (SELECT 1 FROM signatures WHERE petition_id = ? AND email = ?)
            RETURNING id
            """,
            [.id(petition.rawValue), .text(s.name), .text(s.nameKey), .text(s.email), s.postcode.map { .text($0) } ?? .null,
             s.country.map { .text($0) } ?? .null, .ms(now), .text(kind), constituency.map { .text($0) } ?? .null,
             .id(petition.rawValue), .text(s.email)]
        )
        return rows.first?.int("id").map(Int64.init)
    }

    public func createPetition(_ petition: Petition, creator: ValidSignature, sponsorToken: String, token: EmailToken, mail: OutgoingMail) async throws -> Petition {
        try await inTransaction { db in
            let response = petition.thresholds.first { $0.name == "response" }?.signatures ?? 10_000
            let debate = petition.thresholds.first { $0.name == "debate" }?.signatures ?? 100_000
            let rows = try await db.query(
                """
                INSERT INTO petitions (action, background, additional_details, state, signature_count, creator_name, created_at, updated_at,
                    response_threshold, debate_threshold, sponsor_token, search_text)
                VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """,
                [.text(petition.action), .text(petition.background), .text(petition.additionalDetails), .text(petition.state.rawValue),
                 .text(creator.name), .ms(petition.createdAt), .ms(petition.updatedAt), .int(response), .int(debate), .text(sponsorToken),
                 .text(PetitionQuery.searchText(action: petition.action, background: petition.background, additionalDetails: petition.additionalDetails))]
            )
            guard let id = rows.first?.int("id") else { throw StoreError(.corrupt, "INSERT returned no id") }
            guard let signature = try await Self.insertSignature(Petition.ID(Int64(id)), creator, kind: "creator", now: petition.createdAt, db) else {
                throw StoreError(.corrupt, "the creator's signature was not stored")
            }
            try await Self.insertToken(token, subject: signature, db)
            try await Self.enqueue(mail, now: petition.createdAt, db)
            var created = petition
            created.id = Petition.ID(Int64(id))
            created.creatorName = creator.name
            return created
        }
    }

    public func updatePetition(_ p: Petition, audit: AuditEntry?) async throws {
        try await inTransaction { db in
            let rows = try await db.query(
                """
                UPDATE petitions SET state = ?, updated_at = ?, opened_at = ?, closed_at = ?, closing_at = ?, moderation_threshold_reached_at = ?,
                    rejected_at = ?, rejection_code = ?, rejection_details = ?, government_response = ?, debate = ?, hidden_at = ?, abandoned_at = ?
                WHERE id = ? RETURNING id
                """,
                [.text(p.state.rawValue), .ms(p.updatedAt), .ms(p.openedAt), .ms(p.closedAt), .ms(p.closingAt), .ms(p.moderationThresholdReachedAt),
                 .ms(p.rejectedAt), p.rejection.map { .text($0.code) } ?? .null, p.rejection?.details.map { .text($0) } ?? .null,
                 StoredJSON.text(p.governmentResponse).map { .text($0) } ?? .null, StoredJSON.text(p.debate).map { .text($0) } ?? .null,
                 .ms(p.hiddenAt), .ms(p.abandonedAt), .id(p.id.rawValue)]
            )
            guard !rows.isEmpty else { throw StoreError(.notFound, "No petition \(p.id).") }
            if let audit { try await Self.insertAudit([audit], db) }
        }
    }

    public func sponsorToken(of petition: Petition.ID) async throws -> String? {
        try await read("SELECT sponsor_token FROM petitions WHERE id = ?", [.id(petition.rawValue)]).first?.string("sponsor_token")
    }

    public func addSupporter(_ petition: Petition.ID, signature: ValidSignature, token: EmailToken, mail: OutgoingMail, now: Timestamp) async throws {
        try await inTransaction { db in
            guard let id = try await Self.insertSignature(petition, signature, kind: "supporter", now: now, db) else {
                throw StoreError(.conflict, "This email address already supports this petition.")
            }
            try await Self.insertToken(token, subject: id, db)
            try await Self.enqueue(mail, now: now, db)
        }
    }

    public func useToken(hash: String, now: Timestamp) async throws -> EmailToken? {
        try await inTransaction { db in
            // FOR UPDATE: of clicks racing on one link, the others wait here, then find it used (READ COMMITTED
            // re-checks `used_at IS NULL` on the row the winner committed).
            let rows = try await db.query(
                """
                SELECT t.purpose, t.subject, t.expires_at, p.state AS petition_state FROM email_tokens t
                    LEFT JOIN signatures s ON s.id = t.subject LEFT JOIN petitions p ON p.id = s.petition_id
                WHERE t.hash = ? AND t.used_at IS NULL AND t.expires_at > ?
                FOR UPDATE OF t
                """,
                [.text(hash), .ms(now)]
            )
            guard let row = rows.first, let purpose = row.string("purpose").flatMap(EmailToken.Purpose.init(rawValue:)),
                let subject = row.int("subject"), let expires = row.int("expires_at")
            else { return nil }
            // Refused before it is used, so that the link keeps answering why (the state is final either way).
            if let state = row.string("petition_state").flatMap(PetitionState.init(rawValue:)),
                purpose == .signature ? !state.acceptsSignatures : state.isFinal
            {
                throw StoreError.notOpen(state)
            }
            _ = try await db.query("UPDATE email_tokens SET used_at = ? WHERE hash = ?", [.ms(now), .text(hash)])
            return EmailToken(hash: hash, purpose: purpose, subject: Int64(subject), expiresAt: Timestamp(millisecondsSince1970: Int64(expires)))
        }
    }

    public func confirmSponsorSignature(_ id: Int64, now: Timestamp) async throws -> (petition: Petition.ID, supporters: Int) {
        try await inTransaction { db in
            // FOR UPDATE: racing confirmations of one signature wait here and then read it counted, so it counts once.
            guard let row = try await db.query(
                "SELECT petition_id, state, country, constituency FROM signatures WHERE id = ? FOR UPDATE", [.int(Int(id))]
            ).first,
                let petition = row.int("petition_id")
            else { throw StoreError(.notFound, "No signature \(id).") }
            if let state = try await db.query("SELECT state FROM petitions WHERE id = ?", [.int(petition)]).first?.string("state")
                .flatMap(PetitionState.init(rawValue:)), state.isFinal
            {
                throw StoreError.notOpen(state)
            }
            if row.string("state") == "pending" {
                _ = try await db.query("UPDATE signatures SET state = 'counted', confirmed_at = ? WHERE id = ?", [.ms(now), .int(Int(id))])
                _ = try await db.query(
                    "UPDATE petitions SET signature_count = signature_count + 1, updated_at = ? WHERE id = ?", [.ms(now), .int(petition)]
                )
                var tallies = TallyDeltas()
                tallies.add(country: row.string("country"), constituency: row.string("constituency"), 1)
                try await Self.apply(tallies, to: Petition.ID(Int64(petition)), db)
            }
            let supporters = try await db.query(
                "SELECT COUNT(*) AS n FROM signatures WHERE petition_id = ? AND kind = 'supporter' AND state = 'counted'", [.int(petition)]
            ).first?.int("n") ?? 0
            return (Petition.ID(Int64(petition)), supporters)
        }
    }

    public func confirmSignature(_ id: Int64, now: Timestamp) async throws -> SignatureBatchResult.CountChange? {
        try await inTransaction { db in
            // FOR UPDATE: racing confirmations of one signature wait here and then read it counted, so it counts once.
            guard let row = try await db.query(
                "SELECT petition_id, state, country, constituency FROM signatures WHERE id = ? FOR UPDATE", [.int(Int(id))]
            ).first,
                let petitionRaw = row.int("petition_id")
            else { throw StoreError(.notFound, "No signature \(id).") }
            guard row.string("state") == "pending" else { return nil }
            let petitionID = Petition.ID(Int64(petitionRaw))
            // The petition is locked as the signature batches lock it: the new count and the thresholds it crosses are
            // decided on the count no other transaction is changing.
            guard let petitionRow = try await db.query(
                "SELECT \(Self.petitionColumns) FROM petitions WHERE id = ? FOR UPDATE", [.int(petitionRaw)]
            ).first else {
                throw StoreError(.notFound, "No petition \(petitionID).")
            }
            let petition = try Self.petition(from: petitionRow)
            guard petition.state.acceptsSignatures else { throw StoreError.notOpen(petition.state) }
            _ = try await db.query("UPDATE signatures SET state = 'counted', confirmed_at = ? WHERE id = ?", [.ms(now), .int(Int(id))])
            let newCount = petition.signatureCount + 1
            let crossed = petition.thresholdsCrossed(by: newCount, at: now)
            try await Self.addToCount(petitionID, added: 1, crossed: crossed, now: now, db)
            var tallies = TallyDeltas()
            tallies.add(country: row.string("country"), constituency: row.string("constituency"), 1)
            try await Self.apply(tallies, to: petitionID, db)
            return .init(petitionID: petitionID, signatureCount: newCount, thresholdsReached: crossed)
        }
    }

    public func enqueue(_ mail: OutgoingMail, now: Timestamp) async throws {
        try await inTransaction { db in try await Self.enqueue(mail, now: now, db) }
    }

    /// Mail due at `now`, taken by this node for `outboxLeaseMilliseconds`: rows another node holds (its lease not
    /// expired) are skipped without waiting (`FOR UPDATE SKIP LOCKED` while they are being taken, `claimed_until`
    /// after), so each message is sent by one node. This node sees again what it holds, until it marks it sent, failed
    /// or abandoned (which ends the lease); a node that dies mid-send leaves its mail to the others once the lease ends.
    public func dueMail(now: Timestamp, limit: Int) async throws -> [QueuedMail] {
        guard limit > 0 else { return [] }
        let until = Timestamp(millisecondsSince1970: now.millisecondsSince1970 + Self.outboxLeaseMilliseconds)
        return try await inTransaction { db in
            try await db.query(
                """
                WITH due AS (
                    SELECT id FROM outbox
                    WHERE sent_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= ?
                        AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until <= ?)
                    ORDER BY priority, next_attempt_at, id LIMIT ?
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE outbox SET claimed_by = ?, claimed_until = ? FROM due WHERE outbox.id = due.id
                RETURNING outbox.id, recipient, subject, body, attempts, kind, recipient_key, priority, next_attempt_at
                """,
                [.ms(now), .text(node), .ms(now), .int(limit), .text(node), .ms(until)]
            )
        }
        // UPDATE … RETURNING does not keep the subquery's order.
        .sorted { a, b in
            (a.int("priority") ?? 1, a.int("next_attempt_at") ?? 0, a.int("id") ?? 0) < (b.int("priority") ?? 1, b.int("next_attempt_at") ?? 0, b.int("id") ?? 0)
        }
        .map { row in
            QueuedMail(
                id: row.int64("id") ?? 0,
                mail: OutgoingMail(
                    to: row.string("recipient") ?? "", subject: row.string("subject") ?? "", body: row.string("body") ?? "",
                    kind: OutgoingMail.Kind(rawValue: row.string("kind") ?? "") ?? .other, recipientKey: row.string("recipient_key")
                ),
                attempts: row.int("attempts") ?? 0
            )
        }
    }

    public func markSent(_ ids: [Int64], at now: Timestamp) async throws {
        guard !ids.isEmpty else { return }
        try await inTransaction { db in
            for id in ids {
                _ = try await db.query(
                    """
                    UPDATE outbox SET sent_at = ?, attempts = attempts + 1, recipient = '', subject = '', body = '', last_error = NULL,
                        claimed_by = NULL, claimed_until = NULL
                    WHERE id = ? AND sent_at IS NULL AND abandoned_at IS NULL
                    """,
                    [.ms(now), .int(Int(id))]
                )
            }
        }
    }

    public func markFailed(_ id: Int64, error: String, retryAt: Timestamp) async throws {
        try await inTransaction { db in
            _ = try await db.query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND sent_at IS NULL AND abandoned_at IS NULL",
                [.text(error), .ms(retryAt), .int(Int(id))]
            )
        }
    }

    public func markAbandoned(_ id: Int64, error: String, at now: Timestamp) async throws {
        try await inTransaction { db in
            _ = try await db.query(
                """
                UPDATE outbox SET abandoned_at = ?, attempts = attempts + 1, last_error = ?, recipient = '', subject = '', body = '',
                    claimed_by = NULL, claimed_until = NULL
                WHERE id = ? AND sent_at IS NULL AND abandoned_at IS NULL
                """,
                [.ms(now), .text(error), .int(Int(id))]
            )
        }
    }

    public func mailTally(recipientKey: String, since: Timestamp) async throws -> MailTally {
        let row = try await read(
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE recipient_key = ? AND created_at >= ?", [.text(recipientKey), .ms(since)]
        ).first
        return MailTally(
            count: row?.int("n") ?? 0,
            oldest: row?.int("oldest").map { Timestamp(millisecondsSince1970: Int64($0)) }
        )
    }

    public func pruneOutbox(unsentBefore: Timestamp, keysBefore: Timestamp, now: Timestamp) async throws -> OutboxPruning {
        try await inTransaction { db in
            let abandoned = try await db.query(
                """
                UPDATE outbox SET abandoned_at = ?, recipient = '', subject = '', body = '', last_error = COALESCE(last_error, 'expired')
                WHERE sent_at IS NULL AND abandoned_at IS NULL AND created_at < ? RETURNING id
                """,
                [.ms(now), .ms(unsentBefore)]
            )
            let forgotten = try await db.query(
                "UPDATE outbox SET recipient_key = NULL WHERE recipient_key IS NOT NULL AND created_at < ? RETURNING id", [.ms(keysBefore)]
            )
            return OutboxPruning(abandoned: abandoned.count, keysForgotten: forgotten.count)
        }
    }

    public func outboxEntries(limit: Int) async throws -> [OutboxEntry] {
        try await read(
            """
            SELECT id, kind, recipient, subject, body, recipient_key, attempts, created_at, next_attempt_at, sent_at, abandoned_at, last_error
            FROM outbox ORDER BY id DESC LIMIT ?
            """,
            [.int(limit)]
        ).map { row in
            func time(_ column: String) -> Timestamp? { row.int(column).map { Timestamp(millisecondsSince1970: Int64($0)) } }
            let sent = time("sent_at"), abandoned = time("abandoned_at")
            return OutboxEntry(
                id: Int64(row.int("id") ?? 0), kind: OutgoingMail.Kind(rawValue: row.string("kind") ?? "") ?? .other,
                recipient: row.string("recipient") ?? "", subject: row.string("subject") ?? "", body: row.string("body") ?? "",
                recipientKey: row.string("recipient_key"), state: sent != nil ? .sent : abandoned != nil ? .abandoned : .queued,
                attempts: row.int("attempts") ?? 0, createdAt: time("created_at") ?? Timestamp(millisecondsSince1970: 0),
                nextAttemptAt: time("next_attempt_at") ?? Timestamp(millisecondsSince1970: 0), finishedAt: sent ?? abandoned,
                lastError: row.string("last_error")
            )
        }
    }

    public func petitionsToClose(now: Timestamp) async throws -> [Petition] {
        try await read(
            "SELECT \(Self.petitionColumns) FROM petitions WHERE state = 'open' AND closing_at IS NOT NULL AND closing_at <= ? ORDER BY id", [.ms(now)]
        ).map(Self.petition(from:))
    }

    public func anonymise(endedBefore: Timestamp) async throws -> Int {
        var erased = 0
        // Each final state and the column that stamps it (`Petition.endedAt`).
        for (state, stamp) in [("closed", "closed_at"), ("rejected", "rejected_at"), ("hidden", "hidden_at"), ("abandoned", "abandoned_at")] {
            while true {
                let due = try await read(
                    "SELECT id FROM petitions WHERE state = ? AND anonymised_at IS NULL AND \(stamp) <= ? ORDER BY id LIMIT 100", [.text(state), .ms(endedBefore)]
                ).compactMap { $0.int("id") }
                if due.isEmpty { break }
                // One transaction per petition: a petition with a million signers does not hold every other write.
                for id in due {
                    erased += try await inTransaction { db in
                        let rows = try await db.query(
                            """
                            UPDATE signatures SET name = '', name_key = '', email = 'anonymised-' || id, postcode = NULL, address = NULL
                            WHERE petition_id = ? AND email NOT LIKE 'anonymised-%' RETURNING id
                            """,
                            [.int(id)]
                        )
                        _ = try await db.query(
                            "UPDATE petitions SET creator_name = NULL, sponsor_token = NULL, anonymised_at = (extract(epoch FROM now()) * 1000)::bigint WHERE id = ?", [.int(id)]
                        )
                        return rows.count
                    }
                }
            }
        }
        return erased
    }
}
