public import HemicycleCore

/// What an action on one sitting may read inside its transaction (`HearingStore.withSitting`): the STORED state, as
/// committed before the transaction began, read through the transaction that will write the decision. Reads are
/// bounded: an action reads the questions it names, never the whole room.
public protocol SittingReads: Sendable {
    /// The sitting this transaction holds.
    var sittingID: Sitting.ID { get }
    /// The stored sitting, or `nil` when there is none.
    func sitting() async throws -> Sitting?
    /// The stored questions among `ids` that belong to this sitting, with their voters (counted and held) and the
    /// tags of their addresses, by id. Ids of other sittings' questions and unknown ids are left out.
    func questions(_ ids: Set<Question.ID>) async throws -> [Question]
    /// What deciding `participant`'s vote on `question` needs (the question without its voters, the participant's vote,
    /// the counted votes from `address`), or `nil` if the question is not one of this sitting's. Reads a few rows
    /// whatever the question's votes.
    func voteContext(on question: Question.ID, participant: String, address: String?) async throws -> VoteContext?
    /// The question of this sitting that is on screen, if any.
    func questionOnScreen() async throws -> Question?
    /// The claims on `questions` that are live at `now` (expired claims are left out).
    func claims(on questions: Set<Question.ID>, now: Timestamp) async throws -> [QuestionClaim]
}
