public import HemicycleCore
public import HemicycleStorage
import SQLiteNIO

extension SQLiteStore {
    /// The constituency code of each postcode key that the postcode table knows.
    static func constituencies(ofPostcodes keys: [String], _ db: SQLiteConnection) async throws -> [String: String] {
        let unique = Array(Set(keys))
        var result: [String: String] = [:]
        for chunk in stride(from: 0, to: unique.count, by: insertChunk) {
            let slice = unique[chunk..<min(chunk + insertChunk, unique.count)]
            let placeholders = Array(repeating: "?", count: slice.count).joined(separator: ", ")
            for row in try await db.query("SELECT postcode, constituency FROM postcodes WHERE postcode IN (\(placeholders))", slice.map { .text($0) }) {
                if let postcode = row.column("postcode")?.string, let code = row.column("constituency")?.string { result[postcode] = code }
            }
        }
        return result
    }

    static func apply(_ tallies: TallyDeltas, to petition: Petition.ID, _ db: SQLiteConnection) async throws {
        let entries = tallies.entries
        for chunk in stride(from: 0, to: entries.count, by: 200) {
            let slice = entries[chunk..<min(chunk + 200, entries.count)]
            var binds: [SQLiteData] = []
            for entry in slice { binds += [.integer(Int(petition.rawValue)), .text(entry.country), .text(entry.constituency), .integer(entry.delta)] }
            _ = try await db.query(
                """
                INSERT INTO signature_tallies (petition_id, country, constituency, count) VALUES \(Array(repeating: "(?, ?, ?, ?)", count: slice.count).joined(separator: ", "))
                ON CONFLICT (petition_id, country, constituency) DO UPDATE SET count = count + excluded.count
                """,
                binds
            )
        }
    }

    /// The SQL condition and binds of a filter's parts that SQL can test (all but the address range).
    private static func whereClause(_ filter: SignatureFilter) -> (String, [SQLiteData]) {
        var conditions: [String] = []
        var binds: [SQLiteData] = []
        if let petition = filter.petition {
            conditions.append("petition_id = ?")
            binds.append(.integer(Int(petition.rawValue)))
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
            conditions.append("substr(email, instr(email, '@') + 1) = ?")
            binds.append(.text(domain))
        }
        return (conditions.joined(separator: " AND "), binds)
    }

    private static let recordColumns = "id, petition_id, name, email, postcode, country, constituency, address, kind, state, created_at"

    private static func record(_ row: SQLiteRow) -> SignatureRecord {
        SignatureRecord(
            id: Int64(row.column("id")?.integer ?? 0), petitionID: Petition.ID(Int64(row.column("petition_id")?.integer ?? 0)),
            name: row.column("name")?.string ?? "", email: row.column("email")?.string ?? "", postcode: row.column("postcode")?.string,
            country: row.column("country")?.string, constituency: row.column("constituency")?.string, address: row.column("address")?.string,
            kind: SignatureRecord.Kind(rawValue: row.column("kind")?.string ?? "") ?? .signature,
            state: SignatureState(rawValue: row.column("state")?.string ?? "") ?? .invalidated,
            createdAt: Timestamp(millisecondsSince1970: Int64(row.column("created_at")?.integer ?? 0))
        )
    }

    /// Every record matching `filter` (the address range tested here), newest first, at most `limit`.
    private static func matching(_ filter: SignatureFilter, limit: Int?, _ db: SQLiteConnection) async throws -> [SignatureRecord] {
        let (condition, binds) = whereClause(filter)
        // The address range is tested in Swift (addresses are text): SQL narrows by everything else first.
        let sqlLimit = filter.addressRange == nil ? limit : nil
        let rows = try await db.query(
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
        try await inWriteTransaction { db in
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
                    slice.flatMap { [SQLiteData.text($0.postcode), .text($0.constituency)] }
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
            return try await db.query("SELECT COUNT(*) AS n FROM signatures WHERE constituency IS NOT NULL").first?.column("n")?.integer ?? 0
        }
    }

    public func regionNames() async throws -> RegionData {
        var data = RegionData()
        data.regions = try await reader.query("SELECT code, name FROM regions ORDER BY code").map {
            NamedArea(code: $0.column("code")?.string ?? "", name: $0.column("name")?.string ?? "")
        }
        data.constituencies = try await reader.query("SELECT code, name, region, member FROM constituencies ORDER BY code").map {
            Constituency(code: $0.column("code")?.string ?? "", name: $0.column("name")?.string ?? "", regionCode: $0.column("region")?.string ?? "",
                         member: $0.column("member")?.string ?? "")
        }
        data.countries = try await reader.query("SELECT code, name FROM countries ORDER BY code").map {
            NamedArea(code: $0.column("code")?.string ?? "", name: $0.column("name")?.string ?? "")
        }
        return data
    }

    public func tallies(of petition: Petition.ID) async throws -> [SignatureTally] {
        try await reader.query(
            "SELECT country, constituency, count FROM signature_tallies WHERE petition_id = ? AND count > 0 ORDER BY country, constituency",
            [.integer(Int(petition.rawValue))]
        ).map {
            SignatureTally(country: $0.column("country")?.string ?? "", constituency: $0.column("constituency")?.string ?? "", count: $0.column("count")?.integer ?? 0)
        }
    }

    public func signatureHistory(of petition: Petition.ID, bucketMilliseconds: Int64, constituency: String?) async throws -> [(start: Timestamp, added: Int)] {
        var binds: [SQLiteData] = [.integer(Int(bucketMilliseconds)), .integer(Int(petition.rawValue))]
        if let constituency { binds.append(.text(constituency)) }
        return try await reader.query(
            """
            SELECT (COALESCE(confirmed_at, created_at) / ?) AS bucket, COUNT(*) AS n FROM signatures
            WHERE petition_id = ? AND state = 'counted'\(constituency == nil ? "" : " AND constituency = ?") GROUP BY bucket ORDER BY bucket
            """,
            binds
        ).map { row in
            (Timestamp(millisecondsSince1970: Int64(row.column("bucket")?.integer ?? 0) * bucketMilliseconds), row.column("n")?.integer ?? 0)
        }
    }

    public func signatures(matching filter: SignatureFilter, limit: Int) async throws -> [SignatureRecord] {
        try await Self.matching(filter, limit: limit, reader)
    }

    public func previewInvalidation(_ filter: SignatureFilter) async throws -> InvalidationPreview {
        var narrowed = filter
        narrowed.states.remove(.invalidated)
        return InvalidationPreview(records: try await Self.matching(narrowed, limit: nil, reader).map { ($0.petitionID, $0.state) })
    }

    public func invalidate(_ filter: SignatureFilter, reason: String, condition: String, staffID: StaffMember.ID?, audit: AuditEntry, now: Timestamp) async throws
        -> (Invalidation, [SignatureBatchResult.CountChange])
    {
        var narrowed = filter
        narrowed.states.remove(.invalidated)
        return try await inWriteTransaction { db in
            let records = try await Self.matching(narrowed, limit: nil, db)
            guard !records.isEmpty else { throw StoreError(.notFound, "No signature matches this condition.") }
            let changed = InvalidationPreview(records: records.map { ($0.petitionID, $0.state) })
            let inserted = try await db.query(
                "INSERT INTO invalidations (at, staff_id, reason, condition, changed) VALUES (?, ?, ?, ?, ?) RETURNING id",
                [.ms(now), staffID.map { .integer(Int($0.rawValue)) } ?? .null, .text(reason), .text(condition), .text(StoredJSON.encode(changed))]
            )
            guard let id = inserted.first?.column("id")?.integer else { throw StoreError(.corrupt, "INSERT returned no id") }
            let ids = records.map(\.id)
            for chunk in stride(from: 0, to: ids.count, by: Self.insertChunk) {
                let slice = ids[chunk..<min(chunk + Self.insertChunk, ids.count)]
                _ = try await db.query(
                    "UPDATE signatures SET state = 'invalidated', invalidated_at = ?, invalidation_id = ? WHERE id IN (\(Array(repeating: "?", count: slice.count).joined(separator: ", ")))",
                    [.ms(now), .integer(id)] + slice.map { .integer(Int($0)) }
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
                    [.integer(petition.counted), .ms(now), .integer(Int(petition.petitionID.rawValue))]
                ).first
                changes.append(.init(petitionID: petition.petitionID, signatureCount: row?.column("signature_count")?.integer ?? 0, thresholdsReached: []))
            }
            var entry = audit
            entry.subject = "invalidation:\(id)"
            try await Self.insertAudit([entry], db)
            return (Invalidation(id: Int64(id), at: now, staffID: staffID, reason: reason, condition: condition, changed: changed), changes)
        }
    }

    public func invalidations(limit: Int) async throws -> [Invalidation] {
        try await reader.query("SELECT id, at, staff_id, reason, condition, changed FROM invalidations ORDER BY id DESC LIMIT ?", [.integer(limit)]).map { row in
            Invalidation(
                id: Int64(row.column("id")?.integer ?? 0), at: Timestamp(millisecondsSince1970: Int64(row.column("at")?.integer ?? 0)),
                staffID: row.column("staff_id")?.integer.map { StaffMember.ID(Int64($0)) }, reason: row.column("reason")?.string ?? "",
                condition: row.column("condition")?.string ?? "", changed: StoredJSON.invalidationPreview(row.column("changed")?.string)
            )
        }
    }

    public func release(_ ids: [Int64], confirmations: [Int64: PendingSignature.Confirmation], audit: AuditEntry, now: Timestamp) async throws
        -> (released: Int, notOpen: Int, changes: [SignatureBatchResult.CountChange])
    {
        try await inWriteTransaction { db in
            var found: [SignatureRecord] = []
            for chunk in stride(from: 0, to: ids.count, by: Self.insertChunk) {
                let slice = ids[chunk..<min(chunk + Self.insertChunk, ids.count)]
                found += try await db.query(
                    "SELECT \(Self.recordColumns) FROM signatures WHERE state = 'held' AND id IN (\(Array(repeating: "?", count: slice.count).joined(separator: ", ")))",
                    slice.map { .integer(Int($0)) }
                ).map(Self.record)
            }
            // Only petitions that are open take them; the others' stay held.
            let petitionIDs = Array(Set(found.map(\.petitionID)))
            var open = Set<Petition.ID>()
            for chunk in stride(from: 0, to: petitionIDs.count, by: Self.insertChunk) {
                let slice = petitionIDs[chunk..<min(chunk + Self.insertChunk, petitionIDs.count)]
                for row in try await db.query(
                    "SELECT id FROM petitions WHERE state = 'open' AND id IN (\(Array(repeating: "?", count: slice.count).joined(separator: ", ")))",
                    slice.map { .integer(Int($0.rawValue)) }
                ) {
                    if let id = row.column("id")?.integer { open.insert(Petition.ID(Int64(id))) }
                }
            }
            let held = found.filter { open.contains($0.petitionID) }
            var counted: [Petition.ID: (Int, TallyDeltas)] = [:]
            for record in held {
                if let confirmation = confirmations[record.id] {
                    _ = try await db.query("UPDATE signatures SET state = 'pending' WHERE id = ?", [.integer(Int(record.id))])
                    try await Self.storeConfirmation(confirmation, of: record.id, now: now, db)
                } else {
                    _ = try await db.query("UPDATE signatures SET state = 'counted', confirmed_at = ? WHERE id = ?", [.ms(now), .integer(Int(record.id))])
                    var entry = counted[record.petitionID] ?? (0, TallyDeltas())
                    entry.0 += 1
                    entry.1.add(country: record.country, constituency: record.constituency, 1)
                    counted[record.petitionID] = entry
                }
            }
            var changes: [SignatureBatchResult.CountChange] = []
            for (petitionID, entry) in counted.sorted(by: { $0.key < $1.key }) {
                guard let row = try await db.query("SELECT \(Self.petitionColumns) FROM petitions WHERE id = ?", [.integer(Int(petitionID.rawValue))]).first else { continue }
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
        let id = SQLiteData.integer(Int(petition.rawValue)), width = SQLiteData.integer(Int(bucketMilliseconds))
        var buckets: [Int64: IntegrityFigures.Figures] = [:]
        var totals = IntegrityFigures.Figures()
        for row in try await reader.query(
            "SELECT created_at / ? AS b, COUNT(*) AS n, SUM(held) AS h FROM signatures WHERE petition_id = ? GROUP BY b", [width, id]
        ) {
            let b = Int64(row.column("b")?.integer ?? 0), n = row.column("n")?.integer ?? 0, h = row.column("h")?.integer ?? 0
            buckets[b, default: .init()].created += n
            buckets[b, default: .init()].held += h
            totals.created += n
            totals.held += h
        }
        for (column, path) in [("confirmed_at", \IntegrityFigures.Figures.confirmed), ("invalidated_at", \IntegrityFigures.Figures.invalidated)] {
            for row in try await reader.query(
                "SELECT \(column) / ? AS b, COUNT(*) AS n FROM signatures WHERE petition_id = ? AND \(column) IS NOT NULL GROUP BY b", [width, id]
            ) {
                let b = Int64(row.column("b")?.integer ?? 0), n = row.column("n")?.integer ?? 0
                buckets[b, default: .init()][keyPath: path] += n
                totals[keyPath: path] += n
            }
        }
        var now: [SignatureState: Int] = [:]
        for row in try await reader.query("SELECT state, COUNT(*) AS n FROM signatures WHERE petition_id = ? GROUP BY state", [id]) {
            if let state = SignatureState(rawValue: row.column("state")?.string ?? "") { now[state] = row.column("n")?.integer ?? 0 }
        }
        return IntegrityFigures(
            totals: totals, now: now,
            buckets: buckets.sorted { $0.key < $1.key }.map { .init(start: Timestamp(millisecondsSince1970: $0.key * bucketMilliseconds), figures: $0.value) }
        )
    }
}
