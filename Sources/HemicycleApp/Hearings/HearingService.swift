import Foundation
import HTTPTypes
import HemicycleCore
import HemicycleHub
import HemicycleStorage
import Logging

/// Live hearings: owns every sitting's questions in memory (`HearingRoom`), checks each action against the pure
/// state machines (`QuestionBoard`, `ModerationClaims`, `RateLimiter`), stores it, then publishes it on the sitting's
/// topics. Actions are decided one at a time (`AsyncGate` across the store write), so of two conflicting actions the
/// first wins and the second is refused with `question_state_conflict`. A failed store write changes nothing.
///
/// Votes from one address beyond a question's cap (`HearingSettings.votesPerAddress`) are held: stored, not counted,
/// shown to the sitting's moderators (`held_votes` on the moderation topic), who can release them.
///
/// Errors are `APIError`s: this is the HTTP API's service and its messages are the API's.
actor HearingService {
    let store: any HemicycleStore
    let hub: any LiveBroker
    let reasons: [RejectionReason]
    /// The language of public texts on the live topics (the parliament's first language).
    let language: String
    let logger: Logger
    private let clock: any WallClock
    /// The cap of counted votes per question and address for sittings that set none.
    let defaultVotesPerAddress: Int
    /// The opaque tag a vote's address is stored under (a keyed hash of its `AddressKey`: the cap needs to tell
    /// addresses apart, nobody needs to read them).
    private let addressTag: @Sendable (AddressKey) -> String
    private var rooms: [Sitting.ID: HearingRoom] = [:]
    private var sittingOfQuestion: [Question.ID: Sitting.ID] = [:]
    private var sittingOfNote: [BackstageNote.ID: Sitting.ID] = [:]
    private let gate = AsyncGate()

    init(
        store: any HemicycleStore, hub: any LiveBroker, reasons: [RejectionReason], language: String, logger: Logger,
        defaultVotesPerAddress: Int = HearingSettings.defaultVotesPerAddress,
        addressTag: @escaping @Sendable (AddressKey) -> String = { $0.value },
        clock: any WallClock
    ) {
        self.store = store
        self.defaultVotesPerAddress = defaultVotesPerAddress
        self.addressTag = addressTag
        self.hub = hub
        self.reasons = reasons
        self.language = language
        self.logger = logger
        self.clock = clock
    }

    // MARK: - Loading

    /// Loads every sitting and declares its two topics. Call once at start.
    func loadAll() async throws {
        for sitting in try await store.sittings() { try await load(sitting) }
    }

    private func load(_ sitting: Sitting) async throws {
        var room = HearingRoom(sitting: sitting, defaultVotesPerAddress: defaultVotesPerAddress)
        for question in try await store.questions(in: sitting.id) {
            room.board.add(question)
            sittingOfQuestion[question.id] = sitting.id
        }
        room.notes = try await store.notes(in: sitting.id)
        for note in room.notes { sittingOfNote[note.id] = sitting.id }
        rooms[sitting.id] = room
        await hub.declare(sitting.topic, snapshot: publicSnapshot(room), tracksPresence: true)
        await hub.declare(sitting.moderationTopic, snapshot: staffSnapshot(room))
    }

    /// Reads a sitting's room again from the store, without publishing: another node changed it (the cluster broker
    /// has already published that node's events). A sitting new to this node is loaded; an unreadable one is kept as
    /// it was (the next change reads it again).
    func reload(_ id: Sitting.ID) async {
        do {
            try await serially {
                guard let sitting = try await store.sitting(id) else { return }
                var room = HearingRoom(sitting: sitting, defaultVotesPerAddress: defaultVotesPerAddress)
                // What only this node knows stays: its claims, its rate limits, the staff seen on its pages.
                if let kept = rooms[id] {
                    room.claims = kept.claims
                    room.presence = kept.presence
                    room.questionLimits = kept.questionLimits
                    room.voteLimits = kept.voteLimits
                    room.addressQuestionLimits = kept.addressQuestionLimits
                    room.addressVoteLimits = kept.addressVoteLimits
                }
                for question in try await store.questions(in: sitting.id) {
                    room.board.add(question)
                    sittingOfQuestion[question.id] = sitting.id
                }
                room.notes = try await store.notes(in: sitting.id)
                for note in room.notes { sittingOfNote[note.id] = sitting.id }
                rooms[sitting.id] = room
            }
        } catch {
            logger.warning("could not read a sitting changed by another node", metadata: ["sitting": "\(id)", "error": "\(error)"])
        }
    }

    /// A sitting's public and staff snapshots as this node holds them (the cluster broker's resync after a gap).
    func snapshots(of id: Sitting.ID) -> (public: JSONValue, staff: JSONValue)? {
        rooms[id].map { (publicSnapshot($0), staffSnapshot($0)) }
    }

    /// Runs `body` alone among this service's actions.
    private func serially<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await gate.acquire()
        do {
            let value = try await body()
            await gate.release()
            return value
        } catch {
            await gate.release()
            throw error
        }
    }

    // MARK: - Reads

    func sitting(_ id: Sitting.ID) throws -> HearingRoom {
        guard let room = rooms[id] else { throw APIError.notFound("This sitting") }
        return room
    }

    func allRooms() -> [HearingRoom] {
        rooms.values.sorted { ($0.sitting.scheduledStart, $0.sitting.id) < ($1.sitting.scheduledStart, $1.sitting.id) }
    }

    func room(ofQuestion id: Question.ID) throws -> HearingRoom {
        guard let sittingID = sittingOfQuestion[id], let room = rooms[sittingID] else { throw APIError.notFound("This question") }
        return room
    }

    func claim(on question: Question.ID) -> ModerationClaims.Claim? {
        guard let sittingID = sittingOfQuestion[question] else { return nil }
        return rooms[sittingID]?.claims.claim(on: question, now: clock())
    }

    // MARK: - Sittings

    func createSitting(_ draft: Sitting, by staff: StaffMember) async throws -> HearingRoom {
        guard staff.canSetUpSittings else { throw APIError.forbidden("Only clerks and admins can create sittings.") }
        return try await serially {
            let now = clock()
            let created = try await store.createSitting(draft, audit: AuditEntry(at: now, staffID: staff.id, action: "sitting_created", subject: "sitting"))
            try await load(created)
            return try sitting(created.id)
        }
    }

    func updateSitting(_ id: Sitting.ID, by staff: StaffMember, _ change: @Sendable (inout Sitting) throws -> Void) async throws -> HearingRoom {
        guard staff.canSetUpSittings else { throw APIError.forbidden("Only clerks and admins can edit sittings.") }
        return try await serially {
            var room = try sitting(id)
            var updated = room.sitting
            try change(&updated)
            let settingsChanged = updated.settings != room.sitting.settings
            try await store.updateSitting(updated, audit: AuditEntry(at: clock(), staffID: staff.id, action: "sitting_updated", subject: "sitting:\(id)"))
            room.sitting = updated
            if settingsChanged {
                let fresh = HearingRoom(sitting: updated, defaultVotesPerAddress: defaultVotesPerAddress)
                room.board.votesPerAddress = fresh.board.votesPerAddress
                room.questionLimits = fresh.questionLimits
                room.voteLimits = fresh.voteLimits
                room.addressQuestionLimits = fresh.addressQuestionLimits
                room.addressVoteLimits = fresh.addressVoteLimits
            }
            rooms[id] = room
            await publishSitting(room)
            return room
        }
    }

    /// The chair starts (`live`) or ends a sitting.
    func setState(_ id: Sitting.ID, to target: SittingState, by staff: StaffMember) async throws -> HearingRoom {
        try await serially {
            var room = try sitting(id)
            guard staff.canChair(id) else { throw APIError.forbidden("Only the chair of this sitting can start or end it.") }
            let now = clock()
            do {
                try room.sitting.transition(to: target, at: now)
            } catch let error as SittingTransitionError {
                throw APIError(.conflict, "sitting_state_conflict", "A \(error.from.rawValue) sitting cannot become \(error.to.rawValue).")
            }
            try await store.updateSitting(room.sitting, audit: AuditEntry(at: now, staffID: staff.id, action: "sitting_\(target.rawValue)", subject: "sitting:\(id)"))
            rooms[id] = room
            await publishSitting(room)
            return room
        }
    }

    private func publishSitting(_ room: HearingRoom) async {
        let s = room.sitting
        let data: JSONValue = .object([
            ("state", .string(s.state.rawValue)), ("stream_started_at", HearingJSON.time(s.streamStartedAt)), ("ended_at", HearingJSON.time(s.endedAt)),
        ])
        await hub.publish(s.topic, event: "sitting", data: data, delivery: .reliable, snapshot: publicSnapshot(room))
    }

    // MARK: - Participants

    /// Adds a question. Text, name and region are validated here against the sitting's settings.
    func ask(sitting id: Sitting.ID, participant: String, address: String, text: String, name: String?, region: String?) async throws -> Question {
        try await serially {
            var room = try sitting(id)
            let settings = room.sitting.settings
            var errors = FieldErrors()
            var cleanText = "", cleanName: String?, cleanRegion: String?
            switch QuestionText.validate(text, maxLength: settings.maxQuestionLength) {
            case .success(let t): cleanText = t
            case .failure(let m): errors["text"] = m.text
            }
            switch QuestionText.validate(name ?? "", maxLength: QuestionText.maxNameLength, required: !settings.allowAnonymous) {
            case .success(let n): cleanName = n.isEmpty ? nil : n
            case .failure(let m): errors["name"] = settings.allowAnonymous ? m.text : "This sitting does not take anonymous questions: give a name. " + m.text
            }
            switch QuestionText.validate(region ?? "", maxLength: QuestionText.maxRegionLength, required: false) {
            case .success(let r): cleanRegion = r.isEmpty ? nil : r
            case .failure(let m): errors["region"] = m.text
            }
            guard errors.isEmpty else { throw APIError(.unprocessableContent, "invalid_input", "The question cannot be sent as it is.", fields: errors) }
            guard room.sitting.state != .ended else { throw APIError(.conflict, "sitting_not_live", "This sitting has ended; it takes no more questions.") }
            let now = clock()
            if case .failure(let wait) = room.questionLimits.check(participant, now: now) {
                throw APIError.rateLimited("You can ask \(settings.questionsPerMinute) questions a minute. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
            }
            if case .failure(let wait) = room.addressQuestionLimits.check(AddressKey(address), now: now) {
                throw APIError.rateLimited("Too many questions from your network. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
            }
            let post = settings.moderation == .post
            let draft = Question(
                id: Question.ID(1), sittingID: id, participant: participant, text: cleanText, name: cleanName, region: cleanRegion,
                state: post ? .approved : .submitted, submittedAt: now
            )
            let log = post ? [ModerationLogEntry(sittingID: id, questionID: draft.id, action: "published", state: "approved", at: now)] : []
            let stored = try await store.insertQuestion(draft, log: log)
            room.questionLimits.record(participant, now: now)
            room.addressQuestionLimits.record(AddressKey(address), now: now)
            room.board.add(stored)
            sittingOfQuestion[stored.id] = id
            rooms[id] = room
            await published(room, changed: [stored.id], wasPublished: [], log: log.map { var e = $0; e.questionID = stored.id; return e })
            return stored
        }
    }

    /// The author withdraws their own question.
    func withdraw(_ questionID: Question.ID, participant: String) async throws -> Question {
        try await serially {
            var room = try room(ofQuestion: questionID)
            guard room.board[questionID]?.participant == participant else {
                throw APIError.forbidden("Only the participant who asked this question can withdraw it.")
            }
            return try await apply(.withdraw, to: questionID, in: &room, staff: nil, logAction: "withdraw")
        }
    }

    /// A participant votes (or withdraws their vote). Returns the question and whether the vote is held (over the
    /// per-address cap: stored, not counted, shown to moderators).
    func vote(_ questionID: Question.ID, participant: String, address: String, on: Bool) async throws -> (question: Question, held: Bool) {
        try await serially {
            var room = try room(ofQuestion: questionID)
            let now = clock()
            if on {
                if case .failure(let wait) = room.voteLimits.check(participant, now: now) {
                    throw APIError.rateLimited("Too many votes at once. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
                }
                if case .failure(let wait) = room.addressVoteLimits.check(AddressKey(address), now: now) {
                    throw APIError.rateLimited("Too many votes from your network. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
                }
            }
            // Only published questions can be seen, so only they take votes.
            guard room.board[questionID]?.isPublished == true else { throw APIError.notFound("This question") }
            guard room.sitting.state != .ended else { throw APIError(.conflict, "sitting_not_live", "This sitting has ended; votes are closed.") }
            var board = room.board
            let tag = addressTag(AddressKey(address))
            let wasHeld = room.board[questionID]?.heldVoters.contains(participant) == true
            try attempt(on ? .vote(participant: participant, address: tag) : .unvote(participant: participant), on: questionID, in: &board)
            guard let question = board[questionID] else { throw APIError.notFound("This question") }
            let held = on && question.heldVoters.contains(participant)
            var write = HearingWrite()
            if on {
                write.votesAdded = [HearingWrite.Vote(question: questionID, participant: participant, held: held, address: tag)]
            } else {
                write.votesRemoved = [HearingWrite.Vote(question: questionID, participant: participant)]
            }
            try await store.commitHearing(write)
            if on {
                room.voteLimits.record(participant, now: now)
                room.addressVoteLimits.record(AddressKey(address), now: now)
            }
            room.board = board
            rooms[room.sitting.id] = room
            if held || wasHeld {
                // Only the moderators' view changes: the public count did not move.
                await publishHeldVotes(room)
            } else if question.isPublished {
                await hub.publish(room.sitting.topic, event: "votes", data: .object([("votes", HearingJSON.votes(board))]), delivery: .conflated)
            }
            return (question, held)
        }
    }

    // MARK: - Staff

    /// A moderator's action (approve, reject, edit, merge, tag, priority).
    func moderate(_ questionID: Question.ID, action: QuestionAction, by staff: StaffMember) async throws -> Question {
        try await serially {
            var room = try room(ofQuestion: questionID)
            guard staff.canModerate(room.sitting.id) else { throw APIError.forbidden("You are not a moderator of this sitting.") }
            if case .reject(let code) = action, !reasons.contains(where: { $0.code == code }) {
                throw APIError.invalid("reason", "Unknown reason \(code); see /api/v1/reject-reasons.")
            }
            if case .tag(let tag?) = action, !room.sitting.isKnownTag(tag) {
                throw APIError.invalid("tag", "\(tag) is neither an agenda item nor a witness of this sitting.")
            }
            if case .setPriority(let p) = action, !(-100...100).contains(p) {
                throw APIError.invalid("priority", "The priority must be between -100 and 100.")
            }
            if case .edit(let text) = action {
                if case .failure(let m) = QuestionText.validate(text, maxLength: room.sitting.settings.maxQuestionLength) {
                    throw APIError.invalid("text", m.text)
                }
            }
            if case .merge(let target) = action, sittingOfQuestion[target] != room.sitting.id {
                throw APIError.invalid("into", "Question \(target) is not in this sitting.")
            }
            try checkClaim(questionID, room: room, staff: staff)
            return try await apply(action, to: questionID, in: &room, staff: staff, logAction: action.name)
        }
    }

    /// The chair puts a question on screen, or clears the screen (`question` nil).
    func putOnScreen(sitting id: Sitting.ID, question questionID: Question.ID?, by staff: StaffMember) async throws -> Question? {
        try await serially {
            var room = try sitting(id)
            guard staff.canChair(id) else { throw APIError.forbidden("Only the chair of this sitting can choose the question on screen.") }
            if questionID != nil, room.sitting.state == .ended {
                throw APIError(.conflict, "sitting_not_live", "This sitting has ended; nothing more goes on screen.")
            }
            // The screen shows the sitting's questions once it is live: the chair starts it first.
            if questionID != nil, room.sitting.state == .scheduled {
                throw APIError(.conflict, "sitting_not_live", "This sitting has not started: start it before putting a question on screen.")
            }
            guard let questionID else {
                guard let cleared = room.board.onScreen, var question = room.board[cleared] else { return nil }
                question.state = .approved
                var write = HearingWrite()
                write.questions = [question]
                write.audit = [AuditEntry(at: clock(), staffID: staff.id, action: "screen_cleared", subject: "question:\(cleared)")]
                try await store.commitHearing(write)
                room.board.clearScreen()
                rooms[id] = room
                await published(room, changed: [cleared], wasPublished: [cleared], log: [])
                await hub.publish(room.sitting.topic, event: "on_screen", data: .object([("question", .null)]), delivery: .reliable, snapshotPatch: .object([]))
                return nil
            }
            guard sittingOfQuestion[questionID] == id else { throw APIError.notFound("This question") }
            let question = try await apply(.putOnScreen, to: questionID, in: &room, staff: staff, logAction: "on_screen")
            await hub.publish(
                room.sitting.topic, event: "on_screen", data: .object([("question", publicJSON(question))]), delivery: .reliable, snapshotPatch: .object([])
            )
            return question
        }
    }

    /// The chair marks a question answered, stamped with the time since the stream started.
    func markAnswered(_ questionID: Question.ID, by staff: StaffMember) async throws -> Question {
        try await serially {
            var room = try room(ofQuestion: questionID)
            guard staff.canChair(room.sitting.id) else { throw APIError.forbidden("Only the chair of this sitting can mark questions answered.") }
            let now = clock()
            let wasOnScreen = room.board.onScreen == questionID
            let question = try await apply(
                .markAnswered(at: now, streamOffsetSeconds: room.sitting.streamOffset(at: now)), to: questionID, in: &room, staff: staff, logAction: "answered"
            )
            if wasOnScreen {
                await hub.publish(room.sitting.topic, event: "on_screen", data: .object([("question", .null)]), delivery: .reliable, snapshotPatch: .object([]))
            }
            return question
        }
    }

    func claim(_ questionID: Question.ID, by staff: StaffMember) async throws -> ModerationClaims.Claim {
        try await serially {
            var room = try room(ofQuestion: questionID)
            try requireClaimer(staff, room)
            switch room.claims.claim(questionID, by: staff.id, name: staff.name, now: clock()) {
            case .failure(let conflict):
                throw APIError(.conflict, "claimed_by_other", "\(conflict.holder.staffName) is working on this question.")
            case .success(let claim):
                rooms[room.sitting.id] = room
                await publishClaim(room, questionID, claim)
                return claim
            }
        }
    }

    func release(_ questionID: Question.ID, by staff: StaffMember) async throws {
        try await serially {
            var room = try room(ofQuestion: questionID)
            try requireClaimer(staff, room)
            if room.claims.release(questionID, by: staff.id, now: clock()) {
                rooms[room.sitting.id] = room
                await publishClaim(room, questionID, nil)
            } else if let holder = room.claims.claim(on: questionID, now: clock()) {
                throw APIError(.conflict, "claimed_by_other", "\(holder.staffName) holds this claim; only they can release it.")
            }
        }
    }

    /// Claims are the moderators' soft locks: a chair reads the queue but does not claim (a chair's claim would block
    /// the moderators while the chair only looks).
    private func requireClaimer(_ staff: StaffMember, _ room: HearingRoom) throws {
        guard !staff.canModerate(room.sitting.id) else { return }
        if staff.canChair(room.sitting.id) {
            throw APIError(.forbidden, "chair_cannot_claim", "Chairs read the queue but do not claim questions: claims are for the sitting's moderators.")
        }
        throw APIError.forbidden("You are not a moderator of this sitting.")
    }

    private func checkClaim(_ questionID: Question.ID, room: HearingRoom, staff: StaffMember) throws {
        if case .failure(let conflict) = room.claims.check(questionID, by: staff.id, now: clock()) {
            throw APIError(.conflict, "claimed_by_other", "\(conflict.holder.staffName) is working on this question; wait until they finish or their claim ends.")
        }
    }

    private func publishClaim(_ room: HearingRoom, _ questionID: Question.ID, _ claim: ModerationClaims.Claim?) async {
        let data: JSONValue = .object([
            ("question_id", .int(questionID.rawValue)),
            ("claimed_by", claim.map { .object([("id", .int($0.staffID.rawValue)), ("name", .string($0.staffName))]) } ?? .null),
            ("until", HearingJSON.time(claim?.until)),
        ])
        await hub.publish(room.sitting.moderationTopic, event: "claim", data: data, delivery: .reliable, snapshot: staffSnapshot(room))
    }

    // MARK: - Notes and presence

    func addNote(sitting id: Sitting.ID, text: String, question: Question.ID?, by staff: StaffMember) async throws -> BackstageNote {
        try await serially {
            var room = try sitting(id)
            guard staff.canModerate(id) else { throw APIError.forbidden("Only moderators of this sitting can write notes to the chair.") }
            let clean: String
            switch QuestionText.validate(text, maxLength: 500) {
            case .success(let t): clean = t
            case .failure(let m): throw APIError.invalid("text", m.text)
            }
            if let question, sittingOfQuestion[question] != id { throw APIError.invalid("question", "Question \(question) is not in this sitting.") }
            let now = clock()
            let note = try await store.addNote(
                BackstageNote(id: BackstageNote.ID(1), sittingID: id, questionID: question, text: clean, authorID: staff.id, authorName: staff.name, createdAt: now),
                audit: AuditEntry(at: now, staffID: staff.id, action: "note_added", subject: "sitting:\(id)")
            )
            room.notes.append(note)
            sittingOfNote[note.id] = id
            rooms[id] = room
            await hub.publish(room.sitting.moderationTopic, event: "note", data: HearingJSON.note(note), delivery: .reliable, snapshot: staffSnapshot(room))
            return note
        }
    }

    func markNoteRead(_ noteID: BackstageNote.ID, by staff: StaffMember) async throws -> BackstageNote {
        try await serially {
            guard let sittingID = sittingOfNote[noteID], var room = rooms[sittingID], let index = room.notes.firstIndex(where: { $0.id == noteID }) else {
                throw APIError.notFound("This note")
            }
            guard staff.canChair(sittingID) else { throw APIError.forbidden("Only the chair of this sitting marks notes read.") }
            var note = room.notes[index]
            guard note.readAt == nil else { return note }
            let now = clock()
            note.readAt = now
            try await store.updateNote(note, audit: AuditEntry(at: now, staffID: staff.id, action: "note_read", subject: "note:\(noteID)"))
            room.notes[index] = note
            rooms[sittingID] = room
            await hub.publish(room.sitting.moderationTopic, event: "note", data: HearingJSON.note(note), delivery: .reliable, snapshot: staffSnapshot(room))
            return note
        }
    }

    /// A staff page's heartbeat. Publishes `presence` when the set of staff present changes.
    func heartbeat(sitting id: Sitting.ID, by staff: StaffMember) async throws -> [StaffMember] {
        // Through the gate like every change: an action holding a copy of the room across its store write would
        // otherwise write the room back without this presence.
        try await serially { try await recordPresence(sitting: id, by: staff) }
    }

    private func recordPresence(sitting id: Sitting.ID, by staff: StaffMember) async throws -> [StaffMember] {
        var room = try sitting(id)
        guard staff.canReadModeration(of: id) else { throw APIError.forbidden("You are not on the staff of this sitting.") }
        let now = clock()
        let before = room.present(now: now).map(\.id)
        room.presence[staff.id] = (staff, now)
        room.presence = room.presence.filter { now.millisecondsSince1970 - $0.value.seen.millisecondsSince1970 < 45_000 }
        rooms[id] = room
        let present = room.present(now: now)
        if present.map(\.id) != before {
            await hub.publish(
                room.sitting.moderationTopic, event: "presence", data: .object([("staff", HearingJSON.presentStaff(present))]), delivery: .reliable,
                snapshot: staffSnapshot(room)
            )
        }
        return present
    }

    // MARK: - Applying and publishing

    /// Applies `action` to `board`, turning a refusal into the API's error.
    @discardableResult
    private func attempt(_ action: QuestionAction, on id: Question.ID, in board: inout QuestionBoard) throws(APIError) -> [Question.ID] {
        let result: Result<[Question.ID], QuestionError> = Result { () throws(QuestionError) in try board.apply(action, to: id) }
        switch result {
        case .success(let changed): return changed
        case .failure(let error): throw conflict(error)
        }
    }

    private func conflict(_ error: QuestionError) -> APIError {
        switch error {
        case .notFound: APIError.notFound("This question")
        case .notAllowed(let action, let state):
            APIError(.conflict, "question_state_conflict", "Cannot \(action) this question: it is \(state.replacingOccurrences(of: "_", with: " ")) now.")
        case .alreadyVoted: APIError(.conflict, "already_voted", "You have already voted for this question.")
        case .notVoted: APIError(.conflict, "not_voted", "You have not voted for this question.")
        case .mergeIntoItself: APIError.invalid("into", "A question cannot be merged into itself.")
        case .emptyText: APIError.invalid("text", "This cannot be empty.")
        case .noHeldVotes: APIError(.conflict, "no_held_votes", "This question has no held votes to release.")
        }
    }

    /// Checks `action` on a copy of the board, stores the result, then adopts it and publishes. Returns the question.
    private func apply(_ action: QuestionAction, to id: Question.ID, in room: inout HearingRoom, staff: StaffMember?, logAction: String) async throws -> Question {
        var board = room.board
        let changed = try attempt(action, on: id, in: &board)
        let now = clock()
        var write = HearingWrite()
        write.questions = changed.compactMap { board[$0] }
        var votesMoved = false
        switch action {
        case .merge, .releaseHeldVotes:
            for changedID in changed {
                let rows = Self.voteRows(before: room.board[changedID], after: board[changedID])
                write.votesAdded += rows.added
                write.votesRemoved += rows.removed
            }
            votesMoved = true
        default: break
        }
        guard let question = board[id] else { throw APIError.notFound("This question") }
        var reason: String?
        if case .rejected(let code) = question.state { reason = code }
        var mergedInto: Question.ID?
        if case .merged(let target) = question.state { mergedInto = target }
        let entry = ModerationLogEntry(sittingID: room.sitting.id, questionID: id, action: logAction, state: question.state.label, reasonCode: reason, mergedInto: mergedInto, at: now)
        // Releasing held votes is the moderators' bookkeeping, in the audit log: the public sees the count move.
        let isDecision = logAction != QuestionAction.releaseHeldVotes.name && (!["edit", "tag", "priority"].contains(logAction) || question.isPublished)
        if isDecision { write.moderation = [entry] }
        if let staff {
            write.audit = [AuditEntry(at: now, staffID: staff.id, action: "question_\(logAction)", subject: "question:\(id)", details: JSONWriter.string(HearingJSON.logEntry(entry, reasons: reasons, language: language)))]
        }
        let wasPublished = Set(changed.filter { room.board[$0]?.isPublished == true })
        try await store.commitHearing(write)
        room.board = board
        if let staff { room.claims.release(id, by: staff.id, now: now) }
        rooms[room.sitting.id] = room
        await published(room, changed: changed, wasPublished: wasPublished, log: isDecision ? [entry] : [])
        if votesMoved {
            if changed.contains(where: { board[$0]?.isPublished == true }) {
                await hub.publish(room.sitting.topic, event: "votes", data: .object([("votes", HearingJSON.votes(board))]), delivery: .conflated)
            }
            await publishHeldVotes(room)
        }
        return question
    }

    /// The vote rows that turn `before` into `after` (for actions that move many votes at once: a merge, a release).
    static func voteRows(before: Question?, after: Question?) -> (added: [HearingWrite.Vote], removed: [HearingWrite.Vote]) {
        let id = after?.id ?? before?.id
        guard let id else { return ([], []) }
        let old = (before?.voters ?? []).union(before?.heldVoters ?? [])
        let new = (after?.voters ?? []).union(after?.heldVoters ?? [])
        let removed = old.subtracting(new).sorted().map { HearingWrite.Vote(question: id, participant: $0) }
        var added: [HearingWrite.Vote] = []
        for participant in new.sorted() {
            let held = after?.heldVoters.contains(participant) == true
            let address = after?.voterAddresses[participant]
            let unchanged = old.contains(participant) && (before?.heldVoters.contains(participant) == true) == held
                && before?.voterAddresses[participant] == address
            if !unchanged { added.append(HearingWrite.Vote(question: id, participant: participant, held: held, address: address)) }
        }
        return (added, removed)
    }

    /// Tells the sitting's staff which questions have held votes now (conflated: a flood of held votes is one event
    /// per tick).
    private func publishHeldVotes(_ room: HearingRoom) async {
        await hub.publish(
            room.sitting.moderationTopic, event: "held_votes", data: .object([("held_votes", HearingJSON.heldVotes(room.board))]), delivery: .conflated
        )
    }

    /// Publishes what changed, in one batch per topic (one socket write per subscriber, however many events):
    /// - public: a `question` event for each question the public sees (or saw) and a `moderated` event per decision
    ///   (a changed question's event carries its votes, a merge's target included);
    /// - staff: a `question` event for each changed question.
    /// The public `counts` follow in a conflated event at most once a second: a busy queue must not cost every viewer
    /// a frame per submission.
    private func published(_ room: HearingRoom, changed: [Question.ID], wasPublished: Set<Question.ID>, log: [ModerationLogEntry]) async {
        var events: [(event: String, data: JSONValue)] = []
        for id in changed {
            guard let question = room.board[id] else { continue }
            if question.isPublished || wasPublished.contains(id) { events.append(("question", publicJSON(question))) }
        }
        for entry in log { events.append(("moderated", HearingJSON.logEntry(entry, reasons: reasons, language: language))) }
        // The counts go out at most once a second whatever happens: a counter a second late is fine, and every byte
        // of a frame is written to every viewer (a sitting that goes viral is limited by exactly that).
        scheduleCounts(room.sitting.id)
        if !events.isEmpty { await hub.publish(room.sitting.topic, batch: events, snapshot: publicSnapshot(room)) }
        let now = clock()
        let staffEvents = changed.compactMap { id in
            room.board[id].map { ("question", HearingJSON.staffQuestion($0, claim: room.claims.claim(on: id, now: now), reasons: reasons, language: language)) }
        }
        await hub.publish(room.sitting.moderationTopic, batch: staffEvents, snapshot: staffSnapshot(room))
    }

    /// Sittings whose public `counts` changed without a public event; flushed within a second.
    private var countsPending: Set<Sitting.ID> = []

    private func scheduleCounts(_ id: Sitting.ID) {
        guard countsPending.insert(id).inserted else { return }
        Task { [weak self] in
            try? await self?.clock.sleep(for: .seconds(1))
            await self?.flushCounts(id)
        }
    }

    private func flushCounts(_ id: Sitting.ID) async {
        countsPending.remove(id)
        guard let room = rooms[id] else { return }
        await hub.publish(room.sitting.topic, event: "counts", data: HearingJSON.counts(room.board), delivery: .conflated, snapshot: publicSnapshot(room))
    }

    func publicJSON(_ question: Question, participant: String? = nil) -> JSONValue {
        HearingJSON.question(question, reasons: reasons, language: language, participant: participant)
    }

    func staffJSON(_ question: Question) -> JSONValue {
        guard let sittingID = sittingOfQuestion[question.id], let room = rooms[sittingID] else {
            return HearingJSON.staffQuestion(question, claim: nil, reasons: reasons, language: language)
        }
        return HearingJSON.staffQuestion(question, claim: room.claims.claim(on: question.id, now: clock()), reasons: reasons, language: language)
    }

    private func publicSnapshot(_ room: HearingRoom) -> JSONValue {
        let s = room.sitting
        return .object([
            ("id", .int(s.id.rawValue)), ("title", .string(s.title)), ("committee", .string(s.committee)), ("state", .string(s.state.rawValue)),
            ("stream_url", HearingJSON.string(s.streamURL)), ("stream_started_at", HearingJSON.time(s.streamStartedAt)),
            ("ended_at", HearingJSON.time(s.endedAt)), ("counts", HearingJSON.counts(room.board)),
            ("on_screen", room.board.onScreen.flatMap { room.board[$0] }.map { publicJSON($0) } ?? .null),
            ("questions", .array(room.board.published.map { publicJSON($0) })), ("votes", HearingJSON.votes(room.board)),
        ])
    }

    private func staffSnapshot(_ room: HearingRoom) -> JSONValue {
        let now = clock()
        let questions = room.board.questions.values.sorted { $0.id < $1.id }.map {
            HearingJSON.staffQuestion($0, claim: room.claims.claim(on: $0.id, now: now), reasons: reasons, language: language)
        }
        return .object([
            ("id", .int(room.sitting.id.rawValue)), ("questions", .array(questions)), ("notes", .array(room.notes.map(HearingJSON.note))),
            ("staff", HearingJSON.presentStaff(room.present(now: now))), ("held_votes", HearingJSON.heldVotes(room.board)),
        ])
    }
}
