public import HemicycleCore
public import HemicycleStorage

extension PostgresStore {
    /// The SQL condition and binds of a filter's parts that SQL can test (all but the address range).
    private static func whereClause(_ filter: SignatureFilter) -> (String, [SQLValue]) {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let petition = filter.petition {
            conditions.append("petition_id = ?")
            binds.append(.id(petition.rawValue))
        }
        let states = SignatureState.allCases.filter { filter.states.contains($0) }
        conditions.append("state IN (\(states.map { "'\($0.rawValue)'" }.joined(separator: ", ")))")
        if let from = filter.from {
            conditions.append("created_at >= ?")
            binds.append(.ms(from))
        }
        if let until = filter.until {
            conditions.append("created_at < ?")
            binds.append(.ms(until))
        }
        if let domain = filter.emailDomain {
            conditions.append("substr(email, strpos(email, '@') + 1) = ?")
            binds.append(.text(domain))
        }
        return (conditions.joined(separator: " AND "), binds)
    }

    private static let recordColumns = "id, petition_id, name, email, postcode, country, constituency, address, kind, state, created_at"

    private static func record(_ row: SQLRow) -> SignatureRecord {
        SignatureRecord(
            id: Int64(row.int("id") ?? 0), petitionID: Petition.ID(Int64(row.int("petition_id") ?? 0)),
            name: row.string("name") ?? "", email: row.string("email") ?? "", postcode: row.string("postcode"),
            country: row.string("country"), constituency: row.string("constituency"), address: row.string("address"),
            kind: SignatureRecord.Kind(rawValue: row.string("kind") ?? "") ?? .signature,
            state: SignatureState(rawValue: row.string("state") ?? "") ?? .invalidated,
            createdAt: Timestamp(millisecondsSince1970: Int64(row.int("created_at") ?? 0))
        )
    }

    /// Every record matching `filter` (the address range tested here), newest first, at most `limit`.
    private static func matching(
        _ filter: SignatureFilter, limit: Int?, _ run: (String, [SQLValue]) async throws -> [SQLRow]
    ) async throws -> [SignatureRecord] {
        let (condition, binds) = whereClause(filter)
        // The address range is tested in Swift (addresses are text): SQL narrows by everything else first.
        let sqlLimit = filter.addressRange == nil ? limit : nil
        let rows = try await run(
            "SELECT \(recordColumns) FROM signatures WHERE \(condition) ORDER BY id DESC\(sqlLimit.map { " LIMIT \($0)" } ?? "")", binds
        )
        var records: [SignatureRecord] = []
        for row in rows {
            let record = record(row)
            if let range = filter.addressRange, !(record.address.map(range.contains) ?? false) { continue }
            records.append(record)
            if let limit, records.count >= limit { break }
        }
        return records
    }

    public func importRegions(_ data: RegionData) async throws -> Int {
        try await inTransaction { db in
            for table in ["regions", "constituencies", "postcodes", "countries"] { _ = try await db.query("DELETE FROM \(table)") }
            for region in data.regions {
                _ = try await db.query("INSERT INTO regions (code, name) VALUES (?, ?)", [.text(region.code), .text(region.name)])
            }
            for c in data.constituencies {
                _ = try await db.query(
                    "INSERT INTO constituencies (code, name, region, member) VALUES (?, ?, ?, ?)", [.text(c.code), .text(c.name), .text(c.regionCode), .text(c.member)]
                )
            }
            for chunk in stride(from: 0, to: data.postcodes.count, by: Self.insertChunk) {
                let slice = data.postcodes[chunk..<min(chunk + Self.insertChunk, data.postcodes.count)]
                _ = try await db.query(
                    "INSERT INTO postcodes (postcode, constituency) VALUES \(Array(repeating: "(?, ?)", count: slice.count).joined(separator: ", "))",
                    slice.flatMap { [SQLValue.text($0.postcode), .text($0.constituency)] }
                )
            }
            for country in data.countries {
                _ = try await db.query("INSERT INTO countries (code, name) VALUES (?, ?)", [.text(country.code), .text(country.name)])
            }
            _ = try await db.query(
                """
                UPDATE signatures SET constituency = (SELECT constituency FROM postcodes
                    WHERE postcodes.postcode = replace(replace(upper(signatures.postcode), ' ', ''), '-', ''))
                """
            )
            _ = try await db.query("DELETE FROM signature_tallies")
            _ = try await db.query(
                """
                INSERT INTO signature_tallies (petition_id, country, constituency, count)
                SELECT petition_id, COALESCE(country, ''), COALESCE(constituency, ''), COUNT(*) FROM signatures WHERE state = 'counted' GROUP BY 1, 2, 3
                """
            )
            return try await db.query("SELECT COUNT(*) AS n FROM signatures WHERE constituency IS NOT NULL").first?.int("n") ?? 0
        }
    }

    public func regionNames() async throws -> RegionData {
        var data = RegionData()
        data.regions = try await read("SELECT code, name FROM regions ORDER BY code").map {
            NamedArea(code: $0.string("code") ?? "", name: $0.string("name") ?? "")
        }
        data.constituencies = try await read("SELECT code, name, region, member FROM constituencies ORDER BY code").map {
            Constituency(code: $0.string("code") ?? "", name: $0.string("name") ?? "", regionCode: $0.string("region") ?? "",
                         member: $0.string("member") ?? "")
        }
        data.countries = try await read("SELECT code, name FROM countries ORDER BY code").map {
            NamedArea(code: $0.string("code") ?? "", name: $0.string("name") ?? "")
        }
        return data
    }

    public func tallies(of petition: Petition.ID) async throws -> [SignatureTally] {
        try await read(
            "SELECT country, constituency, count FROM signature_tallies WHERE petition_id = ? AND count > 0 ORDER BY country, constituency",
            [.id(petition.rawValue)]
        ).map {
            SignatureTally(country: $0.string("country") ?? "", constituency: $0.string("constituency") ?? "", count: $0.int("count") ?? 0)
        }
    }

    public func signatureHistory(of petition: Petition.ID, bucketMilliseconds: Int64, constituency: String?) async throws -> [(start: Timestamp, added: Int)] {
        var binds: [SQLValue] = [.int(Int(bucketMilliseconds)), .id(petition.rawValue)]
        if let constituency { binds.append(.text(constituency)) }
        return try await read(
            """
            SELECT (COALESCE(confirmed_at, created_at) / ?) AS bucket, COUNT(*) AS n FROM signatures
            WHERE petition_id = ? AND state = 'counted'\(constituency == nil ? "" : " AND constituency = ?") GROUP BY bucket ORDER BY bucket
            """,
            binds
        ).map { row in
            (Timestamp(millisecondsSince1970: Int64(row.int("bucket") ?? 0) * bucketMilliseconds), row.int("n") ?? 0)
        }
    }

    public func signatures(matching filter: SignatureFilter, limit: Int) async throws -> [SignatureRecord] {
        try await Self.matching(filter, limit: limit, { try await self.read($0, $1) })
    }

    public func previewInvalidation(_ filter: SignatureFilter) async throws -> InvalidationPreview {
        var narrowed = filter
        narrowed.states.remove(.invalidated)
        return InvalidationPreview(records: try await Self.matching(narrowed, limit: nil, { try await self.read($0, $1) }).map { ($0.petitionID, $0.state) })
    }

    public func invalidate(_ filter: SignatureFilter, reason: String, condition: String, staffID: StaffMember.ID?, audit: AuditEntry, now: Timestamp) async throws
        -> (Invalidation, [SignatureBatchResult.CountChange])
    {
        var narrowed = filter
        narrowed.states.remove(.invalidated)
        return try await inTransaction { db in
            let records = try await Self.matching(narrowed, limit: nil, { try await db.query($0, $1) })
            guard !records.isEmpty else { throw StoreError(.notFound, "No signature matches this condition.") }
            let changed = InvalidationPreview(records: records.map { ($0.petitionID, $0.state) })
            let inserted = try await db.query(
                "INSERT INTO invalidations (at, staff_id, reason, condition, changed) VALUES (?, ?, ?, ?, ?) RETURNING id",
                [.ms(now), staffID.map { .int(Int($0.rawValue)) } ?? .null, .text(reason), .text(condition), .text(StoredJSON.encode(changed))]
            )
            guard let id = inserted.first?.int("id") else { throw StoreError(.corrupt, "INSERT returned no id") }
            let ids = records.map(\.id)
            for chunk in stride(from: 0, to: ids.count, by: Self.insertChunk) {
                let slice = ids[chunk..<min(chunk + Self.insertChunk, ids.count)]
                _ = try await db.query(
                    "UPDATE signatures SET state = 'invalidated', invalidated_at = ?, invalidation_id = ? WHERE id IN (\(Array(repeating: "?", count: slice.count).joined(separator: ", ")))",
                    [.ms(now), .int(id)] + slice.map { .int(Int($0)) }
                )
            }
            var changes: [SignatureBatchResult.CountChange] = []
            for petition in changed.petitions where petition.counted > 0 {
                var tallies = TallyDeltas()
                for record in records where record.petitionID == petition.petitionID && record.state == .counted {
                    tallies.add(country: record.country, constituency: record.constituency, -1)
                }
                try await Self.apply(tallies, to: petition.petitionID, db)
                let row = try await db.query(
                    "UPDATE petitions SET signature_count = signature_count - ?, updated_at = ? WHERE id = ? RETURNING signature_count",
                    [.int(petition.counted), .ms(now), .id(petition.petitionID.rawValue)]
                ).first
                changes.append(.init(petitionID: petition.petitionID, signatureCount: row?.int("signature_count") ?? 0, thresholdsReached: []))
            }
            var entry = audit
            entry.subject = "invalidation:\(id)"
            try await Self.insertAudit([entry], db)
            return (Invalidation(id: Int64(id), at: now, staffID: staffID, reason: reason, condition: condition, changed: changed), changes)
        }
    }

    public func invalidations(limit: Int) async throws -> [Invalidation] {
        try await read("SELECT id, at, staff_id, reason, condition, changed FROM invalidations ORDER BY id DESC LIMIT ?", [.int(limit)]).map { row in
            Invalidation(
                id: Int64(row.int("id") ?? 0), at: Timestamp(millisecondsSince1970: Int64(row.int("at") ?? 0)),
                staffID: row.int("staff_id").map { StaffMember.ID(Int64($0)) }, reason: row.string("reason") ?? "",
                condition: row.string("condition") ?? "", changed: StoredJSON.invalidationPreview(row.string("changed"))
            )
        }
    }

    public func release(_ ids: [Int64], confirmations: [Int64: PendingSignature.Confirmation], audit: AuditEntry, now: Timestamp) async throws
        -> (released: Int, notOpen: Int, changes: [SignatureBatchResult.CountChange])
    {
        try await inTransaction { db in
            var found: [SignatureRecord] = []
            for chunk in stride(from: 0, to: ids.count, by: Self.insertChunk) {
                let slice = ids[chunk..<min(chunk + Self.insertChunk, ids.count)]
                found += try await db.query(
                    "SELECT \(Self.recordColumns) FROM signatures WHERE state = 'held' AND id IN (\(Array(repeating: "?", count: slice.count).joined(separator: ", ")))",
                    slice.map { .int(Int($0)) }
                ).map(Self.record)
            }
            // Only petitions that are open take them; the others' stay held.
            let petitionIDs = Array(Set(found.map(\.petitionID)))
            var open = Set<Petition.ID>()
            for chunk in stride(from: 0, to: petitionIDs.count, by: Self.insertChunk) {
                let slice = petitionIDs[chunk..<min(chunk + Self.insertChunk, petitionIDs.count)]
                for row in try await db.query(
                    "SELECT id FROM petitions WHERE state = 'open' AND id IN (\(Array(repeating: "?", count: slice.count).joined(separator: ", ")))",
                    slice.map { .int(Int($0.rawValue)) }
                ) {
                    if let id = row.int("id") { open.insert(Petition.ID(Int64(id))) }
                }
            }
            let held = found.filter { open.contains($0.petitionID) }
            var counted: [Petition.ID: (Int, TallyDeltas)] = [:]
            for record in held {
                if let confirmation = confirmations[record.id] {
                    _ = try await db.query("UPDATE signatures SET state = 'pending' WHERE id = ?", [.int(Int(record.id))])
                    try await Self.storeConfirmation(confirmation, of: record.id, now: now, db)
                } else {
                    _ = try await db.query("UPDATE signatures SET state = 'counted', confirmed_at = ? WHERE id = ?", [.ms(now), .int(Int(record.id))])
                    var entry = counted[record.petitionID] ?? (0, TallyDeltas())
                    entry.0 += 1
                    entry.1.add(country: record.country, constituency: record.constituency, 1)
                    counted[record.petitionID] = entry
                }
            }
            var changes: [SignatureBatchResult.CountChange] = []
            for (petitionID, entry) in counted.sorted(by: { $0.key < $1.key }) {
                guard let row = try await db.query("SELECT \(Self.petitionColumns) FROM petitions WHERE id = ?", [.id(petitionID.rawValue)]).first else { continue }
                let petition = try Self.petition(from: row)
                let newCount = petition.signatureCount + entry.0
                let crossed = petition.thresholdsCrossed(by: newCount, at: now)
                try await Self.addToCount(petitionID, added: entry.0, crossed: crossed, now: now, db)
                try await Self.apply(entry.1, to: petitionID, db)
                changes.append(.init(petitionID: petitionID, signatureCount: newCount, thresholdsReached: crossed))
            }
            if !held.isEmpty { try await Self.insertAudit([audit], db) }
            return (held.count, found.count - held.count, changes)
        }
    }

    public func integrity(of petition: Petition.ID, bucketMilliseconds: Int64) async throws -> IntegrityFigures {
        let id = SQLValue.id(petition.rawValue), width = SQLValue.int(Int(bucketMilliseconds))
        var buckets: [Int64: IntegrityFigures.Figures] = [:]
        var totals = IntegrityFigures.Figures()
        for row in try await read(
            "SELECT created_at / ? AS b, COUNT(*) AS n, SUM(held) AS h FROM signatures WHERE petition_id = ? GROUP BY b", [width, id]
        ) {
            let b = Int64(row.int("b") ?? 0), n = row.int("n") ?? 0, h = row.int("h") ?? 0
            buckets[b, default: .init()].created += n
            buckets[b, default: .init()].held += h
            totals.created += n
            totals.held += h
        }
        for (column, path) in [("confirmed_at", \IntegrityFigures.Figures.confirmed), ("invalidated_at", \IntegrityFigures.Figures.invalidated)] {
            for row in try await read(
                "SELECT \(column) / ? AS b, COUNT(*) AS n FROM signatures WHERE petition_id = ? AND \(column) IS NOT NULL GROUP BY b", [width, id]
            ) {
                let b = Int64(row.int("b") ?? 0), n = row.int("n") ?? 0
                buckets[b, default: .init()][keyPath: path] += n
                totals[keyPath: path] += n
            }
        }
        var now: [SignatureState: Int] = [:]
        for row in try await read("SELECT state, COUNT(*) AS n FROM signatures WHERE petition_id = ? GROUP BY state", [id]) {
            if let state = SignatureState(rawValue: row.string("state") ?? "") { now[state] = row.int("n") ?? 0 }
        }
        return IntegrityFigures(
            totals: totals, now: now,
            buckets: buckets.sorted { $0.key < $1.key }.map { .init(start: Timestamp(millisecondsSince1970: $0.key * bucketMilliseconds), figures: $0.value) }
        )
    }
}
