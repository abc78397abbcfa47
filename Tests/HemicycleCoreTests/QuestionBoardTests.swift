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
}
