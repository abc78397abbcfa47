public import HemicycleCore
public import HemicycleStorage

/// Changes to a petition's tallies, by (country, constituency); "" stands for none.
struct TallyDeltas {
    private(set) var deltas: [String: (country: String, constituency: String, delta: Int)] = [:]

    mutating func add(country: String?, constituency: String?, _ delta: Int) {
        let country = country ?? "", constituency = constituency ?? ""
        deltas[country + "\u{0}" + constituency, default: (country, constituency, 0)].delta += delta
    }
}

extension PostgresStore {
    public func commitSignatures(_ batch: [PendingSignature], now: Timestamp) async throws -> SignatureBatchResult {
        guard !batch.isEmpty else { return SignatureBatchResult(outcomes: [], changes: []) }
        return try await inTransaction { db in
            var outcomes = [SignatureOutcome?](repeating: nil, count: batch.count)
            var order: [Petition.ID] = []
            var byPetition: [Petition.ID: [Int]] = [:]
            for (index, item) in batch.enumerated() {
                if byPetition[item.petitionID] == nil { order.append(item.petitionID) }
                byPetition[item.petitionID, default: []].append(index)
            }
            // The batch's petitions are locked, in id order (no deadlock between nodes), until the commit: another
            // node's batch for the same petition waits, so counts, thresholds and the household rule hold across nodes.
            var petitions: [Petition.ID: Petition] = [:]
            for row in try await db.query(
                "SELECT \(Self.petitionColumns) FROM petitions WHERE id = ANY(?) ORDER BY id FOR UPDATE", [.ints(order.map { Int($0.rawValue) })])
            {
                let petition = try Self.petition(from: row)
                petitions[petition.id] = petition
            }
            var changes: [SignatureBatchResult.CountChange] = []
            var tokens: [EmailToken] = []
            var mails: [OutgoingMail] = []
            for petitionID in order {
                let indexes = byPetition[petitionID] ?? []
                guard let petition = petitions[petitionID] else {
                    for index in indexes { outcomes[index] = .notFound }
                    continue
                }
                guard petition.state.acceptsSignatures else {
                    for index in indexes { outcomes[index] = .notOpen(petition.state) }
                    continue
                }
                // The household rule (HouseholdRule, in the core): what is stored already is read for the batch's
                // emails, then the batch is decided in memory, in order.
                var names: [String: Set<String>] = [:]
                for row in try await db.query(
                    "SELECT email, name_key FROM signatures WHERE petition_id = ? AND email = ANY(?)",
                    [.id(petitionID.rawValue), .texts(Array(Set(indexes.map { batch[$0].signature.email })))])
                {
                    if let email = row.string("email"), let key = row.string("name_key") { names[email, default: []].insert(key) }
                }
                var accepted: [Int] = []
                for index in indexes {
                    let signature = batch[index].signature
                    switch HouseholdRule.verdict(on: signature.nameKey, signed: names[signature.email, default: []]) {
                    case .duplicate: outcomes[index] = .duplicate
                    case .householdLimit: outcomes[index] = .householdLimit
                    case .admitted:
                        names[signature.email, default: []].insert(signature.nameKey)
                        accepted.append(index)
                    }
                }
                let constituencies = try await Self.constituencies(ofPostcodes: accepted.compactMap { batch[$0].signature.postcodeKey }, db)
                func state(_ item: PendingSignature) -> String { item.held ? "held" : item.confirmation == nil ? "counted" : "pending" }
                var insertedIDs: [Int: Int64] = [:]
                for chunk in stride(from: 0, to: accepted.count, by: Self.insertChunk) {
                    let slice = accepted[chunk..<min(chunk + Self.insertChunk, accepted.count)]
                    // One statement per chunk: each column as an array, unnested into rows ("" and -1 stand for NULL:
                    // a validated signature never has an empty postcode, country or address).
                    var names: [String] = [], keys: [String] = [], emails: [String] = [], postcodes: [String] = [], countries: [String] = []
                    var states: [String] = [], addresses: [String] = [], areas: [String] = [], held: [Int] = [], confirmed: [Int] = []
                    for index in slice {
                        let item = batch[index]
                        let s = item.signature
                        names.append(s.name)
                        keys.append(s.nameKey)
                        emails.append(s.email)
                        postcodes.append(s.postcode ?? "")
                        countries.append(s.country ?? "")
                        states.append(state(item))
                        addresses.append(item.address ?? "")
                        areas.append(s.postcodeKey.flatMap { constituencies[$0] } ?? "")
                        held.append(item.held ? 1 : 0)
                        confirmed.append(state(item) == "counted" ? Int(now.millisecondsSince1970) : -1)
                    }
                    let returned = try await db.query(
                        """
                        INSERT INTO signatures (petition_id, name, name_key, email, postcode, country, created_at, state, address, constituency, held,
                            confirmed_at)
                        SELECT ?, n, k, e, NULLIF(p, ''), NULLIF(c, ''), ?, s, NULLIF(a, ''), NULLIF(area, ''), h, NULLIF(conf, -1)
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
                            AS t(n, k, e, p, c, s, a, area, h, conf)
                        RETURNING id, email, name_key
                        """,
                        [.id(petitionID.rawValue), .ms(now), .texts(names), .texts(keys), .texts(emails), .texts(postcodes), .texts(countries),
                         .texts(states), .texts(addresses), .texts(areas), .ints(held), .ints(confirmed)]
                    )
                    // RETURNING's order is not promised: rows are matched by (email, name key), unique per petition.
                    var byKey: [String: Int] = [:]
                    for index in slice { byKey[batch[index].signature.email + "\u{0}" + batch[index].signature.nameKey] = index }
                    for row in returned {
                        guard let id = row.int64("id"), let email = row.string("email"), let key = row.string("name_key"),
                            let index = byKey[email + "\u{0}" + key]
                        else { continue }
                        insertedIDs[index] = id
                    }
                }
                var counted = 0
                var tallies = TallyDeltas()
                for index in accepted {
                    guard let id = insertedIDs[index] else { continue }
                    let item = batch[index]
                    if item.held { continue }
                    if let confirmation = item.confirmation {
                        tokens.append(EmailToken(hash: confirmation.tokenHash, purpose: .signature, subject: id, expiresAt: confirmation.expiresAt))
                        mails.append(confirmation.mail)
                    } else {
                        counted += 1
                        tallies.add(country: item.signature.country, constituency: item.signature.postcodeKey.flatMap { constituencies[$0] }, 1)
                    }
                }
                let newCount = petition.signatureCount + counted
                let crossed = petition.thresholdsCrossed(by: newCount, at: now)
                if counted > 0 {
                    try await Self.addToCount(petitionID, added: counted, crossed: crossed, now: now, db)
                    try await Self.apply(tallies, to: petitionID, db)
                    changes.append(.init(petitionID: petitionID, signatureCount: newCount, thresholdsReached: crossed))
                }
                for index in accepted {
                    guard let id = insertedIDs[index] else { outcomes[index] = .duplicate; continue }
                    outcomes[index] =
                        batch[index].held ? .held(signatureID: id)
                        : batch[index].confirmation == nil ? .accepted(signatureID: id, count: newCount) : .awaitingConfirmation(signatureID: id)
                }
            }
            try await Self.insertTokens(tokens, db)
            try await Self.enqueue(mails, now: now, db)
            return SignatureBatchResult(outcomes: outcomes.map { $0 ?? .notFound }, changes: changes)
        }
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
        let entries = tallies.deltas.values.filter { $0.delta != 0 }
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

    static func insertTokens(_ tokens: [EmailToken], _ db: SQLConnection) async throws {
        guard !tokens.isEmpty else { return }
        try await db.query(
            "INSERT INTO email_tokens (hash, purpose, subject, expires_at) SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[])",
            [.texts(tokens.map(\.hash)), .texts(tokens.map(\.purpose.rawValue)), .ints(tokens.map { Int($0.subject) }),
             .ints(tokens.map { Int($0.expiresAt.millisecondsSince1970) })]
        )
    }

    static func enqueue(_ mails: [OutgoingMail], now: Timestamp, _ db: SQLConnection) async throws {
        guard !mails.isEmpty else { return }
        try await db.query(
            """
            INSERT INTO outbox (recipient, subject, body, created_at, next_attempt_at, priority, kind, recipient_key)
            SELECT r, s, b, ?, ?, p, k, NULLIF(key, '') FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[]) AS t(r, s, b, p, k, key)
            """,
            [.ms(now), .ms(now), .texts(mails.map(\.to)), .texts(mails.map(\.subject)), .texts(mails.map(\.body)), .ints(mails.map(\.kind.priority)),
             .texts(mails.map(\.kind.rawValue)), .texts(mails.map { $0.recipientKey ?? "" })]
        )
    }
}
