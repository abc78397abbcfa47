/// The questions of one sitting as a pure state machine: every action is checked against the question's state and
/// either applied whole or refused with a `QuestionError`, changing nothing. At most one question is on screen; putting
/// another on screen returns the previous one to the approved queue.
///
/// Votes from one address are capped per question: once an address (its tag, see `Question.voterAddresses`) has
/// `votesPerAddress` counted votes on a question, its further votes there are held, not counted, until a moderator
/// releases them. A school behind one address loses nothing (moderators see and can release its votes); a script
/// minting participants from one address adds at most the cap to the public count.
public struct QuestionBoard: Sendable, Equatable {
    public private(set) var questions: [Question.ID: Question] = [:]
    public private(set) var onScreen: Question.ID?
    /// Counted votes a question takes from one address before further votes from it are held.
    public var votesPerAddress: Int
    /// Counted votes per question and address tag (derived from the questions, kept so a vote costs no scan).
    private var countedByAddress: [Question.ID: [String: Int]] = [:]

    public init(votesPerAddress: Int = .max) {
        self.votesPerAddress = max(1, votesPerAddress)
    }

    /// Adds (or restores, when loading from the store) a question.
    public mutating func add(_ question: Question) {
        questions[question.id] = question
        if question.state == .onScreen { onScreen = question.id }
        recount(question)
    }

    /// Takes `question` as it now is (stored by an action decided elsewhere, on the stored state): replaces it and
    /// keeps the screen consistent (it is the question on screen exactly when its state says so).
    public mutating func adopt(_ question: Question) {
        questions[question.id] = question
        if question.state == .onScreen {
            onScreen = question.id
        } else if onScreen == question.id {
            onScreen = nil
        }
        recount(question)
    }

    /// Records a participant's vote on question `id` as it was decided and stored (`VoteContext.decide`): counted,
    /// held or none, from the address with tag `address`. Does nothing for an unknown question.
    public mutating func setVote(on id: Question.ID, participant: String, address: String?, to standing: VoteContext.Standing) {
        guard var question = questions[id] else { return }
        question.voters.remove(participant)
        question.heldVoters.remove(participant)
        question.voterAddresses[participant] = nil
        switch standing {
        case .none: break
        case .counted: question.voters.insert(participant)
        case .held: question.heldVoters.insert(participant)
        }
        if standing != .none, let address { question.voterAddresses[participant] = address }
        questions[id] = question
        recount(question)
    }

    /// Counted votes on question `id` from the address with tag `address`.
    public func countedVotes(on id: Question.ID, from address: String) -> Int {
        countedByAddress[id]?[address] ?? 0
    }

    private mutating func recount(_ question: Question) {
        var counts: [String: Int] = [:]
        for voter in question.voters {
            if let address = question.voterAddresses[voter] { counts[address, default: 0] += 1 }
        }
        countedByAddress[question.id] = counts.isEmpty ? nil : counts
    }

    public subscript(id: Question.ID) -> Question? { questions[id] }

    /// Applies `action` to question `id`, or throws and changes nothing.
    /// - Returns: the ids of every question the action changed (the target of a merge, the question a new one
    ///   replaced on screen), `id` first.
    @discardableResult
    public mutating func apply(_ action: QuestionAction, to id: Question.ID) throws(QuestionError) -> [Question.ID] {
        guard var question = questions[id] else { throw .notFound(id) }
        var changed = [id]
        func refuse(_ name: String) -> QuestionError { .notAllowed(action: name, state: question.state.label) }
        switch action {
        case .approve:
            guard question.state == .submitted else { throw refuse("approve") }
            question.state = .approved
        case .reject(let reasonCode):
            guard question.state == .submitted || question.state == .approved else { throw refuse("reject") }
            question.state = .rejected(reasonCode: reasonCode)
        case .edit(let text):
            guard question.state.isOpen else { throw refuse("edit") }
            guard !text.isEmpty else { throw .emptyText }
            if question.originalText == nil { question.originalText = question.text }
            question.text = text
        case .merge(let targetID):
            guard targetID != id else { throw .mergeIntoItself }
            guard question.state.isOpen, question.state != .onScreen else { throw refuse("merge") }
            guard var target = questions[targetID] else { throw .notFound(targetID) }
            guard target.state.isOpen else { throw .notAllowed(action: "merge into", state: target.state.label) }
            // Each voter counts once on the survivor, and the per-address cap holds there too: a duplicate's counted
            // votes count only while their address is under the cap on the survivor, the rest are held.
            var counts = countedByAddress[targetID] ?? [:]
            for voter in question.voters.sorted() where !target.voters.contains(voter) {
                let address = question.voterAddresses[voter]
                if let address { target.voterAddresses[voter] = address }
                if let address, counts[address, default: 0] >= votesPerAddress {
                    target.heldVoters.insert(voter)
                } else {
                    target.heldVoters.remove(voter)
                    target.voters.insert(voter)
                    if let address { counts[address, default: 0] += 1 }
                }
            }
            for voter in question.heldVoters where !target.voters.contains(voter) && !target.heldVoters.contains(voter) {
                target.heldVoters.insert(voter)
                if let address = question.voterAddresses[voter] { target.voterAddresses[voter] = address }
            }
            target.mergedFrom.append(id)
            question.voters = []
            question.heldVoters = []
            question.voterAddresses = [:]
            question.state = .merged(into: targetID)
            questions[targetID] = target
            countedByAddress[targetID] = counts.isEmpty ? nil : counts
            countedByAddress[id] = nil
            changed.append(targetID)
        case .tag(let tag):
            guard question.state.isOpen else { throw refuse("tag") }
            question.tag = tag
        case .setPriority(let priority):
            guard question.state.isOpen else { throw refuse("set the priority of") }
            question.priority = priority
        case .withdraw:
            guard question.state == .submitted || question.state == .approved else { throw refuse("withdraw") }
            question.state = .withdrawn
        case .putOnScreen:
            guard question.state == .approved else { throw refuse("put on screen") }
            if let previous = onScreen, previous != id, var shown = questions[previous], shown.state == .onScreen {
                shown.state = .approved
                questions[previous] = shown
                changed.append(previous)
            }
            question.state = .onScreen
            onScreen = id
        case .markAnswered(let at, let offset):
            guard question.state == .onScreen || question.state == .approved else { throw refuse("mark answered") }
            question.state = .answered(streamOffsetSeconds: offset)
            question.answeredAt = at
            if onScreen == id { onScreen = nil }
        case .vote(let participant, let address):
            guard question.state.isOpen else { throw refuse("vote") }
            guard !question.voters.contains(participant), !question.heldVoters.contains(participant) else { throw .alreadyVoted }
            if let address {
                question.voterAddresses[participant] = address
                if countedVotes(on: id, from: address) >= votesPerAddress {
                    question.heldVoters.insert(participant)
                } else {
                    question.voters.insert(participant)
                    countedByAddress[id, default: [:]][address, default: 0] += 1
                }
            } else {
                question.voters.insert(participant)
            }
        case .unvote(let participant):
            if question.voters.remove(participant) != nil {
                if let address = question.voterAddresses[participant], let count = countedByAddress[id]?[address] {
                    countedByAddress[id]?[address] = count > 1 ? count - 1 : nil
                }
            } else if question.heldVoters.remove(participant) == nil {
                throw .notVoted
            }
            question.voterAddresses[participant] = nil
        case .releaseHeldVotes:
            guard !question.heldVoters.isEmpty else { throw .noHeldVotes }
            question.voters.formUnion(question.heldVoters)
            question.heldVoters = []
            questions[id] = question
            recount(question)
            return changed
        }
        questions[id] = question
        return changed
    }

    /// Questions with held votes, by id, and how many each has.
    public var heldVotes: [(id: Question.ID, count: Int)] {
        questions.values.filter { !$0.heldVoters.isEmpty }.sorted { $0.id < $1.id }.map { ($0.id, $0.heldVoters.count) }
    }

    /// Takes the question on screen off it, back to the approved queue. Returns its id, or nil if none was shown.
    @discardableResult
    public mutating func clearScreen() -> Question.ID? {
        guard let id = onScreen else { return nil }
        onScreen = nil
        if var shown = questions[id], shown.state == .onScreen {
            shown.state = .approved
            questions[id] = shown
        }
        return id
    }

    /// The published questions (approved, on screen, answered): open ones by votes (then oldest first), answered last.
    public var published: [Question] {
        questions.values.filter(\.isPublished).sorted { a, b in
            let aAnswered = a.state.label == "answered", bAnswered = b.state.label == "answered"
            if aAnswered != bAnswered { return !aAnswered }
            if a.votes != b.votes { return a.votes > b.votes }
            return a.id < b.id
        }
    }

    /// How many questions are in each state, keyed by state label (every label present).
    public var counts: [(label: String, count: Int)] {
        var byLabel: [String: Int] = [:]
        for question in questions.values { byLabel[question.state.label, default: 0] += 1 }
        return QuestionState.labels.map { ($0, byLabel[$0] ?? 0) }
    }
}
