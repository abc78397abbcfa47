/// The household rule, decided here once for every store: on one petition, an email address signs at most twice, each
/// time under a different name (two people of one household may share an address; a third needs their own). Names are
/// compared by `ValidSignature.nameKey`.
///
/// A store reads the name keys already stored for the emails of a batch, then asks `verdict` for each signature of
/// the batch in order, adding the key of each admitted one before the next (two signatures of one batch count as two).
public enum HouseholdRule {
    /// How many different names may sign one petition with one email.
    public static let namesPerEmail = 2

    public enum Verdict: Sendable, Equatable {
        /// A new name for this email, within the limit: store it.
        case admitted
        /// This name has signed with this email already.
        case duplicate
        /// `namesPerEmail` other names have signed with this email.
        case householdLimit
    }

    /// The verdict on a signature under `nameKey` from an email that has signed under the name keys `signed`.
    public static func verdict(on nameKey: String, signed: Set<String>) -> Verdict {
        if signed.contains(nameKey) { return .duplicate }
        return signed.count >= namesPerEmail ? .householdLimit : .admitted
    }
}
