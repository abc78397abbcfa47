import HemicycleCore
import Testing

@Suite struct PetitionLifecycleTests {
    func petition(_ state: PetitionState) -> Petition {
        Petition(id: .init(1), action: "A", background: "B", additionalDetails: "", state: state, signatureCount: 0, creatorName: "C",
                 createdAt: Timestamp(millisecondsSince1970: 0), updatedAt: Timestamp(millisecondsSince1970: 0),
                 openedAt: nil, closedAt: nil, closingAt: nil, thresholds: [])
    }

    static let actions: [PetitionAction] = [
        .creatorConfirmed, .sponsorsReached, .publish(days: 182), .reject(PetitionRejection(code: "duplicate")), .hide, .flag, .close, .abandon,
    ]

    /// Every (state, action) pair: the allowed ones move to the documented state, the others are refused unchanged.
    @Test(arguments: PetitionState.allCases)
    func everyTransitionAndEveryRefusal(_ state: PetitionState) {
        let allowed: [String: PetitionState] = switch state {
        case .pending: ["creator_confirmed": .validated, "abandon": .abandoned]
        case .validated: ["sponsored": .sponsored, "abandon": .abandoned]
        case .sponsored: ["publish": .open, "reject": .rejected, "hide": .hidden, "flag": .flagged]
        case .flagged: ["publish": .open, "reject": .rejected, "hide": .hidden]
        case .open: ["reject": .rejected, "hide": .hidden, "close": .closed]
        case .closed, .rejected, .hidden, .abandoned: [:]
        }
        #expect(state.isFinal == allowed.isEmpty, "a final state is one that no action leaves")
        for action in Self.actions {
            var p = petition(state)
            let now = Timestamp(millisecondsSince1970: 86_400_000)
            let result = Result { () throws(PetitionTransitionError) in try p.apply(action, at: now) }
            if let target = allowed[action.name] {
                #expect((try? result.get()) != nil, "\(state) accepts \(action.name)")
                #expect(p.state == target)
                #expect(p.updatedAt == now)
            } else {
                #expect(result.failureValue == PetitionTransitionError(action: action.name, state: state), "\(state) refuses \(action.name)")
                #expect(p == petition(state), "a refused action changes nothing")
            }
        }
    }

    @Test func publishingStampsTheDeadlineAndRejectingKeepsTheReason() throws {
        var p = petition(.sponsored)
        let now = Timestamp(millisecondsSince1970: 1_000)
        try p.apply(.publish(days: 182), at: now)
        #expect(p.openedAt == now && p.closingAt == now.adding(days: 182))
        try p.apply(.reject(PetitionRejection(code: "libellous", details: "Names a private person.")), at: now)
        #expect(p.rejection?.code == "libellous" && p.rejectedAt == now)
        var q = petition(.validated)
        try q.apply(.sponsorsReached, at: now)
        #expect(q.moderationThresholdReachedAt == now)
    }

    /// Each final state is stamped when it is reached, and `endedAt` (where the anonymisation delay starts) is that
    /// stamp; a petition that can still move has none.
    @Test func finalStatesAreStampedAndEndedAtIsTheirStamp() throws {
        let t = Timestamp(millisecondsSince1970: 5_000)
        var closed = petition(.open), rejected = petition(.open), hidden = petition(.flagged), abandoned = petition(.validated)
        try closed.apply(.close, at: t)
        try rejected.apply(.reject(PetitionRejection(code: "duplicate")), at: t)
        try hidden.apply(.hide, at: t)
        try abandoned.apply(.abandon, at: t)
        #expect([closed.closedAt, rejected.rejectedAt, hidden.hiddenAt, abandoned.abandonedAt] == [t, t, t, t])
        #expect([closed, rejected, hidden, abandoned].map(\.endedAt) == [t, t, t, t])
        for state in PetitionState.allCases where !state.isFinal {
            #expect(petition(state).endedAt == nil, "\(state) has not ended")
        }
        #expect(!PetitionState.abandoned.acceptsSignatures && PetitionState.open.acceptsSignatures)
    }

    @Test func draftsAreValidatedAgainstTheLimits() {
        var limits = PetitionDraft.Limits()
        limits.action = 10
        let creator = SignatureRequest(name: "Ada", email: "ada@example.org")
        let long = PetitionDraft(action: "Far too long an action", background: "", additionalDetails: "<b>", creator: SignatureRequest(name: "", email: "x"))
        guard case .failure(let errors) = long.validated(limits: limits) else {
            Issue.record("must fail")
            return
        }
        #expect(Set(errors.entries.map(\.field)) == ["action", "background", "additional_details", "name", "email"])
        let good = PetitionDraft(action: " Fix it ", background: "Because.", additionalDetails: "", creator: creator)
        #expect((try? good.validated(limits: limits).get())?.action == "Fix it")
    }
}

extension Result {
    var failureValue: Failure? { if case .failure(let f) = self { f } else { nil } }
}
