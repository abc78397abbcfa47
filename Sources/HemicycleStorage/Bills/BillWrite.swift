public import HemicycleCore

/// What one `BillStore.withBill` transaction stores: the difference between the state it read and the state its body
/// left. Every backend writes the same difference, so every backend stores the same thing.
public struct BillWrite: Sendable {
    /// A participant's stance on a comment, to insert or replace.
    public struct Stance: Sendable, Hashable {
        public let comment: BillComment.ID
        public let participant: String
        public let stance: CommentStance
    }

    /// A stance to remove.
    public struct Cleared: Sendable, Hashable {
        public let comment: BillComment.ID
        public let participant: String
    }

    /// The bill, when its title, committee or settings changed.
    public var bill: Bill?
    /// New or changed versions.
    public var versions: [BillVersion] = []
    /// New comments (their stances are in `stances`).
    public var newComments: [BillComment] = []
    /// Comments whose fields changed (stances are written from `stances` and `cleared`).
    public var changedComments: [BillComment] = []
    public var stances: [Stance] = []
    public var cleared: [Cleared] = []
    /// Whether the marker changed; `marker` is then its new value (nil: cleared).
    public var markerChanged = false
    public var marker: DiscussionMarker?
    public var log: [BillModerationLogEntry] = []
    public var audit: [AuditEntry] = []
    public var reports: [FrozenBillReport] = []

    /// The difference from `before` to `after` (the same bill).
    public init(from before: BillState, to after: BillState) {
        if after.bill != before.bill { bill = after.bill }
        for version in after.versions where before.version(version.number) != version { versions.append(version) }
        for id in after.board.comments.keys.sorted() {
            guard let comment = after.board.comments[id] else { continue }
            let old = before.board.comments[id]
            if let old {
                if Self.fields(old) != Self.fields(comment) { changedComments.append(comment) }
            } else {
                newComments.append(comment)
            }
            let oldSupporters = old?.supporters ?? [], oldOpposers = old?.opposers ?? []
            for participant in comment.supporters.subtracting(oldSupporters).sorted() {
                stances.append(Stance(comment: id, participant: participant, stance: .support))
            }
            for participant in comment.opposers.subtracting(oldOpposers).sorted() {
                stances.append(Stance(comment: id, participant: participant, stance: .oppose))
            }
            let now = comment.supporters.union(comment.opposers)
            for participant in oldSupporters.union(oldOpposers).subtracting(now).sorted() {
                cleared.append(Cleared(comment: id, participant: participant))
            }
        }
        if after.board.marker != before.board.marker {
            markerChanged = true
            marker = after.board.marker
        }
        log = after.newLog
        audit = after.newAudit
        reports = after.newReports
    }

    public var isEmpty: Bool {
        bill == nil && versions.isEmpty && newComments.isEmpty && changedComments.isEmpty && stances.isEmpty && cleared.isEmpty
            && !markerChanged && log.isEmpty && audit.isEmpty && reports.isEmpty
    }

    /// A comment without its stances (which are rows of their own).
    static func fields(_ comment: BillComment) -> BillComment {
        var copy = comment
        copy.supporters = []
        copy.opposers = []
        return copy
    }
}
