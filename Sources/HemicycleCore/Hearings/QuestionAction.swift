/// What moderators, the chair and participants do to questions; `QuestionBoard.apply` checks and performs them.
public enum QuestionAction: Sendable, Equatable {
    case approve
    case reject(reasonCode: String)
    case edit(text: String)
    /// Merge this question (a duplicate) into another: votes are united, this one links to the survivor.
    case merge(into: Question.ID)
    case withdraw
    case putOnScreen
    case markAnswered(streamOffsetSeconds: Int?)
    case vote(participant: String)
    case unvote(participant: String)
}
