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
            ?? (write.votesAdded + write.votesRemoved).lazy.compactMap({ self.questionsByID[$0.question]?.sittingID }).first {
            await pause(sitting)
        }
        try checkWrite()
        for question in write.questions where questionsByID[question.id] == nil {
            throw StoreError(.notFound, "No question \(question.id).")
        }
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
