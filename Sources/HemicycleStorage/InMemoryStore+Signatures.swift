public import HemicycleCore

extension InMemoryStore {
    public func importRegions(_ data: RegionData) async throws -> Int {
        try checkWrite()
        regionData = RegionData(regions: data.regions, constituencies: data.constituencies, countries: data.countries)
        postcodeTable = Dictionary(data.postcodes.map { ($0.postcode, $0.constituency) }, uniquingKeysWith: { first, _ in first })
        var mapped = 0
        for (id, row) in signatureRows {
            var updated = row
            updated.record.constituency = row.record.postcode.map(ValidSignature.postcodeKey).flatMap { postcodeTable[$0] }
            if updated.record.constituency != nil { mapped += 1 }
            signatureRows[id] = updated
        }
        return mapped
    }

    public func regionNames() async throws -> RegionData {
        RegionData(
            regions: regionData.regions.sorted { $0.code < $1.code }, constituencies: regionData.constituencies.sorted { $0.code < $1.code },
            countries: regionData.countries.sorted { $0.code < $1.code }
        )
    }

    public func tallies(of petition: Petition.ID) async throws -> [SignatureTally] {
        var counts: [String: SignatureTally] = [:]
        for row in signatureRows.values where row.record.petitionID == petition && row.record.state == .counted {
            let country = row.record.country ?? "", constituency = row.record.constituency ?? ""
            counts[country + "\u{0}" + constituency, default: SignatureTally(country: country, constituency: constituency, count: 0)].count += 1
        }
        return counts.values.sorted { ($0.country, $0.constituency) < ($1.country, $1.constituency) }
    }

    public func signatureHistory(of petition: Petition.ID, bucketMilliseconds: Int64, constituency: String?) async throws -> [(start: Timestamp, added: Int)] {
        var buckets: [Int64: Int] = [:]
        for row in signatureRows.values where row.record.petitionID == petition && row.record.state == .counted {
            if let constituency, row.record.constituency != constituency { continue }
            let time = row.confirmedAt ?? row.record.createdAt
            buckets[time.millisecondsSince1970 / bucketMilliseconds, default: 0] += 1
        }
        return buckets.sorted { $0.key < $1.key }.map { (Timestamp(millisecondsSince1970: $0.key * bucketMilliseconds), $0.value) }
    }

    private func matching(_ filter: SignatureFilter) -> [SignatureRecord] {
        signatureRows.values.map(\.record).filter {
            filter.matches(petition: $0.petitionID, email: $0.email, address: $0.address, createdAt: $0.createdAt, state: $0.state)
        }.sorted { $0.id > $1.id }
    }

    public func signatures(matching filter: SignatureFilter, limit: Int) async throws -> [SignatureRecord] {
        Array(matching(filter).prefix(limit))
    }

    public func previewInvalidation(_ filter: SignatureFilter) async throws -> InvalidationPreview {
        var narrowed = filter
        narrowed.states.remove(.invalidated)
        return InvalidationPreview(records: matching(narrowed).map { ($0.petitionID, $0.state) })
    }

    public func invalidate(_ filter: SignatureFilter, reason: String, condition: String, staffID: StaffMember.ID?, audit: AuditEntry, now: Timestamp) async throws
        -> (Invalidation, [SignatureBatchResult.CountChange])
    {
        try checkWrite()
        var narrowed = filter
        narrowed.states.remove(.invalidated)
        let records = matching(narrowed)
        guard !records.isEmpty else { throw StoreError(.notFound, "No signature matches this condition.") }
        let changed = InvalidationPreview(records: records.map { ($0.petitionID, $0.state) })
        let invalidation = Invalidation(id: nextID(), at: now, staffID: staffID, reason: reason, condition: condition, changed: changed)
        for record in records {
            signatureRows[record.id]?.record.state = .invalidated
            signatureRows[record.id]?.invalidatedAt = now
        }
        var changes: [SignatureBatchResult.CountChange] = []
        for petition in changed.petitions where petition.counted > 0 {
            _ = addToCount(petition.petitionID, -petition.counted, now: now)
            changes.append(.init(petitionID: petition.petitionID, signatureCount: petitionsByID[petition.petitionID]?.signatureCount ?? 0, thresholdsReached: []))
        }
        invalidationRecords.append(invalidation)
        var entry = audit
        entry.subject = "invalidation:\(invalidation.id)"
        auditEntries.append(entry)
        return (invalidation, changes)
    }

    public func invalidations(limit: Int) async throws -> [Invalidation] {
        Array(invalidationRecords.reversed().prefix(limit))
    }

    public func release(_ ids: [Int64], confirmations: [Int64: PendingSignature.Confirmation], audit: AuditEntry, now: Timestamp) async throws
        -> (released: Int, notOpen: Int, changes: [SignatureBatchResult.CountChange])
    {
        try checkWrite()
        var released = 0, notOpen = 0
        var counted: [Petition.ID: Int] = [:]
        for id in ids {
            guard var row = signatureRows[id], row.record.state == .held else { continue }
            guard petitionsByID[row.record.petitionID]?.state.acceptsSignatures == true else {
                notOpen += 1
                continue
            }
            released += 1
            if let confirmation = confirmations[id] {
                row.record.state = .pending
                tokens[confirmation.tokenHash] = (EmailToken(hash: confirmation.tokenHash, purpose: .signature, subject: id, expiresAt: confirmation.expiresAt), false)
                appendMail(confirmation.mail, now: now)
            } else {
                row.record.state = .counted
                row.confirmedAt = now
                counted[row.record.petitionID, default: 0] += 1
            }
            signatureRows[id] = row
        }
        let changes = counted.sorted { $0.key < $1.key }.map { petition, n in
            let crossed = addToCount(petition, n, now: now)
            return SignatureBatchResult.CountChange(petitionID: petition, signatureCount: petitionsByID[petition]?.signatureCount ?? 0, thresholdsReached: crossed)
        }
        if released > 0 { auditEntries.append(audit) }
        return (released, notOpen, changes)
    }

    public func integrity(of petition: Petition.ID, bucketMilliseconds: Int64) async throws -> IntegrityFigures {
        IntegrityFigures.compute(
            signatureRows.values.filter { $0.record.petitionID == petition }.map {
                ($0.record.createdAt, $0.confirmedAt, $0.heldAtCreation, $0.invalidatedAt, $0.record.state)
            },
            bucketMilliseconds: bucketMilliseconds
        )
    }
}
