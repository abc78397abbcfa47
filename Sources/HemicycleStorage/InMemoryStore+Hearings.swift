public import HemicycleCore

extension InMemoryStore {
    public func createSitting(_ sitting: Sitting, audit: AuditEntry?) async throws -> Sitting {
        try checkWrite()
        var created = sitting
        created.id = Sitting.ID(nextID())
        put(created)
        if let audit { auditEntries.append(audit) }
        return created
    }

    public func updateSitting(_ sitting: Sitting, audit: AuditEntry?) async throws {
        try checkWrite()
        guard try await self.sitting(sitting.id) != nil else { throw StoreError(.notFound, "No sitting \(sitting.id).") }
        put(sitting)
        if let audit { auditEntries.append(audit) }
    }

    public func questions(in sitting: Sitting.ID) async throws -> [Question] {
        questionsByID.values.filter { $0.sittingID == sitting }.sorted { $0.id < $1.id }
    }

    public func insertQuestion(_ question: Question, log: [ModerationLogEntry]) async throws -> Question {
        if let pause = hearingWritePause { await pause(question.sittingID) }
        try checkWrite()
        var stored = Question(
            id: Question.ID(nextID()), sittingID: question.sittingID, participant: question.participant, text: question.text,
            name: question.name, region: question.region, state: question.state, voters: question.voters, submittedAt: question.submittedAt
        )
        stored.heldVoters = question.heldVoters
        stored.voterAddresses = question.voterAddresses
        questionsByID[stored.id] = stored
        moderationEntries += log.map { var entry = $0; entry.questionID = stored.id; return entry }
        return stored
    }

    public func commitHearing(_ write: HearingWrite) async throws {
        if let pause = hearingWritePause,
           let sitting = write.sitting?.id ?? write.questions.first?.sittingID
            ?? ((write.votesAdded + write.votesRemoved).map(\.question) + write.claims.map(\.question) + write.claimsEnded)
                .lazy.compactMap({ self.questionsByID[$0]?.sittingID }).first {
            await pause(sitting)
        }
        try checkWrite()
        for question in write.questions.map(\.id) + write.claims.map(\.question) where questionsByID[question] == nil {
            throw StoreError(.notFound, "No question \(question).")
        }
        if let sitting = write.sitting, try await self.sitting(sitting.id) == nil { throw StoreError(.notFound, "No sitting \(sitting.id).") }
        for question in write.questions {
            var updated = question
            let stored = questionsByID[question.id]
            updated.voters = stored?.voters ?? []
            updated.heldVoters = stored?.heldVoters ?? []
            updated.voterAddresses = stored?.voterAddresses ?? [:]
            questionsByID[question.id] = updated
        }
        for vote in write.votesRemoved {
            questionsByID[vote.question]?.voters.remove(vote.participant)
            questionsByID[vote.question]?.heldVoters.remove(vote.participant)
            questionsByID[vote.question]?.voterAddresses[vote.participant] = nil
        }
        for vote in write.votesAdded {
            guard var question = questionsByID[vote.question] else { continue }
            if vote.held {
                question.voters.remove(vote.participant)
                question.heldVoters.insert(vote.participant)
            } else {
                question.heldVoters.remove(vote.participant)
                question.voters.insert(vote.participant)
            }
            question.voterAddresses[vote.participant] = vote.address
            questionsByID[vote.question] = question
        }
        moderationEntries += write.moderation
        auditEntries += write.audit
        if let sitting = write.sitting { put(sitting) }
        for question in write.claimsEnded { claimsByQuestion[question] = nil }
        for claim in write.claims { claimsByQuestion[claim.question] = claim }
    }

    public func withSitting<T: Sendable>(
        _ id: Sitting.ID, _ body: @Sendable (any SittingReads) async throws -> (value: T, write: HearingWrite)
    ) async throws -> T {
        await lockSitting(id)
        do {
            let (value, write) = try await body(InMemorySittingReads(store: self, sittingID: id))
            try await commitHearing(write)
            unlockSitting(id)
            return value
        } catch {
            unlockSitting(id)
            throw error
        }
    }

    private func lockSitting(_ id: Sitting.ID) async {
        guard sittingsLocked.contains(id) else {
            sittingsLocked.insert(id)
            return
        }
        await withCheckedContinuation { sittingWaiters[id, default: []].append($0) }
    }

    private func unlockSitting(_ id: Sitting.ID) {
        if var waiters = sittingWaiters[id], !waiters.isEmpty {
            // The lock passes straight to the next transaction: it stays in `sittingsLocked`.
            waiters.removeFirst().resume()
            sittingWaiters[id] = waiters.isEmpty ? nil : waiters
        } else {
            sittingsLocked.remove(id)
        }
    }

    public func claims(in sitting: Sitting.ID, now: Timestamp) async throws -> [QuestionClaim] {
        claimsByQuestion.values.filter { questionsByID[$0.question]?.sittingID == sitting && $0.claim.until > now }.sorted { $0.question < $1.question }
    }

    func storedQuestions(_ ids: Set<Question.ID>, of sitting: Sitting.ID) -> [Question] {
        ids.compactMap { questionsByID[$0] }.filter { $0.sittingID == sitting }.sorted { $0.id < $1.id }
    }

    func storedVoteContext(on id: Question.ID, participant: String, address: String?, of sitting: Sitting.ID) -> VoteContext? {
        guard var question = questionsByID[id], question.sittingID == sitting else { return nil }
        let standing: VoteContext.Standing =
            question.voters.contains(participant) ? .counted : question.heldVoters.contains(participant) ? .held : .none
        let counted = address.map { address in question.voters.filter { question.voterAddresses[$0] == address }.count } ?? 0
        // As the SQLite store reads it: without the other voters.
        question.voters = []
        question.heldVoters = []
        question.voterAddresses = [:]
        return VoteContext(question: question, standing: standing, countedFromAddress: counted)
    }

    func storedQuestionOnScreen(of sitting: Sitting.ID) -> Question? {
        questionsByID.values.first { $0.sittingID == sitting && $0.state == .onScreen }
    }

    func storedClaims(on questions: Set<Question.ID>, of sitting: Sitting.ID, now: Timestamp) -> [QuestionClaim] {
        questions.compactMap { claimsByQuestion[$0] }.filter { questionsByID[$0.question]?.sittingID == sitting && $0.claim.until > now }
            .sorted { $0.question < $1.question }
    }

    public func moderationLog(of sitting: Sitting.ID) async throws -> [ModerationLogEntry] {
        moderationEntries.filter { $0.sittingID == sitting }
    }

    public func addNote(_ note: BackstageNote, audit: AuditEntry?) async throws -> BackstageNote {
        try checkWrite()
        var stored = note
        stored.id = BackstageNote.ID(nextID())
        notesByID[stored.id] = stored
        if let audit { auditEntries.append(audit) }
        return stored
    }

    public func updateNote(_ note: BackstageNote, audit: AuditEntry?) async throws {
        try checkWrite()
        guard notesByID[note.id] != nil else { throw StoreError(.notFound, "No note \(note.id).") }
        notesByID[note.id] = note
        if let audit { auditEntries.append(audit) }
    }

    public func notes(in sitting: Sitting.ID) async throws -> [BackstageNote] {
        notesByID.values.filter { $0.sittingID == sitting }.sorted { $0.id < $1.id }
    }
}
