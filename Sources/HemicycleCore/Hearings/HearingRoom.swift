/// The pure core of a sitting's actions: the stored state an action reads (its sitting, the questions it names, their
/// claims, a vote's `VoteContext`), and `handle`, which checks who acts and what they ask against that state and
/// either returns the effects to carry out or throws a `HearingError`, changing nothing.
///
/// The shell (HemicycleApp's `HearingService`) builds a room inside the sitting's store transaction from what the
/// command reads (`HearingCommand.questions`, `readsScreen`, `claimedQuestion`), stores the effects in that
/// transaction, then publishes them. Two actions on one sitting never see the same state: the store's per-sitting
/// lock orders them.
public struct HearingRoom: Sendable {
    public private(set) var sitting: Sitting
    public private(set) var board: QuestionBoard
    public private(set) var claims: ModerationClaims
    public private(set) var vote: VoteContext?
    /// The codes of the rejection reasons the server knows.
    let reasonCodes: Set<String>

    /// - Parameters:
    ///   - questions: the stored questions the command reads (and the one on screen, when it reads the screen).
    ///   - votesPerAddress: the sitting's effective cap of counted votes per question and address.
    public init(
        sitting: Sitting, questions: [Question], claims: [QuestionClaim] = [], vote: VoteContext? = nil, votesPerAddress: Int,
        reasonCodes: Set<String>
    ) {
        self.sitting = sitting
        board = QuestionBoard(votesPerAddress: votesPerAddress)
        for question in questions { board.add(question) }
        self.claims = ModerationClaims(stored: claims)
        self.vote = vote
        self.reasonCodes = reasonCodes
    }

    /// Decides `command` by `actor` at `now`: the effects to store and publish, or a refusal that changes nothing.
    public mutating func handle(_ command: HearingCommand, by actor: HearingActor, at now: Timestamp) throws(HearingError) -> [HearingEffect] {
        switch command {
        case .withdraw(let id):
            guard case .participant(let participant) = actor, board[id]?.participant == participant else {
                throw HearingError.forbidden("Only the participant who asked this question can withdraw it.")
            }
            return try apply(.withdraw, to: id, staff: nil, logAction: "withdraw", now: now)

        case .moderate(let id, let action):
            guard let staff = actor.staff, staff.canModerate(sitting.id) else { throw HearingError.forbidden("You are not a moderator of this sitting.") }
            try validate(action)
            if case .failure(let conflict) = claims.check(id, by: staff.id, now: now) {
                throw HearingError(
                    .conflict, "claimed_by_other", "\(conflict.holder.staffName) is working on this question; wait until they finish or their claim ends."
                )
            }
            return try apply(action, to: id, staff: staff, logAction: action.name, now: now)

        case .putOnScreen(let id):
            guard let staff = actor.staff, staff.canChair(sitting.id) else {
                throw HearingError.forbidden("Only the chair of this sitting can choose the question on screen.")
            }
            guard sitting.state != .ended else { throw HearingError(.conflict, "sitting_not_live", "This sitting has ended; nothing more goes on screen.") }
            // The screen shows the sitting's questions once it is live: the chair starts it first.
            guard sitting.state != .scheduled else {
                throw HearingError(.conflict, "sitting_not_live", "This sitting has not started: start it before putting a question on screen.")
            }
            guard board[id] != nil else { throw HearingError.notFound("This question") }
            var effects = try apply(.putOnScreen, to: id, staff: staff, logAction: "on_screen", now: now)
            effects.append(.screenChanged(board[id]))
            return effects

        case .clearScreen:
            guard let staff = actor.staff, staff.canChair(sitting.id) else {
                throw HearingError.forbidden("Only the chair of this sitting can choose the question on screen.")
            }
            let before = board
            guard let cleared = board.clearScreen(), let question = board[cleared] else { return [] }
            return [
                .questionChanged(question, wasPublished: before[cleared]?.isPublished == true),
                .audited(action: "screen_cleared", subject: "question:\(cleared)", entry: nil),
                .screenChanged(nil),
            ]

        case .markAnswered(let id):
            guard let staff = actor.staff, staff.canChair(sitting.id) else {
                throw HearingError.forbidden("Only the chair of this sitting can mark questions answered.")
            }
            let wasOnScreen = board.onScreen == id
            var effects = try apply(
                .markAnswered(at: now, streamOffsetSeconds: sitting.streamOffset(at: now)), to: id, staff: staff, logAction: "answered", now: now
            )
            if wasOnScreen { effects.append(.screenChanged(nil)) }
            return effects

        case .claim(let id):
            let staff = try claimer(actor)
            switch claims.claim(id, by: staff.id, name: staff.name, now: now) {
            case .failure(let conflict):
                throw HearingError(.conflict, "claimed_by_other", "\(conflict.holder.staffName) is working on this question.")
            case .success(let claim):
                return [.claimed(QuestionClaim(question: id, claim: claim))]
            }

        case .release(let id):
            let staff = try claimer(actor)
            if claims.release(id, by: staff.id, now: now) { return [.claimEnded(id)] }
            if let holder = claims.claim(on: id, now: now) {
                throw HearingError(.conflict, "claimed_by_other", "\(holder.staffName) holds this claim; only they can release it.")
            }
            return []

        case .vote(let id, let on, let address):
            guard case .participant(let participant) = actor else { throw HearingError.forbidden("Only participants vote.") }
            // Only published questions can be seen, so only they take votes.
            guard let context = vote, context.question.id == id, context.question.isPublished else { throw HearingError.notFound("This question") }
            guard sitting.state != .ended else { throw HearingError(.conflict, "sitting_not_live", "This sitting has ended; votes are closed.") }
            let standing: VoteContext.Standing
            do throws(QuestionError) {
                standing = try context.decide(on: on, hasAddress: true, votesPerAddress: board.votesPerAddress)
            } catch {
                throw HearingError(error)
            }
            vote?.standing = standing
            return [.voteCast(question: id, participant: participant, address: address, standing: standing, previous: context.standing)]

        case .setState(let target):
            guard let staff = actor.staff, staff.canChair(sitting.id) else { throw HearingError.forbidden("Only the chair of this sitting can start or end it.") }
            var changed = sitting
            do {
                try changed.transition(to: target, at: now)
            } catch {
                throw HearingError(.conflict, "sitting_state_conflict", "A \(sitting.state.rawValue) sitting cannot become \(target.rawValue).")
            }
            sitting = changed
            return [.sittingChanged(changed), .audited(action: "sitting_\(target.rawValue)", subject: "sitting:\(sitting.id)", entry: nil)]
        }
    }

    /// Claims are the moderators' soft locks: a chair reads the queue but does not claim (a chair's claim would block
    /// the moderators while the chair only looks).
    private func claimer(_ actor: HearingActor) throws(HearingError) -> StaffMember {
        guard let staff = actor.staff else { throw HearingError.forbidden("You are not a moderator of this sitting.") }
        guard !staff.canModerate(sitting.id) else { return staff }
        if staff.canChair(sitting.id) {
            throw HearingError(.forbidden, "chair_cannot_claim", "Chairs read the queue but do not claim questions: claims are for the sitting's moderators.")
        }
        throw HearingError.forbidden("You are not a moderator of this sitting.")
    }

    /// A moderator's input, checked before the question's state.
    private func validate(_ action: QuestionAction) throws(HearingError) {
        switch action {
        case .reject(let code) where !reasonCodes.contains(code):
            throw HearingError.invalid("reason", "Unknown reason \(code); see /api/v1/reject-reasons.")
        case .tag(let tag?) where !sitting.isKnownTag(tag):
            throw HearingError.invalid("tag", "\(tag) is neither an agenda item nor a witness of this sitting.")
        case .setPriority(let priority) where !(-100...100).contains(priority):
            throw HearingError.invalid("priority", "The priority must be between -100 and 100.")
        case .edit(let text):
            if case .failure(let message) = QuestionText.validate(text, maxLength: sitting.settings.maxQuestionLength) {
                throw HearingError.invalid("text", message.text)
            }
        case .merge(let target) where board[target] == nil:
            throw HearingError.invalid("into", "Question \(target) is not in this sitting.")
        default: break
        }
    }

    /// Applies `action` to the board: the changed questions, the vote rows a merge or a release moves, the public
    /// log's decision, the staff audit entry and the end of the actor's claim.
    private mutating func apply(
        _ action: QuestionAction, to id: Question.ID, staff: StaffMember?, logAction: String, now: Timestamp
    ) throws(HearingError) -> [HearingEffect] {
        let before = board
        let changed: [Question.ID]
        do throws(QuestionError) {
            changed = try board.apply(action, to: id)
        } catch {
            throw HearingError(error)
        }
        guard let question = board[id] else { throw HearingError.notFound("This question") }
        var effects: [HearingEffect] = changed.compactMap { changedID in
            board[changedID].map { .questionChanged($0, wasPublished: before[changedID]?.isPublished == true) }
        }
        switch action {
        case .merge, .releaseHeldVotes:
            var added: [QuestionVote] = [], removed: [QuestionVote] = []
            for changedID in changed {
                let rows = Self.voteRows(before: before[changedID], after: board[changedID])
                added += rows.added
                removed += rows.removed
            }
            effects.append(.votesStored(added: added, removed: removed))
            effects.append(.votesMoved)
        default: break
        }
        var reason: String?
        if case .rejected(let code) = question.state { reason = code }
        var mergedInto: Question.ID?
        if case .merged(let target) = question.state { mergedInto = target }
        let entry = ModerationLogEntry(
            sittingID: sitting.id, questionID: id, action: logAction, state: question.state.label, reasonCode: reason, mergedInto: mergedInto, at: now
        )
        // Releasing held votes is the moderators' bookkeeping, in the audit log: the public sees the count move.
        let isDecision = logAction != QuestionAction.releaseHeldVotes.name && (!["edit", "tag", "priority"].contains(logAction) || question.isPublished)
        if isDecision { effects.append(.logged(entry)) }
        if let staff {
            effects.append(.audited(action: "question_\(logAction)", subject: "question:\(id)", entry: entry))
            // Acting on a question ends the actor's claim on it.
            if claims.release(id, by: staff.id, now: now) { effects.append(.claimEnded(id)) }
        }
        return effects
    }

    /// The vote rows that turn `before` into `after` (for actions that move many votes at once: a merge, a release).
    public static func voteRows(before: Question?, after: Question?) -> (added: [QuestionVote], removed: [QuestionVote]) {
        let id = after?.id ?? before?.id
        guard let id else { return ([], []) }
        let old = (before?.voters ?? []).union(before?.heldVoters ?? [])
        let new = (after?.voters ?? []).union(after?.heldVoters ?? [])
        let removed = old.subtracting(new).sorted().map { QuestionVote(question: id, participant: $0) }
        var added: [QuestionVote] = []
        for participant in new.sorted() {
            let held = after?.heldVoters.contains(participant) == true
            let address = after?.voterAddresses[participant]
            let unchanged = old.contains(participant) && (before?.heldVoters.contains(participant) == true) == held
                && before?.voterAddresses[participant] == address
            if !unchanged { added.append(QuestionVote(question: id, participant: participant, held: held, address: address)) }
        }
        return (added, removed)
    }
}
