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
    /// Everything `command` needs, as the reads above give it: the sitting; when there is one, the questions the
    /// command names and, if it reads the screen, the one on screen (once); the claims on `command.claimedQuestion`;
    /// and for a vote by `participant`, its `VoteContext`. A store may read it all at once (PostgreSQL: one round
    /// trip); the default asks the reads above in turn.
    func context(for command: HearingCommand, participant: String?, now: Timestamp) async throws -> SittingContext
}

extension SittingReads {
    public func context(for command: HearingCommand, participant: String?, now: Timestamp) async throws -> SittingContext {
        guard let sitting = try await sitting() else { return SittingContext(sitting: nil) }
        var context = SittingContext(sitting: sitting, questions: try await questions(command.questions))
        if command.readsScreen, let shown = try await questionOnScreen(), !context.questions.contains(where: { $0.id == shown.id }) {
            context.questions.append(shown)
        }
        if let claimed = command.claimedQuestion { context.claims = try await claims(on: [claimed], now: now) }
        if case .vote(let id, _, let address) = command, let participant {
            context.vote = try await voteContext(on: id, participant: participant, address: address)
        }
        return context
    }
}
