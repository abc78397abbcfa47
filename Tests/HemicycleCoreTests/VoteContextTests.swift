import HemicycleCore
import Testing

/// A vote decided on what the store read (`VoteContext`) follows the rules of `QuestionBoard`, and the room adopts it.
@Suite struct VoteContextTests {
    let now = Timestamp(millisecondsSince1970: 1_000)

    func context(_ state: QuestionState = .approved, standing: VoteContext.Standing = .none, counted: Int = 0) -> VoteContext {
        VoteContext(question: Question(id: .init(1), sittingID: .init(1), participant: "p", text: "Why?", state: state, submittedAt: now),
                    standing: standing, countedFromAddress: counted)
    }

    @Test func aVoteIsCountedUntilItsAddressReachesTheCapThenHeld() throws {
        #expect(try context(counted: 2).decide(on: true, hasAddress: true, votesPerAddress: 3) == .counted)
        #expect(try context(counted: 3).decide(on: true, hasAddress: true, votesPerAddress: 3) == .held)
        #expect(try context(counted: 9).decide(on: true, hasAddress: false, votesPerAddress: 3) == .counted, "no address, no cap")
        #expect(try context(counted: 1).decide(on: true, hasAddress: true, votesPerAddress: 0) == .held, "a cap below 1 counts as 1")
    }

    @Test func refusalsAreTheBoardsOwn() throws {
        #expect(throws: QuestionError.alreadyVoted) { try context(standing: .counted).decide(on: true, hasAddress: true, votesPerAddress: 3) }
        #expect(throws: QuestionError.alreadyVoted) { try context(standing: .held).decide(on: true, hasAddress: true, votesPerAddress: 3) }
        #expect(throws: QuestionError.notVoted) { try context().decide(on: false, hasAddress: true, votesPerAddress: 3) }
        #expect(throws: QuestionError.notAllowed(action: "vote", state: "answered")) {
            try context(.answered(streamOffsetSeconds: nil)).decide(on: true, hasAddress: true, votesPerAddress: 3)
        }
        #expect(try context(standing: .held).decide(on: false, hasAddress: true, votesPerAddress: 3) == VoteContext.Standing.none)
    }

    /// The same votes through the board and through contexts end in the same question.
    @Test func theBoardAdoptsDecidedVotesAsItsOwnRulesWould() throws {
        let question = context().question
        var byRules = QuestionBoard(votesPerAddress: 2), adopted = QuestionBoard(votesPerAddress: 2)
        byRules.add(question)
        adopted.add(question)
        for voter in ["a", "b", "c"] {
            let counted = adopted.countedVotes(on: question.id, from: "school")
            let standing = try VoteContext(question: question, standing: .none, countedFromAddress: counted)
                .decide(on: true, hasAddress: true, votesPerAddress: 2)
            adopted.setVote(on: question.id, participant: voter, address: "school", to: standing)
            try byRules.apply(.vote(participant: voter, address: "school"), to: question.id)
        }
        #expect(adopted == byRules)
        #expect(adopted[question.id]?.heldVoters == ["c"])
        adopted.setVote(on: question.id, participant: "a", address: nil, to: .none)
        try byRules.apply(.unvote(participant: "a"), to: question.id)
        #expect(adopted == byRules)
    }
}
