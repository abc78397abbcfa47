/// What readers see next to a provision: its published comments by kind, and the supports and opposes they have.
public struct ClauseCounts: Sendable, Equatable, Hashable {
    public var comments = 0
    public var rewordings = 0
    public var questions = 0
    /// Supports of the published comments (each participant once per comment).
    public var supports = 0
    public var opposes = 0

    public init(comments: Int = 0, rewordings: Int = 0, questions: Int = 0, supports: Int = 0, opposes: Int = 0) {
        self.comments = comments
        self.rewordings = rewordings
        self.questions = questions
        self.supports = supports
        self.opposes = opposes
    }

    /// Published items of every kind.
    public var total: Int { comments + rewordings + questions }

    /// Counts one published comment: its kind, and the supports and opposes it has. The caller decides that it is
    /// published (the board for readers, the committee report for its tables).
    public mutating func count(_ comment: BillComment) {
        switch comment.kind {
        case .comment: comments += 1
        case .rewording: rewordings += 1
        case .question: questions += 1
        }
        supports += comment.supports
        opposes += comment.opposes
    }

    /// The sum, for a provision and everything inside it.
    public static func + (lhs: ClauseCounts, rhs: ClauseCounts) -> ClauseCounts {
        ClauseCounts(
            comments: lhs.comments + rhs.comments, rewordings: lhs.rewordings + rhs.rewordings,
            questions: lhs.questions + rhs.questions, supports: lhs.supports + rhs.supports, opposes: lhs.opposes + rhs.opposes)
    }
}
