/// The committee report on one version of a bill (Protocol/LEGISLATION.md §8.1): per provision, in document order,
/// its text, the counts of published comments, how many are still held or were rejected (by reason), the most
/// supported comments and rewordings, the comments orphaned by a new version and those written while the committee
/// discussed the provision; then the comments on the bill as a whole and a methodology section.
///
/// Pure and deterministic: the same bill, version, board and `generatedAt` give the same report, so a frozen report's
/// bytes can be checked against its SHA-256. It never holds a participant id or an original (pre-edit) text: only
/// `BillComment`s that are published, which the renderer shows through the public JSON.
public struct CommitteeReport: Sendable, Equatable {
    /// One provision of the version.
    public struct Clause: Sendable, Equatable {
        public let provision: Provision
        /// Published comments, rewordings and questions, with their supports.
        public let counts: ClauseCounts
        /// Comments still waiting for a moderator.
        public let held: Int
        /// Rejected comments by reason code (hidden from the public).
        public let rejected: [String: Int]
        /// Merged into another comment (the survivor counts) or withdrawn by their authors.
        public let merged: Int
        public let withdrawn: Int
        /// Published comments and questions, most supported first (then oldest), at most `CommitteeReport.top`.
        public let topComments: [BillComment]
        /// Published rewordings, most supported first, at most `CommitteeReport.top` (shown as redlines).
        public let topRewordings: [BillComment]
        /// Published comments that a new version left on this provision without their passage.
        public let orphaned: [BillComment]
        /// Published comments written while the committee discussed this provision (or one enclosing it).
        public let duringDiscussion: [BillComment]
    }

    /// How the consultation was run and what moderation did, for the report's readers.
    public struct Methodology: Sendable, Equatable {
        public let opens: Timestamp
        public let closes: Timestamp
        public let publishedAt: Timestamp?
        public let moderation: HearingSettings.Moderation
        public let maxCommentLength: Int
        public let commentsPerMinute: Int
        public let reasons: [RejectionReason]
        /// Every comment ever written on the bill by state label (`BillCommentState.labels`, in that order).
        public let states: [String: Int]
        /// Rejected comments by reason code, over the whole bill.
        public let rejected: [String: Int]
        /// Distinct participants with at least one published comment (a number, never who).
        public let participants: Int
        /// Supports and opposes on published comments.
        public let supports: Int
        public let opposes: Int
    }

    /// How many comments and rewordings each clause lists.
    public static let top = 5

    public let billID: Bill.ID
    public let title: String
    public let committee: String
    public let version: Int
    public let longTitle: String?
    public let generatedAt: Timestamp
    public let clauses: [Clause]
    /// Published comments on the bill as a whole (written so, or orphaned when their provision was deleted).
    public let billLevel: [BillComment]
    public let methodology: Methodology

    /// The report on `version` of `bill`, from the comments on `board`, as of `generatedAt`.
    public init(bill: Bill, version: BillVersion, board: BillCommentBoard, generatedAt: Timestamp) {
        billID = bill.id
        title = bill.title
        committee = bill.committee
        self.version = version.number
        longTitle = version.document.longTitle
        self.generatedAt = generatedAt
        let tree = version.provisions
        var byKey: [ProvisionKey?: [BillComment]] = [:]
        for comment in board.comments.values {
            // A comment only belongs to this report's version when its current anchor is in it (or on the bill).
            let key = comment.currentAnchor.flatMap { $0.version == version.number ? $0.key : nil }
            if comment.currentAnchor != nil && key == nil { continue }
            byKey[key, default: []].append(comment)
        }
        let ordered: ([BillComment]) -> [BillComment] = { comments in
            comments.sorted { a, b in a.supports != b.supports ? a.supports > b.supports : a.id < b.id }
        }
        clauses = tree.provisions.map { provision in
            let all = byKey[provision.key] ?? []
            let published = ordered(all.filter(\.isPublished))
            var counts = ClauseCounts(), rejected: [String: Int] = [:]
            var held = 0, merged = 0, withdrawn = 0
            for comment in all {
                switch comment.state {
                case .published: counts.count(comment)
                case .submitted: held += 1
                case .rejected(let code): rejected[code, default: 0] += 1
                case .merged: merged += 1
                case .withdrawn: withdrawn += 1
                }
            }
            return Clause(
                provision: provision, counts: counts, held: held, rejected: rejected, merged: merged, withdrawn: withdrawn,
                topComments: Array(published.filter { $0.kind != .rewording }.prefix(Self.top)),
                topRewordings: Array(published.filter { $0.kind == .rewording }.prefix(Self.top)),
                orphaned: published.filter { $0.anchorStatus == .orphaned },
                duringDiscussion: published.filter(\.writtenDuringDiscussion).sorted { $0.id < $1.id })
        }
        billLevel = ordered((byKey[nil] ?? []).filter(\.isPublished))
        var states: [String: Int] = [:], rejected: [String: Int] = [:]
        var participants = Set<String>(), supports = 0, opposes = 0
        for comment in board.comments.values {
            states[comment.state.label, default: 0] += 1
            if case .rejected(let code) = comment.state { rejected[code, default: 0] += 1 }
            if comment.isPublished {
                participants.insert(comment.participant)
                supports += comment.supports
                opposes += comment.opposes
            }
        }
        for label in BillCommentState.labels where states[label] == nil { states[label] = 0 }
        methodology = Methodology(
            opens: version.window.opens, closes: version.window.closes, publishedAt: version.publishedAt, moderation: bill.settings.moderation,
            maxCommentLength: bill.settings.maxCommentLength, commentsPerMinute: bill.settings.commentsPerMinute,
            reasons: bill.settings.rejectionReasons, states: states, rejected: rejected, participants: participants.count,
            supports: supports, opposes: opposes)
    }
}
