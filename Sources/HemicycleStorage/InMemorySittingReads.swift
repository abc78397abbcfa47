public import HemicycleCore

/// `SittingReads` of `InMemoryStore.withSitting`: reads the store's actor state (the sitting's lock keeps other
/// actions on it out meanwhile).
struct InMemorySittingReads: SittingReads {
    let store: InMemoryStore
    let sittingID: Sitting.ID

    func sitting() async throws -> Sitting? { try await store.sitting(sittingID) }

    func questions(_ ids: Set<Question.ID>) async throws -> [Question] { await store.storedQuestions(ids, of: sittingID) }

    func voteContext(on question: Question.ID, participant: String, address: String?) async throws -> VoteContext? {
        await store.storedVoteContext(on: question, participant: participant, address: address, of: sittingID)
    }

    func questionOnScreen() async throws -> Question? { await store.storedQuestionOnScreen(of: sittingID) }

    func claims(on questions: Set<Question.ID>, now: Timestamp) async throws -> [QuestionClaim] {
        await store.storedClaims(on: questions, of: sittingID, now: now)
    }
}
