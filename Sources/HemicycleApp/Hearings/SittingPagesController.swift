import Foundation
import HTTPTypes
import HemicycleStorage
import HemicycleCore
import Hummingbird

/// The sitting pages (list, viewer, screen, moderation, chair, moderation log), the no-JavaScript ask and vote forms,
/// and the exports (moderation log and record as CSV/JSON, video chapters).
struct SittingPagesController: Sendable {
    typealias Context = HemicycleRequestContext
    let http: HearingHTTP
    let staffPages: StaffController
    private var hearings: HearingService { http.hearings }
    private var localization: Localization { http.localization }

    func addRoutes(to router: Router<Context>) {
        router.get("/sittings", use: list)
        router.get("/sittings/:id", use: viewer)
        router.post("/sittings/:id/questions", use: askForm)
        router.post("/sittings/:id/questions/:question/vote", use: voteForm)
        router.post("/sittings/:id/questions/:question/withdraw", use: withdrawForm)
        router.get("/sittings/:id/screen", use: screen)
        router.get("/sittings/:id/qr.svg", use: qrCode)
        router.get("/sittings/:id/moderate") { request, context in try await console(request, context, template: "moderate") }
        router.get("/sittings/:id/chair") { request, context in try await console(request, context, template: "chair") }
        router.get("/sittings/:id/moderation-log", use: moderationLogPage)
        router.get("/sittings/:id/moderation-log.json") { request, context in try await moderationLogData(request, context, csv: false) }
        router.get("/sittings/:id/moderation-log.csv") { request, context in try await moderationLogData(request, context, csv: true) }
        router.get("/sittings/:id/record.json") { request, context in try await record(request, context, csv: false) }
        router.get("/sittings/:id/record.csv") { request, context in try await record(request, context, csv: true) }
        router.get("/sittings/:id/record", use: recordPage)
        router.get("/sittings/:id/chapters.txt", use: chapters)
    }

    private func render(_ request: Request, _ template: String, title: String, _ extra: [String: Any], status: HTTPResponse.Status = .ok, setCookie: String? = nil) -> Response {
        http.page(request, template, title: title, extra, status: status, setCookie: setCookie)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let language = localization.language(for: request)
        let rooms = await hearings.allRooms()
        func items(_ state: SittingState) -> [[String: Any]] {
            rooms.filter { $0.sitting.state == state }.map { SittingPageContext.sitting($0.sitting, language: language, localization: localization) }
        }
        return render(request, "sittings", title: localization.text("sittings_title", language), [
            "live": items(.live), "upcoming": items(.scheduled), "past": Array(items(.ended).reversed()),
            "feeds": OutreachController.feedLinks(["/feeds/sittings.atom"]),
        ])
    }

    /// - Parameter participant: nil when the page could not issue one (too many new participants from the address):
    ///   the page then says so and offers no ask form or vote buttons.
    private func viewerContext(_ room: SittingRoom, language: String, participant: String?) -> [String: Any] {
        var context: [String: Any] = [
            "sitting": SittingPageContext.sitting(room.sitting, language: language, localization: localization),
            "questions": room.board.published.map { SittingPageContext.question($0, language: language, localization: localization, participant: participant) },
            "csrf_token": participant.map { http.key.csrfToken(for: $0) } ?? "",
            "can_take_part": participant != nil,
            "participant_refused": participant == nil,
            "feeds": OutreachController.feedLinks(["/feeds/sittings.atom"]),
            "form": ["values": [:] as [String: String], "errors": [:] as [String: String], "has_errors": false] as [String: Any],
            "og": [
                "title": room.sitting.title,
                "description": "\(room.sitting.committee) · \(localization.text("sitting_state_\(room.sitting.state.rawValue)", language)) · "
                    + localization.text(room.board.published.count == 1 ? "og_questions_one" : "og_questions_other", language)
                        .replacingOccurrences(of: "{n}", with: "\(room.board.published.count)")
                    + " · \(localization.text("og_sitting_description", language))",
            ],
        ]
        if let shown = room.board.onScreen.flatMap({ room.board[$0] }) {
            context["on_screen"] = SittingPageContext.question(shown, language: language, localization: localization)
        }
        // The participant's own questions, pending ones included: what a no-JavaScript asker sees after asking (the
        // script then keeps this list live).
        let mine = participant.map { who in
            room.board.questions.values.filter { $0.participant == who && $0.state != .withdrawn }
                .sorted { ($0.submittedAt, $0.id) > ($1.submittedAt, $1.id) }
        } ?? []
        context["mine"] = mine.map { q -> [String: Any] in
            var reason = ""
            switch q.state {
            case .submitted: reason = localization.text("waiting_explanation", language)
            case .merged: reason = localization.text("merged_explanation", language)
            case .rejected: reason = localization.text("rejected_no_reason", language)
            default: break
            }
            return [
                "id": "\(q.id)", "text": q.text, "state": q.state.label, "reason": reason,
                "state_text": localization.text("question_state_\(q.state.label)", language), "can_withdraw": q.state == .submitted,
            ]
        }
        context["has_mine"] = !mine.isEmpty
        return context
    }

    /// What the page's script would otherwise fetch as it starts (`GET …/questions?mine=1` and `GET …/questions`):
    /// `{"mine": [my questions but the withdrawn ones, as the API gives them], "voted": [ids of the questions I voted for]}`, in the page
    /// (`#hc-viewer`), so a cold visit makes two requests fewer. Nil without a participant (nothing to know).
    private func viewerJSON(_ room: SittingRoom, participant: String?) async -> String? {
        guard let participant else { return nil }
        var mine: [JSONValue] = []
        for q in room.board.questions.values.sorted(by: { $0.id < $1.id }) where q.participant == participant && q.state != .withdrawn {
            mine.append(await hearings.publicJSON(q, participant: participant))
        }
        let voted = room.board.questions.values.filter { $0.voters.contains(participant) || $0.heldVoters.contains(participant) }
            .map(\.id.rawValue).sorted()
        let json = JSONValue.object([("mine", .array(mine)), ("voted", .array(voted.map { .int($0) }))])
        // Inside <script>: a "</script>" in a question's text must not end the block.
        return JSONWriter.string(json).replacingOccurrences(of: "<", with: "\\u003c")
    }

    @Sendable func viewer(_ request: Request, context: Context) async throws -> Response {
        let room = try await hearings.sitting(try http.sittingID(context))
        let participant = http.ensureParticipant(request, address: context.clientAddress)
        let language = localization.language(for: request)
        var page = viewerContext(room, language: language, participant: participant?.id)
        page["viewer_json"] = await viewerJSON(room, participant: participant?.id)
        // Where the no-JavaScript ask form lands (303): the notice, above the asker's own questions.
        if request.uri.queryParameters.get("asked") == "1", participant != nil { page["flash"] = localization.text("ask_thanks", language) }
        if request.uri.queryParameters.get("withdrawn") == "1", participant != nil { page["flash"] = localization.text("withdrawn_notice", language) }
        var response = render(request, "sitting", title: room.sitting.title, page, setCookie: participant?.setCookie)
        // Personalised (the participant's CSRF token and votes): never from a shared cache.
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The no-JavaScript ask form: answers with the sitting page, with a notice or the errors.
    @Sendable func askForm(_ request: Request, context: Context) async throws -> Response {
        let id = try http.sittingID(context)
        _ = try await hearings.sitting(id)
        let fields = try await http.body.form(request)
        let participant = try http.requireParticipant(request, sitting: id)
        guard http.key.checkCSRF(fields["csrf_token"], for: participant) else { throw APIError.csrfFailed }
        let language = localization.language(for: request)
        do {
            _ = try await hearings.ask(sitting: id, participant: participant, address: context.clientAddress, text: fields["text"] ?? "", name: fields["name"], region: fields["region"])
            // Redirect after post: a reload shows the page again and asks nothing twice.
            return Response(status: .seeOther, headers: [.location: "/sittings/\(id)?asked=1#my-questions", .cacheControl: "no-store"])
        } catch let error as APIError {
            let room = try await hearings.sitting(id)
            var page = viewerContext(room, language: language, participant: participant)
            page["viewer_json"] = await viewerJSON(room, participant: participant)
            let errors = error.formErrors(localization.template(language))  // in the page's language
            let values = fields.filter { ["text", "name", "region"].contains($0.key) }
            page["form"] = ["values": values, "errors": errors, "has_errors": true] as [String: Any]
            return render(request, "sitting", title: (try? await hearings.sitting(id).sitting.title) ?? "", page, status: error.status)
        }
    }

    /// The no-JavaScript withdraw button of the asker's own pending question: withdraws it and goes back (303).
    @Sendable func withdrawForm(_ request: Request, context: Context) async throws -> Response {
        let id = try http.sittingID(context)
        guard let questionID = Question.ID(parsing: Substring(context.parameters.get("question") ?? "")) else { throw APIError.notFound("This question") }
        let fields = try await http.body.form(request)
        let participant = try http.requireParticipant(request, sitting: id)
        guard http.key.checkCSRF(fields["csrf_token"], for: participant) else { throw APIError.csrfFailed }
        let room = try await hearings.room(ofQuestion: questionID)
        guard room.sitting.id == id, room.board[questionID]?.participant == participant else {
            throw APIError.forbidden("Only the participant who asked this question can withdraw it.")
        }
        _ = try await hearings.withdraw(questionID, participant: participant)
        return Response(status: .seeOther, headers: [.location: "/sittings/\(id)?withdrawn=1#my-questions", .cacheControl: "no-store"])
    }

    /// The no-JavaScript vote button: votes (or, if already voted, withdraws the vote) and goes back to the page.
    @Sendable func voteForm(_ request: Request, context: Context) async throws -> Response {
        let id = try http.sittingID(context)
        guard let questionID = Question.ID(parsing: Substring(context.parameters.get("question") ?? "")) else { throw APIError.notFound("This question") }
        let fields = try await http.body.form(request)
        let participant = try http.requireParticipant(request, sitting: id)
        guard http.key.checkCSRF(fields["csrf_token"], for: participant) else { throw APIError.csrfFailed }
        let room = try await hearings.room(ofQuestion: questionID)
        guard room.sitting.id == id else { throw APIError.notFound("This question") }
        let voted = room.board[questionID].map { $0.voters.contains(participant) || $0.heldVoters.contains(participant) } == true
        _ = try await hearings.vote(questionID, participant: participant, address: context.clientAddress, on: !voted)
        return Response(status: .seeOther, headers: [.location: "/sittings/\(id)#question-\(questionID)"])
    }

    @Sendable func screen(_ request: Request, context: Context) async throws -> Response {
        let room = try await hearings.sitting(try http.sittingID(context))
        let language = localization.language(for: request)
        let address = joinAddress(room.sitting.id)
        var page: [String: Any] = [
            "sitting": SittingPageContext.sitting(room.sitting, language: language, localization: localization),
            "top": room.board.published.filter { $0.state == .approved }.prefix(5).map { SittingPageContext.question($0, language: language, localization: localization) },
            "join_url": address, "join_text": Self.joinText(address), "qr_url": "/sittings/\(room.sitting.id)/qr.svg",
        ]
        for (key, value) in screenTexts(room.sitting, address: address, language: language) { page[key] = value }
        // An ended sitting shows nothing "on screen now", whatever the chair left there.
        if room.sitting.state != .ended, let shown = room.board.onScreen.flatMap({ room.board[$0] }) {
            var question = SittingPageContext.question(shown, language: language, localization: localization)
            question["text_size"] = Self.textSize(shown.text)
            page["on_screen"] = question
        }
        return render(request, "screen", title: room.sitting.title, page)
    }

    /// The moderation and chair consoles: staff of the sitting only (others are sent to log in, or refused).
    func console(_ request: Request, _ context: Context, template: String) async throws -> Response {
        let room = try await hearings.sitting(try http.sittingID(context))
        guard let member = await http.staff(request) else {
            return Response(status: .seeOther, headers: [.location: "/staff/login?next=/sittings/\(room.sitting.id)/\(template == "chair" ? "chair" : "moderate")"])
        }
        let allowed = template == "chair" ? member.canChair(room.sitting.id) : member.canModerate(room.sitting.id)
        guard allowed else { throw APIError.forbidden("You are not \(template == "chair" ? "the chair" : "a moderator") of this sitting.") }
        let language = localization.language(for: request)
        var page = staffPages.staffContext(request, member)
        page["sitting"] = SittingPageContext.sitting(room.sitting, language: language, localization: localization)
        page["reasons"] = hearings.reasons.map { ["code": $0.code, "text": $0.text(in: language)] }
        var response = render(request, template, title: "\(localization.text(template == "chair" ? "chair_title" : "moderate_title", language)): \(room.sitting.title)", page)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    // MARK: - Moderation log

    private func logCounts(_ entries: [ModerationLogEntry]) -> (outcomes: [(String, Int)], reasons: [(String, Int)]) {
        var outcomes: [String: Int] = [:], reasons: [String: Int] = [:]
        for e in entries {
            outcomes[e.action, default: 0] += 1
            if let code = e.reasonCode { reasons[code, default: 0] += 1 }
        }
        return (outcomes.sorted { $0.key < $1.key }, reasons.sorted { $0.key < $1.key })
    }

    @Sendable func moderationLogPage(_ request: Request, context: Context) async throws -> Response {
        let room = try await hearings.sitting(try http.sittingID(context))
        let entries = try await hearings.store.moderationLog(of: room.sitting.id)
        let language = localization.language(for: request)
        let counts = logCounts(entries)
        let reasonText = { (code: String) in hearings.reasons.first { $0.code == code }?.text(in: language) ?? code }
        return render(request, "moderation-log", title: "\(localization.text("moderation_log_title", language)): \(room.sitting.title)", [
            "sitting": SittingPageContext.sitting(room.sitting, language: language, localization: localization),
            "entries": entries.map { e -> [String: Any] in
                // Short local times (the day only when it is not the sitting's), and the question's published text
                // (shortened): "14:05" and "2 · Will the library…" rather than a UTC stamp and a bare number.
                let times = localization.times
                let at = times.sameDay(e.at, room.sitting.scheduledStart)
                    ? times.time(e.at, language) : "\(times.shortDate(e.at, language)) \(times.time(e.at, language))"
                let published = room.board[e.questionID].flatMap { $0.isPublished ? $0.text : nil }
                let short = published.map { $0.count > 60 ? String($0.prefix(59)).trimmingCharacters(in: .whitespaces) + "…" : $0 } ?? ""
                return ["at": e.at.iso8601, "at_text": at, "question_id": "\(e.questionID)", "question_text": short, "action": e.action,
                 "action_text": localization.text("action_\(e.action)", language), "state": e.state,
                 "state_text": localization.text("question_state_\(e.state)", language), "reason_code": e.reasonCode ?? "",
                 "reason_text": e.reasonCode.map(reasonText) ?? "", "has_reason": e.reasonCode != nil]
            },
            "counts": counts.outcomes.map { ["label": localization.text("action_\($0.0)", language), "count": $0.1] as [String: Any] }
                + counts.reasons.map { ["label": reasonText($0.0), "count": $0.1] as [String: Any] },
        ])
    }

    func moderationLogData(_ request: Request, _ context: Context, csv: Bool) async throws -> Response {
        let room = try await hearings.sitting(try http.sittingID(context))
        let entries = try await hearings.store.moderationLog(of: room.sitting.id)
        let headers: HTTPFields = [.accessControlAllowOrigin: "*", .cacheControl: "public, max-age=5"]
        if csv {
            let rows = entries.map { e in
                [e.at.iso8601, "\(e.questionID)", e.action, e.state, e.reasonCode ?? "",
                 e.reasonCode.map { code in hearings.reasons.first { $0.code == code }?.text(in: hearings.language) ?? code } ?? "",
                 e.mergedInto.map { "\($0)" } ?? ""]
            }
            var fields = headers
            fields[.contentType] = "text/csv; charset=utf-8"
            fields[.contentDisposition] = "attachment; filename=\"sitting-\(room.sitting.id)-moderation-log.csv\""
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: .init(string: CSV.document(
                header: ["time", "question_id", "action", "state", "reason_code", "reason", "merged_into"], rows: rows))))
        }
        let counts = logCounts(entries)
        return Response.json(.object([
            ("sitting_id", .int(room.sitting.id.rawValue)),
            ("entries", .array(entries.map { HearingJSON.logEntry($0, reasons: hearings.reasons, language: hearings.language) })),
            ("counts", .object([
                ("by_action", .object(counts.outcomes.map { ($0.0, .int(Int64($0.1))) })),
                ("by_reason", .object(counts.reasons.map { ($0.0, .int(Int64($0.1))) })),
            ])),
        ]), headers: headers)
    }

    // MARK: - Record and chapters

    /// The published record: the questions the public saw, in the order they were asked. A duplicate merged into a
    /// published question is there only as an id in the survivor's `merged_from`, unless it had been published itself
    /// before the merge: its own text, name and region were never moderated for publication.
    /// - Parameter log: the sitting's public moderation log, which tells which questions were ever published.
    private func recordQuestions(_ room: SittingRoom, log: [ModerationLogEntry]) -> [Question] {
        let everPublished = Set(log.filter { $0.action == "approve" || $0.action == "published" }.map(\.questionID))
        return room.board.questions.values.filter { q in
            if q.isPublished { return true }
            if case .merged(let into) = q.state { return room.board[into]?.isPublished == true && everPublished.contains(q.id) }
            return false
        }.sorted { $0.id < $1.id }
    }

    func record(_ request: Request, _ context: Context, csv: Bool) async throws -> Response {
        let room = try await hearings.sitting(try http.sittingID(context))
        let questions = recordQuestions(room, log: try await hearings.store.moderationLog(of: room.sitting.id))
        let headers: HTTPFields = [.accessControlAllowOrigin: "*", .cacheControl: "public, max-age=5"]
        func offset(_ q: Question) -> Int? { if case .answered(let s) = q.state { s } else { nil } }
        if csv {
            let rows = questions.map { q in
                ["\(q.id)", q.text, q.state.label, "\(q.votes)", q.name ?? "", q.region ?? "", q.tag ?? "", q.submittedAt.iso8601,
                 q.answeredAt?.iso8601 ?? "", offset(q).map { "\($0)" } ?? "", offset(q).map(SittingPageContext.streamTime) ?? "",
                 { if case .merged(let into) = q.state { "\(into)" } else { "" } }(), q.mergedFrom.map { "\($0)" }.joined(separator: " ")]
            }
            var fields = headers
            fields[.contentType] = "text/csv; charset=utf-8"
            fields[.contentDisposition] = "attachment; filename=\"sitting-\(room.sitting.id)-record.csv\""
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: .init(string: CSV.document(
                header: ["id", "text", "state", "votes", "name", "region", "directed_to", "submitted_at", "answered_at", "answered_offset_seconds",
                         "stream_time", "merged_into", "merged_from"], rows: rows))))
        }
        return Response.json(.object([
            ("sitting", HearingJSON.sitting(room.sitting, board: room.board)),
            ("questions", .array(questions.map { q in
                HearingJSON.question(q, reasons: hearings.reasons, language: hearings.language)
                    .setting("directed_to", to: HearingJSON.string(q.tag))
                    .setting("stream_time", to: offset(q).map { .string(SittingPageContext.streamTime($0)) } ?? .null)
            })),
            ("chapters", .array(chapterList(room).map { .object([("offset_seconds", .int(Int64($0.0))), ("title", .string($0.1))]) })),
        ]), headers: headers)
    }

    /// The record as a page: the sitting, its chapters (as in chapters.txt) and the published questions in the order
    /// they were asked, with links to the JSON and CSV.
    @Sendable func recordPage(_ request: Request, context: Context) async throws -> Response {
        let room = try await hearings.sitting(try http.sittingID(context))
        let questions = recordQuestions(room, log: try await hearings.store.moderationLog(of: room.sitting.id))
        let language = localization.language(for: request)
        let chapters = chapterList(room)
        return render(request, "record", title: "\(localization.text("record_page_title", language)): \(room.sitting.title)", [
            "sitting": SittingPageContext.sitting(room.sitting, language: language, localization: localization),
            "chapters": chapters.map { ["offset": "PT\($0.0)S", "time": SittingPageContext.streamTime($0.0), "title": $0.1] },
            "has_chapters": !chapters.isEmpty,
            "questions": questions.map { q -> [String: Any] in
                var item = SittingPageContext.question(q, language: language, localization: localization)
                // Absent rather than "" (an empty string does not hide a Mustache section).
                if q.region?.isEmpty ?? true { item["region"] = nil }
                if q.tag?.isEmpty ?? true { item["tag"] = nil }
                if case .answered(let seconds?) = q.state {
                    item["answered_time"] = SittingPageContext.streamTime(seconds)
                    item["answered_offset"] = "PT\(seconds)S"
                }
                if case .merged(let into) = q.state { item["merged_into"] = "\(into)" }
                return item
            },
            "has_questions": !questions.isEmpty,
        ])
    }

    private func chapterList(_ room: SittingRoom) -> [(Int, String)] {
        let answered = room.board.questions.values.compactMap { q -> (Int, String)? in
            guard case .answered(let seconds?) = q.state else { return nil }
            let text = q.text.count > 90 ? String(q.text.prefix(89)) + "…" : q.text
            return (seconds, text)
        }.sorted { $0.0 < $1.0 }
        guard !answered.isEmpty else { return [] }
        return [(0, room.sitting.title)] + answered
    }

    /// Chapters as video platforms take them in a description: `0:00 Title`, one per line, the first at 0:00.
    @Sendable func chapters(_ request: Request, context: Context) async throws -> Response {
        let room = try await hearings.sitting(try http.sittingID(context))
        let text = chapterList(room).map { "\(SittingPageContext.streamTime($0.0)) \($0.1.replacingOccurrences(of: "\n", with: " "))" }.joined(separator: "\n")
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .accessControlAllowOrigin: "*"],
                        body: .init(byteBuffer: .init(string: text.isEmpty ? "" : text + "\n")))
    }
}
