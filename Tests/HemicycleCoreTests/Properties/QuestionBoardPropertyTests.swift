import HemicycleCore
import PropertyBased
import Testing

/// Random sequences of moderation, chair and participant actions on one board (issue 17): whatever the order, the
/// board's invariants hold after every step. Each generated number is one action (`BoardStep`); a failure is shrunk
/// to the shortest sequence that still breaks the invariant and reported with its seed.
@Suite struct QuestionBoardPropertyTests {
    static let ids = (1...6).map { Question.ID(Int64($0)) }
    static let participants = (0..<8).map { "p\($0)" }
    static let addresses: [String?] = ["a0", "a1", "a2", nil]

    /// One action on one question, decoded from a number: what it does, to which question, and with whom.
    struct BoardStep: CustomStringConvertible {
        let action: QuestionAction
        let id: Question.ID

        init(_ n: Int) {
            let kind = n % 12, q = (n / 12) % 6, x = (n / 72) % 8
            id = QuestionBoardPropertyTests.ids[q]
            switch kind {
            case 0: action = .approve
            case 1: action = .reject(reasonCode: "off_topic")
            case 2: action = .edit(text: x == 0 ? "" : "Edited \(x)?")
            case 3: action = .merge(into: QuestionBoardPropertyTests.ids[x % 6])
            case 4: action = .tag(x == 0 ? nil : "Tag \(x)")
            case 5: action = .setPriority(x - 4)
            case 6: action = .withdraw
            case 7: action = .putOnScreen
            case 8: action = .markAnswered(at: Timestamp(millisecondsSince1970: Int64(n)), streamOffsetSeconds: x)
            case 9, 10:
                action = .vote(participant: QuestionBoardPropertyTests.participants[x],
                               address: QuestionBoardPropertyTests.addresses[(n / 576) % 4])
            default:
                action = x < 6 ? .unvote(participant: QuestionBoardPropertyTests.participants[x]) : .releaseHeldVotes
            }
        }

        var description: String { "\(action) to \(id)" }
    }

    static func freshBoard() -> QuestionBoard {
        var board = QuestionBoard(votesPerAddress: 2)
        for id in ids { board.add(Question(id: id, text: "Question \(id)?")) }
        return board
    }

    /// The invariants that hold between any two actions.
    static func checkInvariants(_ board: QuestionBoard, after step: BoardStep) {
        let shown = board.questions.values.filter { $0.state == .onScreen }.map(\.id)
        #expect(shown.count <= 1, "at most one question on screen (after \(step))")
        #expect(board.onScreen == shown.first, "the board's on-screen id is the question on screen (after \(step))")
        for question in board.questions.values {
            #expect(question.voters.isDisjoint(with: question.heldVoters),
                    "a voter is counted or held, never both, on \(question.id) (after \(step))")
            if case .merged = question.state {
                #expect(question.voters.isEmpty && question.heldVoters.isEmpty, "a merged question keeps no votes")
            }
            for address in ["a0", "a1", "a2"] {
                let counted = question.voters.filter { question.voterAddresses[$0] == address }.count
                #expect(board.countedVotes(on: question.id, from: address) == counted,
                        "the per-address count of \(question.id) is its voters' (after \(step))")
            }
        }
    }

    static func isFinal(_ state: QuestionState) -> Bool { !state.isOpen }

    @Test func randomActionSequencesKeepTheBoardsInvariants() async {
        // What the sequences reached, so that the test shows it exercised merges, held votes and refusals.
        var merges = 0, held = 0, refused = 0
        await propertyCheck(count: 300, input: Gen.int(in: 0...4_607).array(of: 0...80)) { numbers in
            var board = Self.freshBoard()
            for step in numbers.map(BoardStep.init) {
                let before = board
                do {
                    try board.apply(step.action, to: step.id)
                } catch {
                    #expect(board == before, "a refused action changes nothing (\(step): \(error))")
                    refused += 1
                    continue
                }
                Self.checkInvariants(board, after: step)
                for id in Self.ids {
                    guard let old = before[id], let new = board[id] else { continue }
                    // A question's end is for good: rejected, answered, merged and withdrawn questions stay so.
                    if Self.isFinal(old.state) { #expect(new.state == old.state, "\(id) left \(old.state) (\(step))") }
                    // A count never goes backwards but by the voter's own unvote, or by the question being merged
                    // away (its votes then count on the survivor).
                    let unvoted: Bool = if case .unvote = step.action { id == step.id } else { false }
                    let mergedAway: Bool = if case .merged = new.state, !(old.state == new.state) { true } else { false }
                    if !unvoted && !mergedAway {
                        #expect(new.votes + new.heldVotes >= old.votes + old.heldVotes, "\(id)'s votes went down (\(step))")
                    }
                }
                switch step.action {
                case .merge(let target):
                    // Each voter of either question counts once on the survivor: counted or held, never both.
                    guard let duplicate = before[step.id], let survivor = before[target], let merged = board[target] else {
                        Issue.record("a merge succeeded without both questions (\(step))")
                        continue
                    }
                    merges += 1
                    let everyone = duplicate.voters.union(duplicate.heldVoters).union(survivor.voters).union(survivor.heldVoters)
                    #expect(merged.voters.union(merged.heldVoters) == everyone, "a merge keeps every voter (\(step))")
                    #expect(merged.votes + merged.heldVotes == everyone.count, "a merge counts each voter once (\(step))")
                    #expect(merged.votes >= survivor.votes, "the survivor's count never goes down (\(step))")
                case .vote(let participant, let address?):
                    // A vote over the address's cap is held, never counted.
                    let countedBefore = before.countedVotes(on: step.id, from: address)
                    let counted = board[step.id]?.voters.contains(participant) == true
                    #expect(counted == (countedBefore < board.votesPerAddress), "the cap decides counted or held (\(step))")
                    if !counted { held += 1 }
                default:
                    break
                }
            }
        }
        #expect(merges > 0 && held > 0 && refused > 0, "the sequences merged (\(merges)), held votes (\(held)) and were refused (\(refused))")
    }
}
