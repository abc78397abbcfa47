import Foundation
import HTTPTypes
import HemicycleCore
import HemicycleHub
import HemicycleStorage
import Logging

/// Live hearings: decides each action with the pure state machines (`QuestionBoard`, `ModerationClaims`) on the
/// STORED state, inside the store transaction that writes the decision (`HearingStore.withSitting`: the question
/// actions, votes, claims and the sitting's state), then publishes it on the sitting's topics. Actions on one sitting
/// are decided one at a time (its `AsyncGate` here, and the store's per-sitting lock), so of two conflicting actions
/// the first wins and the second is refused with `question_state_conflict`; actions on different sittings run side by
/// side. A failed store write changes nothing.
///
/// Every sitting's room (`SittingRoom`) is kept in memory for the topics' snapshots and the pages: it is loaded from
/// the store, updated with what each transaction stored, and never decides alone. The per-participant and
/// per-address rate limits (`RateLimiter`) live only here, per process.
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
    private var rooms: [Sitting.ID: SittingRoom] = [:]
    private var sittingOfQuestion: [Question.ID: Sitting.ID] = [:]
    private var sittingOfNote: [BackstageNote.ID: Sitting.ID] = [:]
    /// One gate per known sitting (`serially`); sittings are few and never deleted.
    private var gates: [Sitting.ID: AsyncGate] = [:]
    /// Several nodes: the store that writes an action's reliable events in its transaction, and what wakes the others
    /// after the commit. Nil on one node (events are published after the commit).
    let outbox: HearingOutbox?

    init(
        store: any HemicycleStore, hub: any LiveBroker, reasons: [RejectionReason], language: String, logger: Logger,
        defaultVotesPerAddress: Int = HearingSettings.defaultVotesPerAddress,
        addressTag: @escaping @Sendable (AddressKey) -> String = { $0.value },
        clock: any WallClock, outbox: HearingOutbox? = nil
    ) {
        self.store = store
        self.outbox = outbox
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
        var room = SittingRoom(sitting: sitting, defaultVotesPerAddress: defaultVotesPerAddress)
        for question in try await store.questions(in: sitting.id) {
            room.board.add(question)
            sittingOfQuestion[question.id] = sitting.id
        }
        room.notes = try await store.notes(in: sitting.id)
        room.claims = ModerationClaims(stored: try await store.claims(in: sitting.id, now: clock()))
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
            try await serially(sitting: id) {
                guard let sitting = try await store.sitting(id) else { return }
                var room = SittingRoom(sitting: sitting, defaultVotesPerAddress: defaultVotesPerAddress)
                room.claims = ModerationClaims(stored: try await store.claims(in: sitting.id, now: clock()))
                // What only this node knows stays: its rate limits, the staff seen on its pages.
                if let kept = rooms[id] {
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
            lagging.remove(id)
        } catch {
            lagging.insert(id)
            logger.warning("could not read a sitting changed by another node", metadata: ["sitting": "\(id)", "error": "\(error)"])
        }
    }

    /// Sittings whose last `reload` failed: their rooms may lag the store, so `current(_:)` does not offer them.
    private var lagging: Set<Sitting.ID> = []

    /// A sitting's public and staff snapshots as this node holds them (the cluster broker's resync after a gap).
    func snapshots(of id: Sitting.ID) -> (public: JSONValue, staff: JSONValue)? {
        rooms[id].map { (publicSnapshot($0), staffSnapshot($0)) }
    }

    /// The snapshot of a sitting's topic (public or staff) from this node's room, which follows the store (its own
    /// actions, and `reload` after another node's): nil for other topics, and for a sitting whose reload failed.
    func current(_ topic: Topic) -> JSONValue? {
        switch topic {
        case .sitting(let id):
            guard !lagging.contains(id), let room = rooms[id] else { return nil }
            return publicSnapshot(room)
        case .sittingModeration(let id):
            guard !lagging.contains(id), let room = rooms[id] else { return nil }
            return staffSnapshot(room)
        default:
            return nil
        }
    }

    /// The sittings this node keeps a room for.
    func sittingIDs() -> [Sitting.ID] {
        rooms.keys.sorted()
    }

    /// Runs `body` alone among the actions on sitting `id`: actions on one sitting are decided one at a time, on the
    /// state the previous one left (of two conflicting moderators, one wins and one gets a 409); actions on other
    /// sittings run meanwhile, each during the others' store writes. An unknown sitting gets no gate (so requests
    /// naming made-up sittings add nothing to this table) and `body` runs alone, where it finds no sitting and says so.
    private func serially<T: Sendable>(sitting id: Sitting.ID, _ body: () async throws -> T) async throws -> T {
        guard rooms[id] != nil else { return try await body() }
        let gate: AsyncGate
        if let existing = gates[id] {
            gate = existing
        } else {
            gate = AsyncGate()
            gates[id] = gate
        }
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

    /// The sitting of a question (0, which no sitting has, for an unknown question: `serially` then has no gate).
    private func sittingID(ofQuestion id: Question.ID) -> Sitting.ID {
        sittingOfQuestion[id] ?? Sitting.ID(0)
    }

    // MARK: - Reads

    func sitting(_ id: Sitting.ID) throws -> SittingRoom {
        guard let room = rooms[id] else { throw APIError.notFound("This sitting") }
        return room
    }

    func allRooms() -> [SittingRoom] {
        rooms.values.sorted { ($0.sitting.scheduledStart, $0.sitting.id) < ($1.sitting.scheduledStart, $1.sitting.id) }
    }

    func room(ofQuestion id: Question.ID) throws -> SittingRoom {
        guard let sittingID = sittingOfQuestion[id], let room = rooms[sittingID] else { throw APIError.notFound("This question") }
        return room
    }

    func claim(on question: Question.ID) -> ModerationClaims.Claim? {
        guard let sittingID = sittingOfQuestion[question] else { return nil }
        return rooms[sittingID]?.claims.claim(on: question, now: clock())
    }

    // MARK: - Sittings

    func createSitting(_ draft: Sitting, by staff: StaffMember) async throws -> SittingRoom {
        guard staff.canSetUpSittings else { throw APIError.forbidden("Only clerks and admins can create sittings.") }
        // A new sitting conflicts with no other action: nothing can name it before it is stored.
        let now = clock()
        let created = try await store.createSitting(draft, audit: AuditEntry(at: now, staffID: staff.id, action: "sitting_created", subject: "sitting"))
        try await load(created)
        return try sitting(created.id)
    }

    func updateSitting(_ id: Sitting.ID, by staff: StaffMember, _ change: @Sendable (inout Sitting) throws -> Void) async throws -> SittingRoom {
        guard staff.canSetUpSittings else { throw APIError.forbidden("Only clerks and admins can edit sittings.") }
        return try await serially(sitting: id) {
            var room = try sitting(id)
            let audit = AuditEntry(at: clock(), staffID: staff.id, action: "sitting_updated", subject: "sitting:\(id)")
            // The change applies to the STORED sitting, in its transaction: another node may have started or ended it
            // since this node's room was loaded, and an edit of the title must not put its state back.
            let before = room
            let (updated, later) = try await transaction(id, { reads in
                guard var stored = try await reads.sitting() else { throw APIError.notFound("This sitting") }
                try change(&stored)
                var write = HearingWrite()
                write.sitting = stored
                write.audit = [audit]
                return (stored, write)
            }, then: { stored in
                var after = before
                after.sitting = stored
                return (stored, [self.sittingPublication(after)])
            })
            let settingsChanged = updated.settings != room.sitting.settings
            room.sitting = updated
            if settingsChanged {
                let fresh = SittingRoom(sitting: updated, defaultVotesPerAddress: defaultVotesPerAddress)
                room.board.votesPerAddress = fresh.board.votesPerAddress
                room.questionLimits = fresh.questionLimits
                room.voteLimits = fresh.voteLimits
                room.addressQuestionLimits = fresh.addressQuestionLimits
                room.addressVoteLimits = fresh.addressVoteLimits
            }
            rooms[id] = room
            for publication in later { await publication.publish(on: hub) }
            return room
        }
    }

    /// The chair starts (`live`) or ends a sitting.
    func setState(_ id: Sitting.ID, to target: SittingState, by staff: StaffMember) async throws -> SittingRoom {
        try await serially(sitting: id) {
            var room = try sitting(id)
            _ = try await perform(.setState(target), in: &room, by: .staff(staff))
            return room
        }
    }

    private nonisolated func sittingPublication(_ room: SittingRoom) -> LivePublication {
        let s = room.sitting
        let data: JSONValue = .object([
            ("state", .string(s.state.rawValue)), ("stream_started_at", HearingJSON.time(s.streamStartedAt)), ("ended_at", HearingJSON.time(s.endedAt)),
        ])
        return .event(s.topic, event: "sitting", data: data, delivery: .reliable, snapshot: publicSnapshot(room))
    }

    // MARK: - Participants

    /// Adds a question. Text, name and region are validated here against the sitting's settings.
    func ask(sitting id: Sitting.ID, participant: String, address: String, text: String, name: String?, region: String?) async throws -> Question {
        try await serially(sitting: id) {
            var room = try sitting(id)
            let settings = room.sitting.settings
            var errors = FieldErrors()
            var cleanText = "", cleanName: String?, cleanRegion: String?
            switch QuestionText.validate(text, maxLength: settings.maxQuestionLength) {
            case .success(let t): cleanText = t
            case .failure(let m): errors.set("text", m)
            }
            switch QuestionText.validate(name ?? "", maxLength: QuestionText.maxNameLength, required: !settings.allowAnonymous) {
            case .success(let n): cleanName = n.isEmpty ? nil : n
            case .failure(let m) where !settings.allowAnonymous && m.key == "field_error_empty":
                errors.set("name", FieldMessage("This sitting does not take anonymous questions: give a name.", key: "ask_error_name_required"))
            case .failure(let m): errors.set("name", m)
            }
            switch QuestionText.validate(region ?? "", maxLength: QuestionText.maxRegionLength, required: false) {
            case .success(let r): cleanRegion = r.isEmpty ? nil : r
            case .failure(let m): errors.set("region", m)
            }
            guard errors.isEmpty else {
                throw APIError(.unprocessableContent, "invalid_input", "The question cannot be sent as it is.", fields: errors, key: "ask_error_invalid")
            }
            guard room.sitting.state != .ended else {
                throw APIError(.conflict, "sitting_not_live", "This sitting has ended; it takes no more questions.", key: "ask_error_ended")
            }
            let now = clock()
            if case .failure(let wait) = room.questionLimits.check(participant, now: now) {
                throw APIError.rateLimited(
                    "You can ask \(settings.questionsPerMinute) questions a minute. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds,
                    key: "ask_error_rate", values: ["n": "\(settings.questionsPerMinute)", "seconds": "\(wait.seconds)"])
            }
            if case .failure(let wait) = room.addressQuestionLimits.check(AddressKey(address), now: now) {
                throw APIError.rateLimited(
                    "Too many questions from your network. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds,
                    key: "ask_error_rate_network", values: ["seconds": "\(wait.seconds)"])
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
            scheduleCounts(id)
            let logged = log.map { var e = $0; e.questionID = stored.id; return e }
            for publication in questionPublications(room, changed: [stored.id], wasPublished: [], log: logged) { await publication.publish(on: hub) }
            return stored
        }
    }

    /// The author withdraws their own question.
    func withdraw(_ questionID: Question.ID, participant: String) async throws -> Question {
        try await serially(sitting: sittingID(ofQuestion: questionID)) {
            var room = try room(ofQuestion: questionID)
            _ = try await perform(.withdraw(questionID), in: &room, by: .participant(participant))
            guard let question = room.board[questionID] else { throw APIError.notFound("This question") }
            return question
        }
    }

    /// A participant votes (or withdraws their vote). Returns the question and whether the vote is held (over the
    /// per-address cap: stored, not counted, shown to moderators).
    func vote(_ questionID: Question.ID, participant: String, address: String, on: Bool) async throws -> (question: Question, held: Bool) {
        try await serially(sitting: sittingID(ofQuestion: questionID)) {
            var room = try room(ofQuestion: questionID)
            let now = clock()
            // The rate limits are this process's own (in memory): the core decides on the stored state.
            if on {
                if case .failure(let wait) = room.voteLimits.check(participant, now: now) {
                    throw APIError.rateLimited("Too many votes at once. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
                }
                if case .failure(let wait) = room.addressVoteLimits.check(AddressKey(address), now: now) {
                    throw APIError.rateLimited("Too many votes from your network. Try again in \(wait.seconds) seconds.", retryAfter: wait.seconds)
                }
            }
            let command = HearingCommand.vote(questionID, on: on, address: addressTag(AddressKey(address)))
            _ = try await perform(command, in: &room, by: .participant(participant))
            if on {
                // Counted once the vote is decided (a refused one costs nothing).
                room.voteLimits.record(participant, now: now)
                room.addressVoteLimits.record(AddressKey(address), now: now)
                rooms[room.sitting.id] = room
            }
            guard let question = room.board[questionID] else { throw APIError.notFound("This question") }
            return (question, on && question.heldVoters.contains(participant))
        }
    }

    // MARK: - Staff

    /// A moderator's action (approve, reject, edit, merge, tag, priority).
    func moderate(_ questionID: Question.ID, action: QuestionAction, by staff: StaffMember) async throws -> Question {
        try await serially(sitting: sittingID(ofQuestion: questionID)) {
            var room = try room(ofQuestion: questionID)
            let command = HearingCommand.moderate(questionID, action)
            _ = try await perform(command, in: &room, by: .staff(staff))
            guard let question = room.board[questionID] else { throw APIError.notFound("This question") }
            return question
        }
    }

    /// The chair puts a question on screen, or clears the screen (`question` nil).
    func putOnScreen(sitting id: Sitting.ID, question questionID: Question.ID?, by staff: StaffMember) async throws -> Question? {
        try await serially(sitting: id) {
            var room = try sitting(id)
            let command: HearingCommand = questionID.map { .putOnScreen($0) } ?? .clearScreen
            _ = try await perform(command, in: &room, by: .staff(staff))
            return questionID.flatMap { room.board[$0] }
        }
    }

    /// The chair marks a question answered, stamped with the time since the stream started.
    func markAnswered(_ questionID: Question.ID, by staff: StaffMember) async throws -> Question {
        try await serially(sitting: sittingID(ofQuestion: questionID)) {
            var room = try room(ofQuestion: questionID)
            _ = try await perform(.markAnswered(questionID), in: &room, by: .staff(staff))
            guard let question = room.board[questionID] else { throw APIError.notFound("This question") }
            return question
        }
    }

    func claim(_ questionID: Question.ID, by staff: StaffMember) async throws -> ModerationClaims.Claim {
        try await serially(sitting: sittingID(ofQuestion: questionID)) {
            var room = try room(ofQuestion: questionID)
            // Decided on the stored claims: two moderators (on two nodes, one day) claiming at once get one winner.
            let effects = try await perform(.claim(questionID), in: &room, by: .staff(staff))
            for case .claimed(let stored) in effects { return stored.claim }
            throw APIError.notFound("This question")
        }
    }

    func release(_ questionID: Question.ID, by staff: StaffMember) async throws {
        try await serially(sitting: sittingID(ofQuestion: questionID)) {
            var room = try room(ofQuestion: questionID)
            _ = try await perform(.release(questionID), in: &room, by: .staff(staff))
        }
    }

    private nonisolated func claimPublication(_ room: SittingRoom, _ questionID: Question.ID, _ claim: ModerationClaims.Claim?) -> LivePublication {
        let data: JSONValue = .object([
            ("question_id", .int(questionID.rawValue)),
            ("claimed_by", claim.map { .object([("id", .int($0.staffID.rawValue)), ("name", .string($0.staffName))]) } ?? .null),
            ("until", HearingJSON.time(claim?.until)),
        ])
        return .event(room.sitting.moderationTopic, event: "claim", data: data, delivery: .reliable, snapshot: staffSnapshot(room))
    }

    // MARK: - Notes and presence

    func addNote(sitting id: Sitting.ID, text: String, question: Question.ID?, by staff: StaffMember) async throws -> BackstageNote {
        try await serially(sitting: id) {
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
        try await serially(sitting: sittingOfNote[noteID] ?? Sitting.ID(0)) {
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
        try await serially(sitting: id) { try await recordPresence(sitting: id, by: staff) }
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

    /// Decides `command` by `actor` inside the sitting's store transaction and carries it out: the core
    /// (`HearingRoom`) decides on what the command reads of the stored state, its effects are stored in that
    /// transaction (on several nodes with their reliable events: the outbox), then the room adopts them and the rest is
    /// published. A refusal is mapped to the API's error here, the one place where the hearings' domain errors meet
    /// HTTP; it stores and publishes nothing.
    private func perform(_ command: HearingCommand, in room: inout SittingRoom, by actor: HearingActor) async throws -> [HearingEffect] {
        let now = clock()
        let reasons = reasons, language = language, defaultVotesPerAddress = defaultVotesPerAddress
        let reasonCodes = Set(reasons.map(\.code))
        var staffID: StaffMember.ID?
        if case .staff(let member) = actor { staffID = member.id }
        let actingStaff = staffID
        let before = room
        do {
            let (performed, later) = try await transaction(room.sitting.id, { reads in
                var participant: String?
                if case .participant(let id) = actor { participant = id }
                // One read of what the command needs (one round trip on PostgreSQL).
                let context = try await reads.context(for: command, participant: participant, now: now)
                guard let sitting = context.sitting else { throw HearingError.notFound("This sitting") }
                var core = HearingRoom(
                    sitting: sitting, questions: context.questions, claims: context.claims, vote: context.vote,
                    votesPerAddress: sitting.settings.effectiveVotesPerAddress(serverDefault: defaultVotesPerAddress), reasonCodes: reasonCodes
                )
                let effects = try core.handle(command, by: actor, at: now)
                return (effects, Self.write(effects, by: actingStaff, at: now, reasons: reasons, language: language))
            }, then: { effects in
                let carried = self.carry(effects, of: command, in: before)
                return (Performed(effects: effects, carried: carried), carried.publications)
            })
            room = performed.carried.room
            rooms[room.sitting.id] = room
            if performed.carried.countsChanged { scheduleCounts(room.sitting.id) }
            for publication in later { await publication.publish(on: hub) }
            return performed.effects
        } catch let error as HearingError {
            throw APIError(error)
        }
    }

    /// An action's effects and what carrying them out gives.
    struct Performed: Sendable {
        var effects: [HearingEffect]
        var carried: Carried
    }

    /// Runs `body` as sitting `id`'s transaction (`withSitting`), then `outcome` on its value, which gives the result
    /// and what to publish. Returns the result and what is left to publish after the commit: everything on one node;
    /// on several, the conflated events only, the reliable ones having been written in the transaction (the outbox:
    /// an event exists exactly when its action committed) and the other nodes woken after the commit.
    private func transaction<T: Sendable, U: Sendable>(
        _ id: Sitting.ID, _ body: @Sendable (any SittingReads) async throws -> (value: T, write: HearingWrite),
        then outcome: @Sendable (T) -> (U, [LivePublication])
    ) async throws -> (U, [LivePublication]) {
        guard let outbox else { return outcome(try await store.withSitting(id, body)) }
        let (done, entries) = try await outbox.store.withSitting(id, node: outbox.node) { reads in
            let (value, write) = try await body(reads)
            let (result, publications) = outcome(value)
            return (Outcome(result: result, publications: publications), write, publications.filter(\.isReliable).flatMap(\.drafts))
        }
        await outbox.committed(entries)
        return (done.result, done.publications.filter { !$0.isReliable })
    }

    private struct Outcome<U: Sendable>: Sendable {
        var result: U
        var publications: [LivePublication]
    }

    /// The store write that carries `effects` out.
    static func write(_ effects: [HearingEffect], by staffID: StaffMember.ID?, at now: Timestamp, reasons: [RejectionReason], language: String) -> HearingWrite {
        var write = HearingWrite()
        for effect in effects {
            switch effect {
            case .questionChanged(let question, _): write.questions.append(question)
            case .votesStored(let added, let removed):
                write.votesAdded += added
                write.votesRemoved += removed
            case .voteCast(let question, let participant, let address, let standing, _):
                if standing == .none {
                    write.votesRemoved.append(QuestionVote(question: question, participant: participant))
                } else {
                    write.votesAdded.append(QuestionVote(question: question, participant: participant, held: standing == .held, address: address))
                }
            case .logged(let entry): write.moderation.append(entry)
            case .audited(let action, let subject, let entry):
                var audit = AuditEntry(at: now, staffID: staffID, action: action, subject: subject)
                if let entry { audit.details = JSONWriter.string(HearingJSON.logEntry(entry, reasons: reasons, language: language)) }
                write.audit.append(audit)
            case .claimed(let claim): write.claims.append(claim)
            case .claimEnded(let question): write.claimsEnded.append(question)
            case .sittingChanged(let sitting): write.sitting = sitting
            case .screenChanged, .votesMoved: break
            }
        }
        return write
    }

    /// What `effects` do to the room (the cache follows the store) and what they publish, in order: the sitting,
    /// the changed questions with the public log's decisions, the screen, the votes and the claims. Pure (the room is
    /// a copy): on several nodes it runs inside the action's transaction, so that its reliable events are written
    /// there (the outbox).
    nonisolated func carry(_ effects: [HearingEffect], of command: HearingCommand, in room: SittingRoom) -> Carried {
        var room = room
        var publications: [LivePublication] = []
        var changed: [Question.ID] = [], wasPublished: Set<Question.ID> = [], log: [ModerationLogEntry] = []
        var sittingChanged = false, votesMoved = false, screen: Question?? = nil
        var cast: (question: Question.ID, held: Bool, wasHeld: Bool)?
        var claimNews: [(question: Question.ID, claim: ModerationClaims.Claim?)] = []
        for effect in effects {
            switch effect {
            case .questionChanged(let question, let was):
                room.board.adopt(question)
                changed.append(question.id)
                if was { wasPublished.insert(question.id) }
            case .voteCast(let question, let participant, let address, let standing, let previous):
                room.board.setVote(on: question, participant: participant, address: address, to: standing)
                cast = (question, standing == .held, previous == .held)
            case .logged(let entry): log.append(entry)
            case .claimed(let stored):
                room.claims.adopt(stored)
                claimNews.append((stored.question, stored.claim))
            case .claimEnded(let question):
                room.claims.forget(question)
                // Acting on a question ends its claim silently (the staff `question` event shows it); a release is news.
                if case .release = command { claimNews.append((question, nil)) }
            case .sittingChanged(let sitting):
                room.sitting = sitting
                sittingChanged = true
            case .screenChanged(let question): screen = .some(question)
            case .votesMoved: votesMoved = true
            case .votesStored, .audited: break
            }
        }
        if sittingChanged { publications.append(sittingPublication(room)) }
        if !changed.isEmpty { publications += questionPublications(room, changed: changed, wasPublished: wasPublished, log: log) }
        if votesMoved {
            if changed.contains(where: { room.board[$0]?.isPublished == true }) {
                publications.append(.event(room.sitting.topic, event: "votes", data: .object([("votes", HearingJSON.votes(room.board))]), delivery: .conflated))
            }
            publications.append(heldVotesPublication(room))
        }
        if let screen {
            let data: JSONValue = screen.flatMap { room.board[$0.id] }.map { publicJSON($0) } ?? .null
            publications.append(.event(room.sitting.topic, event: "on_screen", data: .object([("question", data)]), delivery: .reliable, snapshotPatch: .object([])))
        }
        if let cast {
            if cast.held || cast.wasHeld {
                // Only the moderators' view changes: the public count did not move.
                publications.append(heldVotesPublication(room))
            } else if room.board[cast.question]?.isPublished == true {
                publications.append(.event(room.sitting.topic, event: "votes", data: .object([("votes", HearingJSON.votes(room.board))]), delivery: .conflated))
            }
        }
        for news in claimNews { publications.append(claimPublication(room, news.question, news.claim)) }
        return Carried(room: room, publications: publications, countsChanged: !changed.isEmpty)
    }

    /// What carrying out an action's effects gives: the room after them, what is published, and whether the public
    /// `counts` are due (within a second).
    struct Carried: Sendable {
        var room: SittingRoom
        var publications: [LivePublication]
        var countsChanged: Bool
    }

    /// Tells the sitting's staff which questions have held votes now (conflated: a flood of held votes is one event
    /// per tick).
    private nonisolated func heldVotesPublication(_ room: SittingRoom) -> LivePublication {
        .event(room.sitting.moderationTopic, event: "held_votes", data: .object([("held_votes", HearingJSON.heldVotes(room.board))]), delivery: .conflated)
    }

    /// What changed, in one batch per topic (one socket write per subscriber, however many events):
    /// - public: a `question` event for each question the public sees (or saw) and a `moderated` event per decision
    ///   (a changed question's event carries its votes, a merge's target included);
    /// - staff: a `question` event for each changed question.
    /// The public `counts` follow in a conflated event at most once a second (`Carried.countsChanged`): a busy queue
    /// must not cost every viewer a frame per submission.
    private nonisolated func questionPublications(
        _ room: SittingRoom, changed: [Question.ID], wasPublished: Set<Question.ID>, log: [ModerationLogEntry]
    ) -> [LivePublication] {
        var publications: [LivePublication] = []
        var events: [LiveBatchEvent] = []
        for id in changed {
            guard let question = room.board[id] else { continue }
            if question.isPublished || wasPublished.contains(id) { events.append(LiveBatchEvent(event: "question", data: publicJSON(question))) }
        }
        for entry in log { events.append(LiveBatchEvent(event: "moderated", data: HearingJSON.logEntry(entry, reasons: reasons, language: language))) }
        if !events.isEmpty { publications.append(.batch(room.sitting.topic, events: events, snapshot: publicSnapshot(room))) }
        let now = clock()
        let staffEvents = changed.compactMap { id in
            room.board[id].map {
                LiveBatchEvent(event: "question", data: HearingJSON.staffQuestion($0, claim: room.claims.claim(on: id, now: now), reasons: reasons, language: language))
            }
        }
        if !staffEvents.isEmpty { publications.append(.batch(room.sitting.moderationTopic, events: staffEvents, snapshot: staffSnapshot(room))) }
        return publications
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

    nonisolated func publicJSON(_ question: Question, participant: String? = nil) -> JSONValue {
        HearingJSON.question(question, reasons: reasons, language: language, participant: participant)
    }

    func staffJSON(_ question: Question) -> JSONValue {
        guard let sittingID = sittingOfQuestion[question.id], let room = rooms[sittingID] else {
            return HearingJSON.staffQuestion(question, claim: nil, reasons: reasons, language: language)
        }
        return HearingJSON.staffQuestion(question, claim: room.claims.claim(on: question.id, now: clock()), reasons: reasons, language: language)
    }

    private nonisolated func publicSnapshot(_ room: SittingRoom) -> JSONValue {
        let s = room.sitting
        return .object([
            ("id", .int(s.id.rawValue)), ("title", .string(s.title)), ("committee", .string(s.committee)), ("state", .string(s.state.rawValue)),
            ("stream_url", HearingJSON.string(s.streamURL)), ("stream_started_at", HearingJSON.time(s.streamStartedAt)),
            ("ended_at", HearingJSON.time(s.endedAt)), ("counts", HearingJSON.counts(room.board)),
            ("on_screen", room.board.onScreen.flatMap { room.board[$0] }.map { publicJSON($0) } ?? .null),
            ("questions", .array(room.board.published.map { publicJSON($0) })), ("votes", HearingJSON.votes(room.board)),
        ])
    }

    private nonisolated func staffSnapshot(_ room: SittingRoom) -> JSONValue {
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
