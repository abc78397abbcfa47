/// Soft locks of moderators on questions: who is looking at which question, so two moderators do not work on the
/// same one. A claim lasts `duration` unless renewed, and ends when its holder acts on the question or releases it.
/// Pure: the caller passes the time.
public struct ModerationClaims: Sendable, Equatable {
    public struct Claim: Sendable, Equatable {
        public let staffID: StaffMember.ID
        public let staffName: String
        public let until: Timestamp

        public init(staffID: StaffMember.ID, staffName: String, until: Timestamp) {
            self.staffID = staffID
            self.staffName = staffName
            self.until = until
        }
    }

    public let durationMilliseconds: Int64
    private var claims: [Question.ID: Claim] = [:]

    public init(durationMilliseconds: Int64 = 60_000) {
        self.durationMilliseconds = durationMilliseconds
    }

    /// The claims as a store holds them (expired ones are harmless: they count as absent).
    public init(durationMilliseconds: Int64 = 60_000, stored: [QuestionClaim]) {
        self.durationMilliseconds = durationMilliseconds
        for stored in stored { claims[stored.question] = stored.claim }
    }

    /// The live claim on `question`, if any.
    public func claim(on question: Question.ID, now: Timestamp) -> Claim? {
        guard let claim = claims[question], claim.until > now else { return nil }
        return claim
    }

    /// Claims (or renews the claim on) `question` for `staff`; refused with the holder if someone else holds it.
    public mutating func claim(_ question: Question.ID, by staff: StaffMember.ID, name: String, now: Timestamp) -> Result<Claim, ClaimConflict> {
        if let held = claim(on: question, now: now), held.staffID != staff {
            return .failure(ClaimConflict(holder: held))
        }
        let claim = Claim(staffID: staff, staffName: name, until: Timestamp(millisecondsSince1970: now.millisecondsSince1970 + durationMilliseconds))
        claims[question] = claim
        return .success(claim)
    }

    /// Whether `staff` may act on `question`: nobody else holds a live claim on it.
    public func check(_ question: Question.ID, by staff: StaffMember.ID, now: Timestamp) -> Result<Void, ClaimConflict> {
        if let held = claim(on: question, now: now), held.staffID != staff { return .failure(ClaimConflict(holder: held)) }
        return .success(())
    }

    /// Ends the claim on `question` if `staff` holds it (or it has expired). Returns whether a claim was removed.
    @discardableResult
    public mutating func release(_ question: Question.ID, by staff: StaffMember.ID, now: Timestamp) -> Bool {
        guard let held = claims[question] else { return false }
        guard held.staffID == staff || held.until <= now else { return false }
        claims[question] = nil
        return true
    }

    /// Takes a stored claim as it is (decided on the stored claims): replaces any claim on its question.
    public mutating func adopt(_ stored: QuestionClaim) {
        claims[stored.question] = stored.claim
    }

    /// Forgets the claim on `question` (ended in the store).
    public mutating func forget(_ question: Question.ID) {
        claims[question] = nil
    }

    /// Live claims, for a moderator who joins.
    public func all(now: Timestamp) -> [(question: Question.ID, claim: Claim)] {
        claims.filter { $0.value.until > now }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// Someone else holds the claim.
public struct ClaimConflict: Error, Sendable, Equatable {
    public let holder: ModerationClaims.Claim
}
