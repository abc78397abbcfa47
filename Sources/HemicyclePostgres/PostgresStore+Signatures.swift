public import HemicycleCore
public import HemicycleStorage

/// What a signature batch reads before it is decided (`PostgresStore.readForBatch`): the batch's petitions with their
/// row versions, the name keys already stored for the batch's emails, and the constituencies of its postcodes.
struct SignatureBatchState {
    var petitions: [Petition.ID: Petition] = [:]
    /// `xmin` of each petition's row as read: every write that adds signatures to a petition rewrites its row, so an
    /// unchanged version means nothing the decision read has changed since.
    var versions: [Petition.ID: String] = [:]
    var names: [Petition.ID: [String: Set<String>]] = [:]
    var constituencies: [String: String] = [:]
}

/// A batch decided: the outcomes known before the write, the rows to insert and what they change.
struct SignatureBatchPlan {
    var outcomes: [SignatureOutcome?]
    /// Batch indexes to insert, with the constituency of each.
    var inserts: [(index: Int, constituency: String?)] = []
    /// Each petition the batch locks and rewrites, with its expected version, the signatures it counts now and the
    /// thresholds they cross.
    var petitions: [(id: Petition.ID, version: String, added: Int, crossed: [Threshold])] = []
    var tallies: [(petition: Petition.ID, country: String, constituency: String, delta: Int)] = []
    var changes: [SignatureBatchResult.CountChange] = []
    var newCounts: [Petition.ID: Int] = [:]
}

extension PostgresStore {
    /// Group commit on PostgreSQL in three round trips and no `BEGIN`/`COMMIT` (each statement is its own
    /// transaction): one statement reads what the decision needs, the core decides (`HouseholdRule`, thresholds), one
    /// statement writes the whole batch after locking its petitions and checking that their rows are still the ones
    /// read (otherwise it writes nothing, and the batch is decided again under the petitions' locks), and a last
    /// statement on the same connection waits for that write's commit (`inOneStatement`). So nothing is acknowledged
    /// before it is durable, and a failure anywhere stores nothing of the batch (one statement).
    public func commitSignatures(_ batch: [PendingSignature], now: Timestamp) async throws -> SignatureBatchResult {
        guard !batch.isEmpty else { return SignatureBatchResult(outcomes: [], changes: []) }
        let optimistic = try await inOneStatement { db -> SignatureBatchResult? in
            let state = try await Self.readForBatch(batch, db)
            let plan = Self.decide(batch, state, now: now)
            return try await Self.write(plan, batch, now: now, db)
        }
        if let optimistic { return optimistic }
        // Another writer changed one of the batch's petitions between the read and the write: decided again holding
        // the petitions' locks, in id order (no deadlock between nodes), so the write's check cannot fail.
        return try await inTransaction { db in
            try await db.query(
                "SELECT id FROM petitions WHERE id = ANY(?) ORDER BY id FOR UPDATE", [.ints(Array(Set(batch.map { Int($0.petitionID.rawValue) })).sorted())])
            let state = try await Self.readForBatch(batch, db)
            let plan = Self.decide(batch, state, now: now)
            guard let result = try await Self.write(plan, batch, now: now, db) else {
                throw StoreError(.conflict, "A petition of the batch changed while its lock was held.")
            }
            return result
        }
    }

    /// One statement: the batch's petitions (with their row versions), the name keys stored for the batch's emails on
    /// each, and the constituencies of the batch's postcodes.
    static func readForBatch(_ batch: [PendingSignature], _ db: SQLConnection) async throws -> SignatureBatchState {
        let ids = Array(Set(batch.map { Int($0.petitionID.rawValue) })).sorted()
        let emails = Array(Set(batch.map(\.signature.email))).sorted()
        let postcodes = Array(Set(batch.compactMap(\.signature.postcodeKey))).sorted()
        let rows = try await db.query(
            """
            SELECT \(petitionColumns), petitions.xmin::text AS row_version, n.signed_emails, n.signed_keys, c.postcode_keys, c.areas
            FROM petitions
            CROSS JOIN LATERAL (
                SELECT array_agg(s.email ORDER BY s.id) AS signed_emails, array_agg(s.name_key ORDER BY s.id) AS signed_keys
                FROM signatures s WHERE s.petition_id = petitions.id AND s.email = ANY(?)
            ) n
            CROSS JOIN (
                SELECT array_agg(pc.postcode ORDER BY pc.postcode) AS postcode_keys, array_agg(pc.constituency ORDER BY pc.postcode) AS areas
                FROM postcodes pc WHERE pc.postcode = ANY(?)
            ) c
            WHERE petitions.id = ANY(?) ORDER BY petitions.id
            """,
            [.texts(emails), .texts(postcodes), .ints(ids)]
        )
        var state = SignatureBatchState()
        for row in rows {
            let petition = try petition(from: row)
            guard let version = row.string("row_version") else { throw StoreError(.corrupt, "petitions.xmin is missing") }
            state.petitions[petition.id] = petition
            state.versions[petition.id] = version
            var names: [String: Set<String>] = [:]
            for (email, key) in zip(row.strings("signed_emails"), row.strings("signed_keys")) { names[email, default: []].insert(key) }
            state.names[petition.id] = names
            if state.constituencies.isEmpty {
                for (postcode, area) in zip(row.strings("postcode_keys"), row.strings("areas")) { state.constituencies[postcode] = area }
            }
        }
        return state
    }

    /// Decides a batch on what `readForBatch` read, by the core's rules (`SignatureBatchDecision`: the petitions'
    /// states, the household rule, the counts, the thresholds they cross, the tallies), and adds the row version of
    /// each petition that the write checks.
    static func decide(_ batch: [PendingSignature], _ state: SignatureBatchState, now: Timestamp) -> SignatureBatchPlan {
        let decision = SignatureBatchDecision(
            batch.map(\.decisionItem),
            petitions: state.petitions.mapValues { SignatureBatchDecision.PetitionRead(petition: $0, signedNames: state.names[$0.id] ?? [:]) },
            constituencies: state.constituencies, now: now
        )
        var plan = SignatureBatchPlan(outcomes: decision.refusals)
        plan.inserts = decision.admissions.map { ($0.index, $0.constituency) }
        for change in decision.petitions {
            // Every petition read is locked and checked, open or not: the outcome rests on the state read.
            guard let version = state.versions[change.petitionID] else { continue }
            plan.petitions.append((change.petitionID, version, change.counted, change.crossed))
            plan.newCounts[change.petitionID] = change.newCount
            guard change.counted > 0 else { continue }
            plan.changes.append(.init(petitionID: change.petitionID, signatureCount: change.newCount, thresholdsReached: change.crossed))
            for entry in change.tallies.entries {
                plan.tallies.append((change.petitionID, entry.country, entry.constituency, entry.delta))
            }
        }
        return plan
    }

    /// One statement writes `plan`: it locks the plan's petitions (in id order) and writes only when each row is still
    /// the version the plan was decided on; then the signatures, the counts (every petition's row is rewritten, even
    /// when it counts nothing now, so a concurrent batch's check sees the change), the tallies, the confirmation tokens
    /// (joined to the inserted ids) and the mail. Returns nil, having written nothing, when a row has changed.
    static func write(_ plan: SignatureBatchPlan, _ batch: [PendingSignature], now: Timestamp, _ db: SQLConnection) async throws -> SignatureBatchResult? {
        guard !plan.petitions.isEmpty else { return SignatureBatchResult(outcomes: plan.outcomes.map { $0 ?? .notFound }, changes: []) }
        func state(_ item: PendingSignature) -> String { item.held ? "held" : item.confirmation == nil ? "counted" : "pending" }
        // Each column as an array, unnested into rows ("" and -1 stand for NULL: a validated signature never has an
        // empty postcode, country or address).
        var pids: [Int] = [], names: [String] = [], keys: [String] = [], emails: [String] = [], postcodes: [String] = [], countries: [String] = []
        var states: [String] = [], addresses: [String] = [], areas: [String] = [], held: [Int] = [], confirmed: [Int] = []
        var tokenPetitions: [Int] = [], tokenEmails: [String] = [], tokenKeys: [String] = [], tokenHashes: [String] = [], tokenExpiries: [Int] = []
        var mails: [OutgoingMail] = []
        for (index, area) in plan.inserts {
            let item = batch[index]
            let s = item.signature
            pids.append(Int(item.petitionID.rawValue))
            names.append(s.name)
            keys.append(s.nameKey)
            emails.append(s.email)
            postcodes.append(s.postcode ?? "")
            countries.append(s.country ?? "")
            states.append(state(item))
            addresses.append(item.address ?? "")
            areas.append(area ?? "")
            held.append(item.held ? 1 : 0)
            confirmed.append(state(item) == "counted" ? Int(now.millisecondsSince1970) : -1)
            if !item.held, let confirmation = item.confirmation {
                tokenPetitions.append(Int(item.petitionID.rawValue))
                tokenEmails.append(s.email)
                tokenKeys.append(s.nameKey)
                tokenHashes.append(confirmation.tokenHash)
                tokenExpiries.append(Int(confirmation.expiresAt.millisecondsSince1970))
                mails.append(confirmation.mail)
            }
        }
        let locked = plan.petitions.sorted { $0.id < $1.id }
        let rows = try await db.query(
            """
            WITH expected AS (
                SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) AS e(id, version, added, response, debate)
            ), locked AS MATERIALIZED (
                SELECT p.id, p.xmin::text AS version FROM petitions p WHERE p.id = ANY(?) ORDER BY p.id FOR UPDATE
            ), ok AS MATERIALIZED (
                SELECT count(*) = ? AS ok FROM locked JOIN expected e ON e.id = locked.id AND e.version = locked.version
            ), inserted AS (
                INSERT INTO signatures (petition_id, name, name_key, email, postcode, country, created_at, state, address, constituency, held,
                    confirmed_at)
                SELECT pid, n, k, em, NULLIF(p, ''), NULLIF(c, ''), ?, s, NULLIF(a, ''), NULLIF(area, ''), h, NULLIF(conf, -1)
                FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
                    AS t(pid, n, k, em, p, c, s, a, area, h, conf)
                WHERE (SELECT ok FROM ok)
                RETURNING id, petition_id, email, name_key
            ), counts AS (
                UPDATE petitions SET signature_count = signature_count + e.added,
                    updated_at = CASE WHEN e.added > 0 THEN ?::bigint ELSE updated_at END,
                    response_threshold_reached_at = COALESCE(response_threshold_reached_at, CASE WHEN e.response = 1 THEN ?::bigint END),
                    debate_threshold_reached_at = COALESCE(debate_threshold_reached_at, CASE WHEN e.debate = 1 THEN ?::bigint END)
                FROM expected e WHERE petitions.id = e.id AND (SELECT ok FROM ok)
                RETURNING petitions.id
            ), tallies AS (
                INSERT INTO signature_tallies (petition_id, country, constituency, count)
                SELECT pid, c, a, n FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[]) AS t(pid, c, a, n)
                WHERE (SELECT ok FROM ok)
                ON CONFLICT (petition_id, country, constituency) DO UPDATE SET count = signature_tallies.count + excluded.count
                RETURNING petition_id
            ), tokens AS (
                INSERT INTO email_tokens (hash, purpose, subject, expires_at)
                SELECT t.hash, ?, i.id, t.expires FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[]) AS t(pid, em, k, hash, expires)
                JOIN inserted i ON i.petition_id = t.pid AND i.email = t.em AND i.name_key = t.k
                RETURNING hash
            ), mail AS (
                INSERT INTO outbox (recipient, subject, body, created_at, next_attempt_at, priority, kind, recipient_key)
                SELECT r, s, b, ?, ?, p, k, NULLIF(key, '')
                FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[]) AS t(r, s, b, p, k, key)
                WHERE (SELECT ok FROM ok)
                RETURNING id
            )
            SELECT CASE WHEN (SELECT ok FROM ok) THEN 1 ELSE 0 END AS ok, i.id, i.petition_id, i.email, i.name_key
            FROM (SELECT 1) AS one LEFT JOIN inserted i ON true
            """,
            [.ints(locked.map { Int($0.id.rawValue) }), .texts(locked.map(\.version)), .ints(locked.map(\.added)),
             .ints(locked.map { $0.crossed.contains { $0.name == "response" } ? 1 : 0 }), .ints(locked.map { $0.crossed.contains { $0.name == "debate" } ? 1 : 0 }),
             .ints(locked.map { Int($0.id.rawValue) }), .int(locked.count),
             .ms(now), .ints(pids), .texts(names), .texts(keys), .texts(emails), .texts(postcodes), .texts(countries), .texts(states), .texts(addresses),
             .texts(areas), .ints(held), .ints(confirmed),
             .ms(now), .ms(now), .ms(now),
             .ints(plan.tallies.map { Int($0.petition.rawValue) }), .texts(plan.tallies.map(\.country)), .texts(plan.tallies.map(\.constituency)),
             .ints(plan.tallies.map(\.delta)),
             .text(EmailToken.Purpose.signature.rawValue), .ints(tokenPetitions), .texts(tokenEmails), .texts(tokenKeys), .texts(tokenHashes), .ints(tokenExpiries),
             .ms(now), .ms(now), .texts(mails.map(\.to)), .texts(mails.map(\.subject)), .texts(mails.map(\.body)), .ints(mails.map(\.kind.priority)),
             .texts(mails.map(\.kind.rawValue)), .texts(mails.map { $0.recipientKey ?? "" })]
        )
        guard rows.first?.int("ok") == 1 else { return nil }
        // RETURNING's order is not promised: rows are matched by (petition, email, name key), unique per petition.
        var insertedIDs: [String: Int64] = [:]
        for row in rows {
            guard let id = row.int64("id"), let petition = row.int("petition_id"), let email = row.string("email"), let key = row.string("name_key") else { continue }
            insertedIDs["\(petition)\u{0}\(email)\u{0}\(key)"] = id
        }
        var outcomes = plan.outcomes
        for (index, _) in plan.inserts {
            let item = batch[index]
            guard let id = insertedIDs["\(item.petitionID.rawValue)\u{0}\(item.signature.email)\u{0}\(item.signature.nameKey)"] else {
                outcomes[index] = .duplicate
                continue
            }
            outcomes[index] =
                item.held ? .held(signatureID: id)
                : item.confirmation == nil ? .accepted(signatureID: id, count: plan.newCounts[item.petitionID] ?? 0) : .awaitingConfirmation(signatureID: id)
        }
        return SignatureBatchResult(outcomes: outcomes.map { $0 ?? .notFound }, changes: plan.changes)
    }

    /// Adds `added` to a petition's count and stamps the thresholds `crossed`.
    static func addToCount(_ petitionID: Petition.ID, added: Int, crossed: [Threshold], now: Timestamp, _ db: SQLConnection) async throws {
        try await db.query(
            """
            UPDATE petitions SET signature_count = signature_count + ?, updated_at = ?,
                response_threshold_reached_at = COALESCE(response_threshold_reached_at, CASE WHEN ? = 1 THEN ?::bigint END),
                debate_threshold_reached_at = COALESCE(debate_threshold_reached_at, CASE WHEN ? = 1 THEN ?::bigint END)
            WHERE id = ?
            """,
            [.int(added), .ms(now), .int(crossed.contains { $0.name == "response" } ? 1 : 0), .ms(now),
             .int(crossed.contains { $0.name == "debate" } ? 1 : 0), .ms(now), .id(petitionID.rawValue)]
        )
    }

    /// The constituency code of each postcode key that the postcode table knows.
    static func constituencies(ofPostcodes keys: [String], _ db: SQLConnection) async throws -> [String: String] {
        guard !keys.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for row in try await db.query("SELECT postcode, constituency FROM postcodes WHERE postcode = ANY(?)", [.texts(Array(Set(keys)))]) {
            if let postcode = row.string("postcode"), let code = row.string("constituency") { result[postcode] = code }
        }
        return result
    }

    static func apply(_ tallies: TallyDeltas, to petition: Petition.ID, _ db: SQLConnection) async throws {
        let entries = tallies.entries
        guard !entries.isEmpty else { return }
        try await db.query(
            """
            INSERT INTO signature_tallies (petition_id, country, constituency, count)
            SELECT ?, c, a, n FROM unnest(?::text[], ?::text[], ?::bigint[]) AS t(c, a, n)
            ON CONFLICT (petition_id, country, constituency) DO UPDATE SET count = signature_tallies.count + excluded.count
            """,
            [.id(petition.rawValue), .texts(entries.map(\.country)), .texts(entries.map(\.constituency)), .ints(entries.map(\.delta))]
        )
    }
}
