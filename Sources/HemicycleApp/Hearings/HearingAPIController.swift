import HTTPTypes
import HemicycleCore
import Hummingbird

/// The hearings JSON API (Protocol/HEARINGS.md §3).
struct HearingAPIController: Sendable {
    typealias Context = HemicycleRequestContext
    let http: HearingHTTP
    private var hearings: HearingService { http.hearings }

    func addRoutes(to router: Router<Context>) {
        router.get("/api/v1/sittings", use: list)
        router.post("/api/v1/sittings", use: create)
        router.get("/api/v1/sittings/:id", use: show)
        router.patch("/api/v1/sittings/:id", use: update)
        router.post("/api/v1/sittings/:id/state", use: setState)
        router.get("/api/v1/sittings/:id/questions", use: questions)
        router.post("/api/v1/sittings/:id/questions", use: ask)
        router.delete("/api/v1/questions/:id", use: withdraw)
        router.post("/api/v1/questions/:id/vote") { request, context in try await vote(request, context, on: true) }
        router.delete("/api/v1/questions/:id/vote") { request, context in try await vote(request, context, on: false) }
        router.post("/api/v1/questions/:id/moderation", use: moderate)
        router.post("/api/v1/questions/:id/claim", use: claim)
        router.delete("/api/v1/questions/:id/claim", use: release)
        router.post("/api/v1/sittings/:id/on-screen", use: onScreen)
        router.post("/api/v1/questions/:id/answered", use: answered)
        router.get("/api/v1/sittings/:id/notes", use: notes)
        router.post("/api/v1/sittings/:id/notes", use: addNote)
        router.post("/api/v1/notes/:id/read", use: readNote)
        router.post("/api/v1/sittings/:id/presence", use: presence)
        router.get("/api/v1/reject-reasons") { request, _ in
            let language = http.localization.language(for: request)
            return Response.json(.object([("reasons", .array(hearings.reasons.map {
                .object([("code", .string($0.code)), ("text", .string($0.text(in: language)))])
            }))]))
        }
    }

    // MARK: - Sittings

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let rooms = await hearings.allRooms()
        return Response.json(.object([("sittings", .array(rooms.map { HearingJSON.sitting($0.sitting, board: $0.board) }))]))
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let room = try await hearings.sitting(try http.sittingID(context))
        return Response.json(HearingJSON.sitting(room.sitting, board: room.board))
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let body = try await http.body.jsonObject(request)
        var draft = Sitting(id: Sitting.ID(1), title: "", committee: "", state: .scheduled, scheduledStart: http.clock(), streamURL: nil)
        try SittingInput.apply(body, to: &draft, requireAll: true)
        let room = try await hearings.createSitting(draft, by: staff)
        return Response.json(HearingJSON.sitting(room.sitting, board: room.board), status: .created)
    }

    @Sendable func update(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try http.sittingID(context)
        let body = try await http.body.jsonObject(request)
        var probe = try await hearings.sitting(id).sitting
        try SittingInput.apply(body, to: &probe, requireAll: false)  // validate before taking the gate
        let room = try await hearings.updateSitting(id, by: staff) { sitting in try SittingInput.apply(body, to: &sitting, requireAll: false) }
        return Response.json(HearingJSON.sitting(room.sitting, board: room.board))
    }

    @Sendable func setState(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try http.sittingID(context)
        let body = try await http.body.jsonObject(request)
        let text = try body.requiredString("state")
        guard let target = SittingState(rawValue: text), target != .scheduled else {
            throw APIError.invalid("state", "The state must be \"live\" or \"ended\".")
        }
        _ = try await hearings.sitting(id)
        let room = try await hearings.setState(id, to: target, by: staff)
        return Response.json(HearingJSON.sitting(room.sitting, board: room.board))
    }

    // MARK: - Questions

    @Sendable func questions(_ request: Request, context: Context) async throws -> Response {
        let room = try await hearings.sitting(try http.sittingID(context))
        let participant = http.participant(request)
        let staff = await http.staff(request)
        let isStaff = staff?.canReadModeration(of: room.sitting.id) == true
        let state = request.uri.queryParameters.get("state")
        if let state, !QuestionState.labels.contains(state) {
            throw APIError.invalid("state", "Unknown state \(state); use one of \(QuestionState.labels.joined(separator: ", ")).")
        }
        let mine = request.uri.queryParameters.get("mine") == "1"
        var selected = room.board.questions.values.sorted { $0.id < $1.id }.filter { q in
            if mine { return participant != nil && q.participant == participant }
            return isStaff || q.isPublished
        }
        if let state { selected = selected.filter { $0.state.label == state } }
        var items: [JSONValue] = []
        for q in selected {
            items.append(isStaff && !mine ? await hearings.staffJSON(q) : await hearings.publicJSON(q, participant: participant))
        }
        return http.json(.object([("questions", .array(items))]))
    }

    @Sendable func ask(_ request: Request, context: Context) async throws -> Response {
        let id = try http.sittingID(context)
        _ = try await hearings.sitting(id)
        let body = try await http.body.jsonObject(request)
        let text = try body.requiredString("text")
        let name = try body.optionalString("name"), region = try body.optionalString("region")
        let participant = try http.requireParticipant(request, sitting: id)
        let question = try await hearings.ask(sitting: id, participant: participant, address: context.clientAddress, text: text, name: name, region: region)
        return http.json(
            .object([("id", .int(question.id.rawValue)), ("state", .string(question.state.label)),
                     ("question", await hearings.publicJSON(question, participant: participant))]),
            status: .created
        )
    }

    @Sendable func withdraw(_ request: Request, context: Context) async throws -> Response {
        let id = try http.questionID(context)
        try http.body.checkStateChange(request)
        _ = try await hearings.room(ofQuestion: id)
        guard let participant = http.participant(request) else {
            throw APIError.forbidden("Only the participant who asked this question can withdraw it.")
        }
        let question = try await hearings.withdraw(id, participant: participant)
        return http.json(.object([("id", .int(question.id.rawValue)), ("state", .string(question.state.label))]))
    }

    func vote(_ request: Request, _ context: Context, on: Bool) async throws -> Response {
        let id = try http.questionID(context)
        if on { _ = try await http.body.jsonObject(request) } else { try http.body.checkStateChange(request) }
        let room = try await hearings.room(ofQuestion: id)
        let participant = try http.requireParticipant(request, sitting: room.sitting.id)
        let (question, held) = try await hearings.vote(id, participant: participant, address: context.clientAddress, on: on)
        return http.json(.object([
            ("id", .int(question.id.rawValue)), ("votes", .int(Int64(question.votes))), ("voted", .bool(on)), ("held", .bool(held)),
        ]))
    }

    // MARK: - Staff

    @Sendable func moderate(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try http.questionID(context)
        let body = try await http.body.jsonObject(request)
        _ = try await hearings.room(ofQuestion: id)
        let action: QuestionAction
        switch try body.requiredString("action") {
        case "approve": action = .approve
        case "reject": action = .reject(reasonCode: try body.requiredString("reason"))
        case "edit": action = .edit(text: QuestionText.normalise(try body.requiredString("text")))
        case "merge":
            guard let into = try body.optionalInt("into"), into > 0 else { throw APIError.invalid("into", "Give the id of the question to merge into.") }
            action = .merge(into: Question.ID(into))
        case "tag": action = .tag(try body.optionalString("tag"))
        case "priority":
            guard let priority = try body.optionalInt("priority") else { throw APIError.invalid("priority", "Give an integer from -100 to 100.") }
            action = .setPriority(Int(clamping: priority))
        case "release_votes": action = .releaseHeldVotes
        case let other:
            throw APIError.invalid("action", "Unknown action \(other); use approve, reject, edit, merge, tag, priority or release_votes.")
        }
        let question = try await hearings.moderate(id, action: action, by: staff)
        return http.json(.object([("question", await hearings.staffJSON(question))]))
    }

    @Sendable func claim(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try http.questionID(context)
        _ = try await http.body.jsonObject(request)
        let claim = try await hearings.claim(id, by: staff)
        return http.json(.object([("question_id", .int(id.rawValue)), ("claimed_by", HearingJSON.claim(claim)), ("until", HearingJSON.time(claim.until))]))
    }

    @Sendable func release(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try http.questionID(context)
        try http.body.checkStateChange(request)
        try await hearings.release(id, by: staff)
        return http.json(.object([]))
    }

    @Sendable func onScreen(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try http.sittingID(context)
        let body = try await http.body.jsonObject(request)
        let question: Question.ID?
        switch body["question"] {
        case nil: throw APIError.invalid("question", "Give the id of a question, or null to clear the screen.")
        case .null?: question = nil
        case .int(let n)? where n > 0: question = Question.ID(n)
        default: throw APIError.invalid("question", "Must be a question id or null.")
        }
        _ = try await hearings.sitting(id)
        let shown = try await hearings.putOnScreen(sitting: id, question: question, by: staff)
        var value: JSONValue = .null
        if let shown { value = await hearings.publicJSON(shown) }
        return http.json(.object([("on_screen", value)]))
    }

    @Sendable func answered(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try http.questionID(context)
        _ = try await http.body.jsonObject(request)
        _ = try await hearings.room(ofQuestion: id)
        let question = try await hearings.markAnswered(id, by: staff)
        return http.json(.object([("question", await hearings.publicJSON(question))]))
    }

    @Sendable func notes(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let room = try await hearings.sitting(try http.sittingID(context))
        guard staff.canReadModeration(of: room.sitting.id) else { throw APIError.forbidden("You are not on the staff of this sitting.") }
        return http.json(.object([("notes", .array(room.notes.map(HearingJSON.note)))]))
    }

    @Sendable func addNote(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try http.sittingID(context)
        let body = try await http.body.jsonObject(request)
        let text = try body.requiredString("text")
        let question = try body.optionalInt("question").map { Question.ID($0) }
        _ = try await hearings.sitting(id)
        let note = try await hearings.addNote(sitting: id, text: text, question: question, by: staff)
        return http.json(HearingJSON.note(note), status: .created)
    }

    @Sendable func readNote(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        guard let id = BackstageNote.ID(parsing: Substring(context.parameters.get("id") ?? "")) else { throw APIError.notFound("This note") }
        _ = try await http.body.jsonObject(request)
        return http.json(HearingJSON.note(try await hearings.markNoteRead(id, by: staff)))
    }

    @Sendable func presence(_ request: Request, context: Context) async throws -> Response {
        let staff = try await http.requireStaff(request)
        let id = try http.sittingID(context)
        _ = try await http.body.jsonObject(request)
        let present = try await hearings.heartbeat(sitting: id, by: staff)
        return http.json(.object([("staff", HearingJSON.presentStaff(present))]))
    }
}
