public import HemicycleCore
public import HemicycleStorage
import Testing

/// `HearingStore.withSitting` and the stored claims: an action reads the stored state of its sitting, bounded to
/// what it names, and its write is stored with it or not at all; actions on one sitting never overlap, so of racing
/// actions that each read "free" and claim, exactly one wins.
public struct SittingTransactionConformance {
    public init() {}
    let now = StoreConformance.now

    struct Refused: Error {}

    func claim(_ staff: Int64, until: Timestamp) -> ModerationClaims.Claim {
        ModerationClaims.Claim(staffID: .init(staff), staffName: "Staff \(staff)", until: until)
    }

    /// Sitting 1 (the demo) with two questions, and a second sitting with one.
    func room(_ store: any HemicycleStore) async throws -> (a: Question, b: Question, other: Question, otherSitting: Sitting.ID) {
        let a = try await store.insertQuestion(Question(id: .init(1), sittingID: .init(1), participant: "p1", text: "A?", submittedAt: now), log: [])
        let b = try await store.insertQuestion(Question(id: .init(1), sittingID: .init(1), participant: "p2", text: "B?", submittedAt: now), log: [])
        let second = try await store.createSitting(
            Sitting(id: .init(1), title: "Other", committee: "C", state: .scheduled, scheduledStart: now, streamURL: nil), audit: nil)
        let other = try await store.insertQuestion(Question(id: .init(1), sittingID: second.id, participant: "p3", text: "C?", submittedAt: now), log: [])
        return (a, b, other, second.id)
    }

    func readsAreTheStoredStateBoundedToWhatIsNamed(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let (a, b, other, _) = try await room(store)
        var shown = b
        shown.state = .onScreen
        var voted = HearingWrite()
        voted.questions = [shown]
        voted.votesAdded = [.init(question: a.id, participant: "v1", address: "tag"), .init(question: a.id, participant: "v2", held: true, address: "tag")]
        try await store.commitHearing(voted)
        let now = now
        let seen = try await store.withSitting(.init(1)) { reads in
            #expect(reads.sittingID == .init(1))
            let sitting = try await reads.sitting()
            let named = try await reads.questions([a.id, other.id, .init(987_654)])
            let onScreen = try await reads.questionOnScreen()
            let claims = try await reads.claims(on: [a.id, b.id], now: now)
            return ((sitting, named, onScreen, claims), HearingWrite())
        }
        #expect(seen.0?.id == .init(1), "the stored sitting")
        #expect(seen.1.map(\.id) == [a.id], "only the named questions of this sitting: not another sitting's, not unknown ids")
        #expect(seen.1.first?.voters == ["v1"] && seen.1.first?.heldVoters == ["v2"], "with their counted and held voters")
        #expect(seen.1.first?.voterAddresses == ["v1": "tag", "v2": "tag"])
        #expect(seen.2?.id == b.id)
        let contexts = try await store.withSitting(.init(1)) { reads in
            ([try await reads.voteContext(on: a.id, participant: "v1", address: "tag"), try await reads.voteContext(on: a.id, participant: "v2", address: "tag"),
              try await reads.voteContext(on: a.id, participant: "v3", address: "other"), try await reads.voteContext(on: other.id, participant: "v1", address: nil)],
             HearingWrite())
        }
        #expect(contexts[0]?.standing == .counted && contexts[0]?.countedFromAddress == 1, "a counted vote, one counted from its address")
        #expect(contexts[1]?.standing == .held && contexts[1]?.countedFromAddress == 1, "held votes are not counted from the address")
        #expect(contexts[2]?.standing == VoteContext.Standing.none && contexts[2]?.countedFromAddress == 0)
        #expect(contexts[2]?.question.id == a.id && contexts[2]?.question.text == "A?")
        #expect(contexts[3] == nil, "another sitting's question has no context here")
        #expect(seen.3.isEmpty)
        let none = try await store.withSitting(.init(424_242)) { reads in
            ((try await reads.sitting(), try await reads.questions([a.id]), try await reads.questionOnScreen()), HearingWrite())
        }
        #expect(none.0 == nil && none.1.isEmpty && none.2 == nil, "an unknown sitting reads as empty")
    }

    /// `SittingReads.context(for:participant:now:)` (one statement on PostgreSQL) gives what the single reads give:
    /// the sitting, the named questions and the one on screen with their voters, the live claims on the claimed
    /// question, a vote's context; nothing for an unknown sitting.
    func theContextOfACommandIsWhatItsReadsGive(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let (a, b, other, _) = try await room(store)
        var shown = b
        shown.state = .onScreen
        var setUp = HearingWrite()
        setUp.questions = [shown]
        setUp.votesAdded = [.init(question: a.id, participant: "v1", address: "tag"), .init(question: a.id, participant: "v2", held: true, address: "tag")]
        setUp.claims = [QuestionClaim(question: a.id, claim: claim(7, until: now.adding(.seconds(60)))), QuestionClaim(question: b.id, claim: claim(8, until: now.adding(.seconds(60))))]
        try await store.commitHearing(setUp)
        let now = now
        let commands: [(HearingCommand, String?)] = [
            (.moderate(a.id, .approve), nil), (.moderate(a.id, .merge(into: b.id)), nil), (.putOnScreen(a.id), nil), (.clearScreen, nil), (.claim(a.id), nil),
            (.vote(a.id, on: true, address: "tag"), "v1"), (.vote(a.id, on: true, address: "other"), "v3"), (.vote(other.id, on: true, address: "tag"), "v1"),
            (.setState(.live), nil), (.moderate(other.id, .approve), nil),
        ]
        let results = try await store.withSitting(.init(1)) { reads in
            var results: [SittingContext] = []
            for (command, participant) in commands { results.append(try await reads.context(for: command, participant: participant, now: now)) }
            return (results, HearingWrite())
        }
        func ids(_ context: SittingContext) -> [Question.ID] { context.questions.map(\.id).sorted() }
        #expect(results.allSatisfy { $0.sitting?.id == .init(1) }, "the stored sitting, every time")
        #expect(ids(results[0]) == [a.id] && results[0].claims.map(\.question) == [a.id], "approve: the question and its live claim")
        let approved = try #require(results[0].questions.first)
        #expect(approved.voters == ["v1"] && approved.heldVoters == ["v2"] && approved.voterAddresses == ["v1": "tag", "v2": "tag"], "with its voters")
        #expect(ids(results[1]) == [a.id, b.id], "a merge reads both questions")
        #expect(ids(results[2]) == [a.id, b.id], "putting on screen reads the question and the one on screen")
        #expect(ids(results[3]) == [b.id] && results[3].claims.isEmpty, "clearing the screen reads the one on screen, no claims")
        #expect(ids(results[4]).isEmpty && results[4].claims.map(\.claim.staffID) == [.init(7)], "a claim reads the live claim only")
        #expect(results[5].vote?.standing == .counted && results[5].vote?.countedFromAddress == 1 && results[5].questions.isEmpty)
        #expect(results[6].vote?.standing == VoteContext.Standing.none && results[6].vote?.countedFromAddress == 0 && results[6].vote?.question.id == a.id)
        #expect(results[7].vote == nil, "another sitting's question has no vote context here")
        #expect(ids(results[8]).isEmpty && results[8].claims.isEmpty && results[8].vote == nil, "starting the sitting reads the sitting alone")
        #expect(ids(results[9]).isEmpty, "another sitting's question is not read")
        let none = try await store.withSitting(.init(424_242)) { reads in
            (try await reads.context(for: .moderate(a.id, .approve), participant: nil, now: now), HearingWrite())
        }
        #expect(none == SittingContext(sitting: nil), "an unknown sitting reads as nothing")
    }

    func claimsAreStoredAndExpire(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let (a, b, other, otherSitting) = try await room(store)
        let later = now.adding(.seconds(60))
        var write = HearingWrite()
        write.claims = [QuestionClaim(question: a.id, claim: claim(7, until: later)), QuestionClaim(question: b.id, claim: claim(8, until: now.adding(.seconds(1))))]
        write.audit = [AuditEntry(at: now, staffID: .init(7), action: "claimed", subject: "question:\(a.id)")]
        let claimed = write
        try await store.withSitting(.init(1)) { _ in ((), claimed) }
        #expect(try await store.claims(in: .init(1), now: now).map(\.question) == [a.id, b.id])
        #expect(try await store.claims(in: .init(1), now: now.adding(.seconds(2))) == [QuestionClaim(question: a.id, claim: claim(7, until: later))],
                "an expired claim is not live")
        #expect(try await store.claims(in: otherSitting, now: now).isEmpty)
        #expect(try await store.auditLog(limit: 5).map(\.action) == ["claimed"])

        // A renewal replaces the claim; an end removes it; both through commitHearing too.
        var renew = HearingWrite()
        renew.claims = [QuestionClaim(question: a.id, claim: claim(9, until: later.adding(.seconds(60))))]
        renew.claimsEnded = [b.id]
        try await store.commitHearing(renew)
        #expect(try await store.claims(in: .init(1), now: now) == [QuestionClaim(question: a.id, claim: claim(9, until: later.adding(.seconds(60))))])
        let now = now
        let read = try await store.withSitting(.init(1)) { reads in (try await reads.claims(on: [a.id, b.id, other.id], now: now), HearingWrite()) }
        #expect(read.map(\.question) == [a.id])
        let elsewhere = try await store.withSitting(otherSitting) { reads in (try await reads.claims(on: [a.id], now: now), HearingWrite()) }
        #expect(elsewhere.isEmpty, "another sitting's transaction does not see this sitting's claims")

        // A claim on an unknown question is refused, and nothing of its write is stored.
        var ghost = HearingWrite()
        ghost.claims = [QuestionClaim(question: .init(987_654), claim: claim(7, until: later))]
        ghost.claimsEnded = [a.id]
        ghost.audit = [AuditEntry(at: now, staffID: .init(7), action: "ghost", subject: "question")]
        let refused = ghost
        await #expect(throws: StoreError.self) { try await store.withSitting(.init(1)) { _ in ((), refused) } }
        #expect(try await store.claims(in: .init(1), now: now).map(\.question) == [a.id])
        #expect(try await store.auditLog(limit: 5).map(\.action) == ["claimed"])
    }

    func aBodyThatThrowsStoresNothing(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let (a, _, _, _) = try await room(store)
        let now = now
        await #expect(throws: Refused.self) {
            try await store.withSitting(.init(1)) { reads -> (value: Void, write: HearingWrite) in
                _ = try await reads.questions([a.id])
                throw Refused()
            }
        }
        // A write that fails half-way (its last question is unknown) stores none of its parts.
        var approved = a
        approved.state = .approved
        let ghost = Question(id: .init(987_654), sittingID: .init(1), participant: "p", text: "Ghost?", submittedAt: now)
        var write = HearingWrite()
        write.questions = [approved, ghost]
        write.votesAdded = [.init(question: a.id, participant: "v1")]
        write.claims = [QuestionClaim(question: a.id, claim: claim(7, until: now.adding(.seconds(60))))]
        write.audit = [AuditEntry(at: now, staffID: nil, action: "half", subject: "question")]
        write.moderation = [ModerationLogEntry(sittingID: .init(1), questionID: a.id, action: "approve", state: "approved", at: now)]
        let halfway = write
        await #expect(throws: StoreError.self) { try await store.withSitting(.init(1)) { _ in ((), halfway) } }
        #expect(try await store.questions(in: .init(1)).first == a, "the question, its votes: unchanged")
        #expect(try await store.claims(in: .init(1), now: now).isEmpty)
        #expect(try await store.auditLog(limit: 5).isEmpty)
        #expect(try await store.moderationLog(of: .init(1)).isEmpty)
        // The sitting's lock is free again after a failure.
        let after = try await store.withSitting(.init(1)) { reads in (try await reads.questions([a.id]).count, HearingWrite()) }
        #expect(after == 1)
    }

    /// Eight moderators claim one question at once, each deciding on what it read: exactly one wins, because the
    /// transactions on one sitting do not overlap.
    func racingClaimsOnOneSittingHaveOneWinner(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let (a, _, _, _) = try await room(store)
        let now = now
        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for staff in 1...8 {
                group.addTask {
                    try await store.withSitting(.init(1)) { reads in
                        var claims = ModerationClaims(stored: try await reads.claims(on: [a.id], now: now))
                        // Yield between the read and the decision: an overlapping transaction would read "free" too.
                        await Task.yield()
                        guard case .success(let claim) = claims.claim(a.id, by: .init(Int64(staff)), name: "S\(staff)", now: now) else {
                            return (false, HearingWrite())
                        }
                        var write = HearingWrite()
                        write.claims = [QuestionClaim(question: a.id, claim: claim)]
                        return (true, write)
                    }
                }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(winners == 1, "one claim wins")
        #expect(try await store.claims(in: .init(1), now: now).count == 1)
    }

    /// Votes decided on the stored votes of one question (as the service does): racing voters from one address
    /// never take the counted votes over the cap.
    func racingVotesKeepTheHeldVoteCap(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        var approved = try await room(store).a
        approved.state = .approved
        var approve = HearingWrite()
        approve.questions = [approved]
        try await store.commitHearing(approve)
        let a = approved
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<10 {
                group.addTask {
                    try await store.withSitting(.init(1)) { reads in
                        let context = try #require(try await reads.voteContext(on: a.id, participant: "v\(n)", address: "school"))
                        #expect(context.standing == .none)
                        await Task.yield()
                        let standing = try context.decide(on: true, hasAddress: true, votesPerAddress: 3)
                        var write = HearingWrite()
                        write.votesAdded = [.init(question: a.id, participant: "v\(n)", held: standing == .held, address: "school")]
                        return ((), write)
                    }
                }
            }
            try await group.waitForAll()
        }
        let stored = try #require(try await store.questions(in: .init(1)).first { $0.id == a.id })
        #expect(stored.voters.count == 3, "the cap holds whatever the race")
        #expect(stored.heldVoters.count == 7)
    }

    /// Every case of this part of the suite.
    public static let cases: [StoreConformance.Case] = [
        .init("SittingTransactionConformance.readsAreTheStoredStateBoundedToWhatIsNamed") {
            try await SittingTransactionConformance().readsAreTheStoredStateBoundedToWhatIsNamed($0)
        },
        .init("SittingTransactionConformance.theContextOfACommandIsWhatItsReadsGive") {
            try await SittingTransactionConformance().theContextOfACommandIsWhatItsReadsGive($0)
        },
        .init("SittingTransactionConformance.claimsAreStoredAndExpire") { try await SittingTransactionConformance().claimsAreStoredAndExpire($0) },
        .init("SittingTransactionConformance.aBodyThatThrowsStoresNothing") { try await SittingTransactionConformance().aBodyThatThrowsStoresNothing($0) },
        .init("SittingTransactionConformance.racingClaimsOnOneSittingHaveOneWinner") {
            try await SittingTransactionConformance().racingClaimsOnOneSittingHaveOneWinner($0)
        },
        .init("SittingTransactionConformance.racingVotesKeepTheHeldVoteCap") { try await SittingTransactionConformance().racingVotesKeepTheHeldVoteCap($0) },
    ]
}
