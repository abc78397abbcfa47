public import HemicycleCore

/// Where signatures come from and how honest the counts are (Protocol/PETITIONS.md, "Regions", "Held signatures",
/// "Bulk invalidation", "Integrity figures").
///
/// Contracts: every write is one transaction; a petition's count, its tallies and its signatures' states always agree
/// (a counted signature is in the count and in exactly one tally; nothing else is); nothing here deletes a signature.
public protocol SignatureIntegrityStore: Sendable {
    /// Replaces the regions, constituencies, postcode table and countries, re-maps every stored signature's postcode
    /// to its constituency and rebuilds the tallies, in one transaction. Returns how many signatures have a constituency.
    func importRegions(_ data: RegionData) async throws -> Int
    /// The regions, constituencies and countries (no postcodes), each sorted by code.
    func regionNames() async throws -> RegionData
    /// Counted signatures of a petition by country and constituency.
    func tallies(of petition: Petition.ID) async throws -> [SignatureTally]
    /// Counted signatures of a petition per time bucket, optionally only those of one constituency; oldest first,
    /// empty buckets left out.
    func signatureHistory(of petition: Petition.ID, bucketMilliseconds: Int64, constituency: String?) async throws -> [(start: Timestamp, added: Int)]
    /// Signatures matching `filter`, newest first, at most `limit` (for staff review).
    func signatures(matching filter: SignatureFilter, limit: Int) async throws -> [SignatureRecord]
    /// What invalidating `filter` would change now.
    func previewInvalidation(_ filter: SignatureFilter) async throws -> InvalidationPreview
    /// Invalidates every signature matching `filter` (counted, pending or held; already invalidated ones are left),
    /// lowers counts and tallies, and stores the invalidation record and `audit` in the same transaction.
    /// Returns the record and each changed petition's new count. Throws `StoreError(.notFound)`, storing nothing,
    /// when no signature matches.
    func invalidate(_ filter: SignatureFilter, reason: String, condition: String, staffID: StaffMember.ID?, audit: AuditEntry, now: Timestamp) async throws
        -> (Invalidation, [SignatureBatchResult.CountChange])
    /// Recorded invalidations, newest first.
    func invalidations(limit: Int) async throws -> [Invalidation]
    /// Releases held signatures: those of `ids` still held become counted, or pending with their token and mail when
    /// `confirmations` has one for them (email confirmation). Held signatures of a petition that is not open are
    /// left held, untouched (`notOpen` counts them): a closed, rejected or hidden petition takes no signature.
    /// Stores `audit` in the same transaction when it releases any. Returns how many were released and each changed petition's new count
    /// (with thresholds crossed).
    func release(_ ids: [Int64], confirmations: [Int64: PendingSignature.Confirmation], audit: AuditEntry, now: Timestamp) async throws
        -> (released: Int, notOpen: Int, changes: [SignatureBatchResult.CountChange])
    /// The petition's integrity figures by time bucket.
    func integrity(of petition: Petition.ID, bucketMilliseconds: Int64) async throws -> IntegrityFigures
}
