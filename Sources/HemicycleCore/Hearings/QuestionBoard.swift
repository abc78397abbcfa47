/// The questions of one sitting as a pure state machine: every action is checked against the question's state and
/// either applied whole or refused with a `QuestionError`, changing nothing. At most one question is on screen; putting
/// another on screen returns the previous one to the approved queue.
public struct QuestionBoard: Sendable, Equatable {
    public private(set) var questions: [Question.ID: Question] = [:]
    public private(set) var onScreen: Question.ID?

    public init() {}

    public mutating func add(_ question: Question) {
        questions[question.id] = question
    }

    public subscript(id: Question.ID) -> Question? { questions[id] }

    /// Applies `action` to question `id`, or throws and changes nothing.
    public mutating func apply(_ action: QuestionAction, to id: Question.ID) throws(QuestionError) {
        guard var question = questions[id] else { throw .notFound(id) }
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
        case .withdraw:
            guard question.state == .submitted || question.state == .approved else { throw refuse("withdraw") }
            question.state = .withdrawn
        case .putOnScreen:
            guard question.state == .approved else { throw refuse("put on screen") }
            if let previous = onScreen, previous != id, var shown = questions[previous], shown.state == .onScreen {
                shown.state = .approved
                questions[previous] = shown
            }
            question.state = .onScreen
            onScreen = id
        case .markAnswered(let offset):
            guard question.state == .onScreen || question.state == .approved else { throw refuse("mark answered") }
            question.state = .answered(streamOffsetSeconds: offset)
            if onScreen == id { onScreen = nil }
        case .vote(let participant):
            guard question.state.isOpen else { throw refuse("vote") }
            guard question.voters.insert(participant).inserted else { throw .alreadyVoted }
        case .unvote(let participant):
            guard question.voters.remove(participant) != nil else { throw .notVoted }
        }
        questions[id] = question
    }
}
