import HemicycleCore
import Testing

/// The core of a sitting's actions decides on the stored state it is given and returns effects; a refusal is a
/// `HearingError` with its code and changes nothing.
@Suite struct HearingRoomTests {
    let now = Timestamp(millisecondsSince1970: 1_000_000)
    let moderator = StaffMember(id: .init(1), email: "mo@x.org", name: "Mo", role: .moderator, sittings: [.init(1)])
    let other = StaffMember(id: .init(2), email: "ot@x.org", name: "Ot", role: .moderator, sittings: [.init(1)])
    let chair = StaffMember(id: .init(3), email: "ch@x.org", name: "Ch", role: .chair, sittings: [.init(1)])

    func sitting(_ state: SittingState = .live) -> Sitting {
        Sitting(id: .init(1), title: "T", committee: "C", state: state, scheduledStart: now, streamURL: nil, agenda: ["Fares"])
    }

    func question(_ id: Int64, _ state: QuestionState = .submitted, voters: Set<String> = []) -> Question {
        Question(id: .init(id), sittingID: .init(1), participant: "p\(id)", text: "Q\(id)?", state: state, voters: voters, submittedAt: now)
    }

    func room(_ questions: [Question], claims: [QuestionClaim] = [], vote: VoteContext? = nil, state: SittingState = .live) -> HearingRoom {
        HearingRoom(sitting: sitting(state), questions: questions, claims: claims, vote: vote, votesPerAddress: 2, reasonCodes: ["off_topic"])
    }

    func refusal(_ room: HearingRoom, _ command: HearingCommand, by actor: HearingActor) -> HearingError? {
        var room = room
        do {
            _ = try room.handle(command, by: actor, at: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func anApprovalIsStoredLoggedAuditedAndEndsTheModeratorsClaim() throws {
        let claim = QuestionClaim(question: .init(1), claim: .init(staffID: moderator.id, staffName: "Mo", until: now.adding(.seconds(30))))
        var room = room([question(1)], claims: [claim])
        let effects = try room.handle(.moderate(.init(1), .approve), by: .staff(moderator), at: now)
        var approved = question(1)
        approved.state = .approved
        let entry = ModerationLogEntry(sittingID: .init(1), questionID: .init(1), action: "approve", state: "approved", at: now)
        #expect(effects == [
            .questionChanged(approved, wasPublished: false), .logged(entry),
            .audited(action: "question_approve", subject: "question:1", entry: entry), .claimEnded(.init(1)),
        ])
    }

    @Test func refusalsCarryTheirCodes() {
        let claimed = QuestionClaim(question: .init(1), claim: .init(staffID: other.id, staffName: "Ot", until: now.adding(.seconds(30))))
        #expect(refusal(room([question(1)]), .moderate(.init(1), .approve), by: .staff(chair))?.kind == .forbidden)
        #expect(refusal(room([question(1)], claims: [claimed]), .moderate(.init(1), .approve), by: .staff(moderator))?.code == "claimed_by_other")
        #expect(refusal(room([question(1, .rejected(reasonCode: "off_topic"))]), .moderate(.init(1), .approve), by: .staff(moderator))?.code
                == "question_state_conflict")
        #expect(refusal(room([question(1)]), .moderate(.init(1), .reject(reasonCode: "nope")), by: .staff(moderator))?.field == "reason")
        #expect(refusal(room([question(1)]), .moderate(.init(1), .tag("Trains")), by: .staff(moderator))?.field == "tag")
        #expect(refusal(room([question(1)]), .moderate(.init(1), .merge(into: .init(9))), by: .staff(moderator))?.field == "into",
                "a target that is not this sitting's stored question")
        #expect(refusal(room([question(1)]), .claim(.init(1)), by: .staff(chair))?.code == "chair_cannot_claim")
        #expect(refusal(room([question(1)]), .withdraw(.init(1)), by: .participant("someone else"))?.kind == .forbidden)
        #expect(refusal(room([question(1, .approved)], state: .ended), .putOnScreen(.init(1)), by: .staff(chair))?.code == "sitting_not_live")
        #expect(refusal(room([question(1, .approved)], state: .scheduled), .putOnScreen(.init(1)), by: .staff(chair))?.code == "sitting_not_live",
                "nothing goes on screen before the chair starts the sitting")
        #expect(refusal(room([]), .setState(.scheduled), by: .staff(chair))?.code == "sitting_state_conflict")
    }

    @Test func aVoteIsDecidedOnItsStoredContext() throws {
        let context = VoteContext(question: question(1, .approved), standing: .none, countedFromAddress: 2)
        var room = room([], vote: context)
        let effects = try room.handle(.vote(.init(1), on: true, address: "school"), by: .participant("v"), at: now)
        #expect(effects == [.voteCast(question: .init(1), participant: "v", address: "school", standing: .held, previous: .none)], "over the cap: held")
        #expect(refusal(self.room([], vote: VoteContext(question: question(1), standing: .none, countedFromAddress: 0)),
                        .vote(.init(1), on: true, address: "a"), by: .participant("v"))?.kind == .notFound, "an unpublished question takes no votes")
        #expect(refusal(self.room([], vote: context, state: .ended), .vote(.init(1), on: true, address: "a"), by: .participant("v"))?.code
                == "sitting_not_live")
    }

    @Test func theScreenMovesAndClears() throws {
        var room = room([question(1, .approved), question(2, .onScreen)])
        let effects = try room.handle(.putOnScreen(.init(1)), by: .staff(chair), at: now)
        #expect(effects.contains(.screenChanged(room.board[.init(1)])))
        #expect(room.board[.init(2)]?.state == .approved, "the previous one goes back to the queue")
        let cleared = try room.handle(.clearScreen, by: .staff(chair), at: now)
        #expect(cleared.last == .screenChanged(nil))
        #expect(room.board.onScreen == nil)
        #expect(try room.handle(.clearScreen, by: .staff(chair), at: now).isEmpty, "nothing on screen: nothing to do")
    }

    @Test func claimsAreDecidedOnTheStoredClaims() throws {
        var room = room([question(1)])
        let effects = try room.handle(.claim(.init(1)), by: .staff(moderator), at: now)
        guard case .claimed(let claim) = effects.first else {
            Issue.record("a claim: \(effects)")
            return
        }
        #expect(claim.claim.staffID == moderator.id)
        #expect(refusal(room, .claim(.init(1)), by: .staff(other))?.code == "claimed_by_other")
        #expect(refusal(room, .release(.init(1)), by: .staff(other))?.code == "claimed_by_other")
        #expect(try room.handle(.release(.init(1)), by: .staff(moderator), at: now) == [.claimEnded(.init(1))])
    }
}
