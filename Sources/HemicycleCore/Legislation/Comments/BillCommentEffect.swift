/// What the shell must do after a change to a bill's comments, in order. The board has already changed; the shell
/// writes, publishes and logs, and never decides anything itself.
public enum BillCommentEffect: Sendable, Equatable {
    /// A new comment: insert it (`BillCommentBoard[id]`).
    case stored(BillComment.ID)
    /// A comment changed: write it.
    case updated(BillComment.ID)
    /// The comment is public (newly, or changed while public): push it on `bill:{id}`.
    case published(BillComment.ID)
    /// The comment is no longer public: push its removal on `bill:{id}`.
    case unpublished(BillComment.ID)
    /// The per-clause counts of this provision key changed (nil: the bill-level counts): push them (conflated).
    case countsChanged(ProvisionKey?)
    /// A moderation decision for the public log and `bill:{id}:moderation`.
    case logged(BillModerationLogEntry)
    /// The "now discussing" marker moved (nil: cleared): push it on `bill:{id}`.
    case markerMoved(DiscussionMarker?)
    /// A comment was carried to a new version with this anchor.
    case carried(BillComment.ID, CarriedAnchor)
}
