/// The questions of one sitting as a pure state machine: every action is checked against the question's state and
/// either applied whole or refused with a `QuestionError`, changing nothing. At most one question is on screen; putting
/// another on screen returns the previous one to the approved queue.
public struct QuestionBoard: Sendable, Equatable {
    public private(set) var questions: [Question.ID: Question] = [:]
    public private(set) var onScreen: Question.ID?

    public init() {}

    /// Adds (or restores, when loading from the store) a question.
    public mutating func add(_ question: Question) {
        questions[question.id] = question
        if question.state == .onScreen { onScreen = question.id }
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
            target.voters.formUnion(question.voters)
            target.mergedFrom.append(id)
            question.voters = []
            question.state = .merged(into: targetID)
            questions[targetID] = target
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
        case .vote(let participant):
            guard question.state.isOpen else { throw refuse("vote") }
            guard question.voters.insert(participant).inserted else { throw .alreadyVoted }
        case .unvote(let participant):
            guard question.voters.remove(participant) != nil else { throw .notVoted }
        }
        questions[id] = question
        return changed
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
