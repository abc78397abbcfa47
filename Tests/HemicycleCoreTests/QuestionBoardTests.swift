import HemicycleCore
import Testing

@Suite struct QuestionBoardTests {
    let a = Question.ID(1), b = Question.ID(2), c = Question.ID(3)

    func board() -> QuestionBoard {
        var board = QuestionBoard()
        board.add(Question(id: a, text: "When will the bill be published?", voters: ["p1", "p2"]))
        board.add(Question(id: b, text: "When is the bill published?", voters: ["p2", "p3", "p4"]))
        board.add(Question(id: c, text: "Who pays for it?"))
        return board
    }

    @Test func moderationFollowsTheStateMachine() throws {
        var board = board()
        try board.apply(.approve, to: a)
        #expect(board[a]?.state == .approved)
        #expect(throws: QuestionError.notAllowed(action: "approve", state: "approved")) { try board.apply(.approve, to: a) }
        try board.apply(.reject(reasonCode: "off_topic"), to: c)
        #expect(board[c]?.state == .rejected(reasonCode: "off_topic"))
        let before = board
        #expect(throws: QuestionError.notAllowed(action: "vote", state: "rejected")) { try board.apply(.vote(participant: "p9"), to: c) }
        #expect(throws: QuestionError.notFound(Question.ID(99))) { try board.apply(.approve, to: Question.ID(99)) }
        #expect(board == before, "a refused action changes nothing")
    }

    @Test func mergeUnitesVotesAndCountsEachVoterOnce() throws {
        var board = board()
        try board.apply(.merge(into: a), to: b)
        #expect(board[a]?.votes == 4, "p1, p2, p3, p4: p2 voted for both and counts once")
        #expect(board[a]?.mergedFrom == [b])
        #expect(board[b]?.state == .merged(into: a))
        #expect(board[b]?.votes == 0)
        #expect(throws: QuestionError.alreadyVoted) { try board.apply(.vote(participant: "p3"), to: a) }
        #expect(throws: QuestionError.mergeIntoItself) { try board.apply(.merge(into: a), to: a) }
        #expect(throws: QuestionError.notAllowed(action: "merge into", state: "merged")) { try board.apply(.merge(into: b), to: c) }
    }

    @Test func oneQuestionOnScreenAndAnsweredWithItsStreamTime() throws {
        var board = board()
        try board.apply(.approve, to: a)
        try board.apply(.approve, to: c)
        try board.apply(.putOnScreen, to: a)
        try board.apply(.putOnScreen, to: c)
        #expect(board.onScreen == c)
        #expect(board[a]?.state == .approved, "the previous question goes back to the queue")
        try board.apply(.markAnswered(at: Timestamp(millisecondsSince1970: 5_000), streamOffsetSeconds: 754), to: c)
        #expect(board[c]?.state == .answered(streamOffsetSeconds: 754))
        #expect(board[c]?.answeredAt == Timestamp(millisecondsSince1970: 5_000))
        #expect(board.onScreen == nil)
        #expect(throws: QuestionError.notAllowed(action: "put on screen", state: "submitted")) { try board.apply(.putOnScreen, to: b) }
    }

    @Test func editsKeepTheOriginalAndVotesCanBeWithdrawn() throws {
        var board = board()
        try board.apply(.edit(text: "When will the draft bill be published?"), to: a)
        try board.apply(.edit(text: "When will the draft bill be laid?"), to: a)
        #expect(board[a]?.originalText == "When will the bill be published?")
        #expect(board[a]?.isEdited == true)
        #expect(throws: QuestionError.emptyText) { try board.apply(.edit(text: ""), to: a) }
        try board.apply(.unvote(participant: "p1"), to: a)
        #expect(board[a]?.votes == 1)
        #expect(throws: QuestionError.notVoted) { try board.apply(.unvote(participant: "p1"), to: a) }
        try board.apply(.withdraw, to: c)
        #expect(board[c]?.state == .withdrawn)
    }

    // MARK: - Held votes

    @Test func votesFromOneAddressBeyondTheCapAreHeldNotCounted() throws {
        var board = QuestionBoard(votesPerAddress: 3)
        board.add(Question(id: a, text: "Capped?", state: .approved))
        for n in 1...5 { try board.apply(.vote(participant: "school-\(n)", address: "school"), to: a) }
        try board.apply(.vote(participant: "home", address: "home"), to: a)
        try board.apply(.vote(participant: "legacy"), to: a)  // no address: never held
        #expect(board[a]?.votes == 5, "3 from the school, 1 from home, 1 untracked")
        #expect(board[a]?.heldVotes == 2)
        #expect(board.countedVotes(on: a, from: "school") == 3)
        #expect(board.heldVotes.map(\.count) == [2])
        #expect(throws: QuestionError.alreadyVoted) { try board.apply(.vote(participant: "school-5", address: "school"), to: a) }
        #expect(throws: QuestionError.alreadyVoted) { try board.apply(.vote(participant: "school-1", address: "elsewhere"), to: a) }
    }

    @Test func withdrawingACountedVoteFreesAPlaceForTheNextVoteNotForHeldOnes() throws {
        var board = QuestionBoard(votesPerAddress: 2)
        board.add(Question(id: a, text: "Capped?", state: .approved))
        for n in 1...3 { try board.apply(.vote(participant: "p\(n)", address: "net"), to: a) }
        #expect(board[a]?.heldVoters == ["p3"])
        try board.apply(.unvote(participant: "p3"), to: a)
        #expect(board[a]?.heldVotes == 0 && board[a]?.votes == 2, "a held vote can be withdrawn")
        try board.apply(.unvote(participant: "p1"), to: a)
        #expect(board.countedVotes(on: a, from: "net") == 1)
        try board.apply(.vote(participant: "p4", address: "net"), to: a)
        #expect(board[a]?.voters == ["p2", "p4"])
        #expect(throws: QuestionError.notVoted) { try board.apply(.unvote(participant: "p9"), to: a) }
    }

    @Test func moderatorsReleaseHeldVotes() throws {
        var board = QuestionBoard(votesPerAddress: 1)
        board.add(Question(id: a, text: "Capped?", state: .approved))
        for n in 1...4 { try board.apply(.vote(participant: "p\(n)", address: "net"), to: a) }
        #expect(board[a]?.votes == 1 && board[a]?.heldVotes == 3)
        #expect(try board.apply(.releaseHeldVotes, to: a) == [a])
        #expect(board[a]?.votes == 4 && board[a]?.heldVotes == 0)
        #expect(board.countedVotes(on: a, from: "net") == 4)
        #expect(throws: QuestionError.noHeldVotes) { try board.apply(.releaseHeldVotes, to: a) }
        // Released votes count; the cap still holds the next one.
        try board.apply(.vote(participant: "p5", address: "net"), to: a)
        #expect(board[a]?.heldVoters == ["p5"])
    }

    @Test func aMergeKeepsTheCapOnTheSurvivor() throws {
        var board = QuestionBoard(votesPerAddress: 2)
        board.add(Question(id: a, text: "Survivor?", state: .approved))
        board.add(Question(id: b, text: "Duplicate?", state: .approved))
        try board.apply(.vote(participant: "s1", address: "school"), to: a)
        try board.apply(.vote(participant: "s2", address: "school"), to: b)
        try board.apply(.vote(participant: "s3", address: "school"), to: b)
        try board.apply(.vote(participant: "s4", address: "school"), to: b)  // held on b
        try board.apply(.vote(participant: "h1", address: "home"), to: b)
        try board.apply(.merge(into: a), to: b)
        #expect(board[a]?.voters == ["s1", "s2", "h1"], "the school reaches the cap on the survivor")
        #expect(board[a]?.heldVoters == ["s3", "s4"])
        #expect(board.countedVotes(on: a, from: "school") == 2)
        #expect(board[b]?.votes == 0 && board[b]?.heldVotes == 0 && board[b]?.voterAddresses.isEmpty == true)
    }

    @Test func aBoardRestoredFromTheStoreKnowsEachAddressCount() throws {
        var question = Question(id: a, text: "Restored?", state: .approved, voters: ["p1", "p2"])
        question.heldVoters = ["p3"]
        question.voterAddresses = ["p1": "net", "p2": "net", "p3": "net"]
        var board = QuestionBoard(votesPerAddress: 2)
        board.add(question)
        #expect(board.countedVotes(on: a, from: "net") == 2)
        try board.apply(.vote(participant: "p4", address: "net"), to: a)
        #expect(board[a]?.heldVoters == ["p3", "p4"], "the cap survives a restart")
    }
}
