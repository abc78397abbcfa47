import Foundation
import Histogram
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// `crash` (Hemicycle only): writers at full speed (signers, participants asking, a moderator approving or
/// rejecting each question as soon as it is acknowledged, participants voting on the approved ones) while N viewers
/// watch the petition; at a random moment the server gets SIGKILL, and the scenario starts it again with the same
/// command line (the same data directory or database). `--kills` times. After each restart:
///
/// - the viewers come back on their own with the web client's backoff (`ReconnectBackoff`): the time from the
///   restart to every viewer subscribed again, and whether each got a fresh snapshot (a new epoch) or resumed, and
///   whether the snapshots carry the stored count;
/// - writes in doubt (sent, never answered) are settled (`CrashLedger`), every signature acknowledged since the last
///   check is signed again and must be refused as a duplicate, and everything acknowledged since the first start is
///   compared with the public views and open data: `count.json` and the counted rows of `integrity.json`, the
///   moderator's list of questions (text, state, votes), the public moderation log, the sitting's per-state counts,
///   each voter's `voted` flags.
///
/// Reports acknowledged writes lost (the target is 0), duplicated, counts unequal to their rows, and the restart
/// times. The server's command comes after `--`; staff accounts (a clerk and a moderator of the sitting, one
/// password) must exist: `LoadTests/compare` creates them.
public struct CrashScenario: Sendable {
    public var kills: Int
    /// The writers run a random time in `[minSeconds, maxSeconds]` before each kill.
    public var minSeconds: Double
    public var maxSeconds: Double
    public var signers: Int
    public var askers: Int
    public var voters: Int
    public var sitting: Int
    public var moderatorEmail: String
    public var clerkEmail: String
    public var password: String
    public var seed: UInt64
    public var backoff: ReconnectBackoff
    public var server: [String]
    public var serverLog: String?
    /// The longest wait for every viewer to be back after a restart.
    public var rejoinTimeoutSeconds: Double

    public init(
        kills: Int, minSeconds: Double, maxSeconds: Double, signers: Int, askers: Int, voters: Int, sitting: Int,
        moderatorEmail: String, clerkEmail: String, password: String, seed: UInt64, backoff: ReconnectBackoff,
        server: [String], serverLog: String?, rejoinTimeoutSeconds: Double = 120
    ) {
        self.kills = kills
        self.minSeconds = minSeconds
        self.maxSeconds = max(minSeconds, maxSeconds)
        self.signers = signers
        self.askers = askers
        self.voters = voters
        self.sitting = sitting
        self.moderatorEmail = moderatorEmail
        self.clerkEmail = clerkEmail
        self.password = password
        self.seed = seed
        self.backoff = backoff
        self.server = server
        self.serverLog = serverLog
        self.rejoinTimeoutSeconds = rejoinTimeoutSeconds
    }

    public enum Failure: Error, CustomStringConvertible {
        case setup(String)
        case check(String)

        public var description: String {
            switch self {
            case .setup(let why): "crash: \(why)"
            case .check(let why): "crash: \(why)"
            }
        }
    }

    /// The clients every round uses: session and participant cookies (the server keeps them across restarts).
    struct Clients: Sendable {
        var moderator: String
        var askers: [String]
        var voters: [String]
        var rejectReason: String
    }

    /// What the writers did in one round.
    struct RoundCounts: Sendable {
        var signatures = 0, questions = 0, moderations = 0, votes = 0, refused = 0, inDoubt = 0
        var refusals: [Int: Int] = [:]

        mutating func add(_ other: RoundCounts) {
            signatures += other.signatures
            questions += other.questions
            moderations += other.moderations
            votes += other.votes
            refused += other.refused
            inDoubt += other.inDoubt
            for (status, count) in other.refusals { refusals[status, default: 0] += count }
        }

        mutating func refuse(_ status: Int) {
            refused += 1
            refusals[status, default: 0] += 1
        }
    }

    public func run(_ options: ScenarioOptions) async throws -> Report {
        guard options.kind == .hemicycle else { throw Failure.setup("only Hemicycle stores writes") }
        let process = try ServerProcess(command: server, logPath: serverLog)
        let run = try ScenarioRun(options: options)
        var report = Report(scenario: "crash", label: options.label, parameters: options.baseParameters)
        report.parameters["kills"] = String(kills)
        report.parameters["seconds"] = "\(Report.format(minSeconds))-\(Report.format(maxSeconds))"
        report.parameters["writers"] = "\(signers) signers, \(askers) askers, \(voters) voters"
        report.parameters["backoff"] = "\(Report.format(backoff.baseMs))-\(Report.format(backoff.capMs)) ms"
        report.parameters["seed"] = String(seed)
        var random = SplitMix64(seed: seed)
        let runID = String(seed, radix: 36) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        defer { process.stop() }

        try process.start()
        _ = try await process.waitReady(host: options.host, port: options.port, group: run.group)
        let clients = try await setUp(run)
        _ = try await run.connectViewers(reporting: &report, rejoin: backoff)
        try await run.clearLogs()

        let ledger = NIOLockedValueBox(CrashLedger())
        var cursors = [Int](repeating: 0, count: voters)
        var totals = RoundCounts()
        var verdict = CrashLedger.Verdict()
        var writingSeconds = 0.0
        var toReady: [Double] = [], allBack: [Double] = []
        var perViewer = LatencySummary.makeHistogram()
        var snapshots = 0, resumed = 0, notBack = 0, staleSnapshots = 0
        var settled = (stored: 0, notStored: 0)

        for kill in 1...max(1, kills) {
            // 1. Writers at full speed, until the kill.
            let stop = NIOLockedValueBox(false)
            let cursorsBox = NIOLockedValueBox(cursors)
            let writerSeed = random.next()
            let writers = Task { await self.write(run, clients, ledger, stop, cursorsBox, kill: kill, runID: runID, seed: writerSeed) }
            let seconds = minSeconds + (maxSeconds - minSeconds) * random.nextUnit()
            try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            process.kill()
            stop.withLockedValue { $0 = true }
            let counts = await writers.value
            cursors = cursorsBox.withLockedValue { $0 }
            totals.add(counts)
            writingSeconds += seconds

            // 2. Restart on the same data; every viewer comes back on its own.
            let restartAt = try process.start()
            let readyAt = try await process.waitReady(host: options.host, port: options.port, group: run.group)
            toReady.append(Double(readyAt - restartAt) / 1e9)
            let events = try await run.pool!.ask(
                WorkerCommand("rejoined", value: Int64(restartAt), timeoutMs: Int(rejoinTimeoutSeconds * 1000)), expecting: "rejoined")
            let times = events.flatMap { $0.times ?? [] }
            for time in times { perViewer.record(UInt64(time * 1000)) }
            allBack.append((times.max() ?? 0) / 1000)
            notBack += events.compactMap(\.behind).reduce(0, +)
            let backWithSnapshot = events.compactMap(\.count).reduce(0, +)
            snapshots += backWithSnapshot
            resumed += events.compactMap(\.resumed).reduce(0, +)
            // Nothing was written since the restart: a snapshot must carry the stored count, no less.
            let stored = try await count(run)
            let low = events.compactMap(\.low).min(), high = events.compactMap(\.high).max()
            if backWithSnapshot > 0, low != stored || high != stored {
                staleSnapshots += 1
                verdict.note("kill \(kill): viewers' snapshots \(low ?? -1)…\(high ?? -1), count.json \(stored)")
            }
            let highest = ledger.withLockedValue { $0.highestCount }
            if stored < highest {
                verdict.lost += Int(highest - stored)
                verdict.note("kill \(kill): count.json \(stored) below an acknowledged signature_count \(highest)")
            }

            // 3. Settle what is in doubt, check each new signature, compare everything with what the server shows.
            let (stored1, notStored1, recheck) = try await settle(run, clients, ledger)
            settled.stored += stored1
            settled.notStored += notStored1
            verdict.add(recheck)
            let observation = try await observe(run, clients)
            let round = ledger.withLockedValue { ledger -> CrashLedger.Verdict in
                var found = ledger.resolve(with: observation)
                found.add(ledger.verify(observation))
                return found
            }
            verdict.add(round)
            try await run.clearLogs()
            let acknowledged = ledger.withLockedValue { $0.acknowledged }
            FileHandle.standardError.write(Data((
                "crash: kill \(kill)/\(kills) after \(Report.format(seconds)) s: \(acknowledged) acknowledged so far, "
                + "ready in \(Report.format(toReady.last ?? 0)) s, every viewer back in \(Report.format(allBack.last ?? 0)) s, "
                + "lost \(verdict.lost), duplicated \(verdict.duplicated), mismatched \(verdict.mismatched)\n").utf8))
        }

        let final = ledger.withLockedValue { $0 }
        report.add("kills", Double(max(1, kills)))
        report.add("acknowledged writes", Double(final.acknowledged))
        report.add("acknowledged signatures", Double(final.signatures.count))
        report.add("acknowledged questions", Double(final.questions.count))
        report.add("acknowledged moderation actions", Double(final.moderated.count))
        report.add("acknowledged votes", Double(final.votes.count))
        report.add("acknowledged writes lost", Double(verdict.lost))
        report.add("writes duplicated", Double(verdict.duplicated))
        report.add("counts unequal to rows", Double(verdict.mismatched))
        report.add("writes in doubt", Double(totals.inDoubt))
        report.add("in doubt, found stored", Double(settled.stored))
        report.add("in doubt, not stored", Double(settled.notStored))
        report.add("refused", Double(totals.refused))
        report.add("durable signatures per second", Double(totals.signatures) / max(writingSeconds, 0.001), "/s")
        report.add("questions per second", Double(totals.questions) / max(writingSeconds, 0.001), "/s")
        report.add("votes per second", Double(totals.votes) / max(writingSeconds, 0.001), "/s")
        report.add("restart to ready median", median(toReady), "s")
        report.add("restart to ready max", toReady.max() ?? 0, "s")
        report.add("restart to every viewer back median", median(allBack), "s")
        report.add("restart to every viewer back max", allBack.max() ?? 0, "s")
        report.add("restart to a viewer back", LatencySummary(perViewer))
        report.add("viewers back with a snapshot", Double(snapshots))
        report.add("viewers resumed from the history", Double(resumed))
        report.add("viewers not back", Double(notBack))
        report.add("kills with a snapshot unequal to the stored count", Double(staleSnapshots))
        report.notes.append("restart to ready, per kill (s): " + toReady.map { Report.format($0) }.joined(separator: " "))
        report.notes.append("restart to every viewer back, per kill (s): " + allBack.map { Report.format($0) }.joined(separator: " "))
        if !totals.refusals.isEmpty {
            report.notes.append("refused by status: " + totals.refusals.sorted { $0.key < $1.key }.map { "\($0.key)x\($0.value)" }.joined(separator: " "))
        }
        for problem in verdict.problems { report.notes.append("found: " + problem) }
        let end = try await run.pool!.stats()
        run.addFleet(end, to: &report, at: "end")
        await run.finish()
        return report
    }

    // MARK: - Set-up

    private func logIn(_ http: HTTPConnection, _ email: String) async throws -> String {
        try await http.staffLogin(email: email, password: password) { Failure.setup($0) }
    }

    /// Raises the sitting's limits (every writer is one machine), logs the moderator in, and gets the participants.
    private func setUp(_ run: ScenarioRun) async throws -> Clients {
        let http = try await HTTPConnection.connect(host: run.options.host, port: run.options.port, group: run.group)
        defer { Task { await http.close() } }
        let clerk = try await logIn(http, clerkEmail)
        let patch = try await http.request(
            .PATCH, "/api/v1/sittings/\(sitting)",
            json: #"{"settings":{"ip_questions_per_minute":100000,"ip_votes_per_second":100000,"questions_per_minute":600,"votes_per_second":100,"votes_per_address":100000}}"#,
            cookie: clerk)
        guard patch.status == 200 else { throw Failure.setup("raising the sitting's limits answered \(patch.status): \(patch.body)") }
        let moderator = try await logIn(http, moderatorEmail)
        let reasons = try await http.request(.GET, "/api/v1/reject-reasons")
        guard let reason = (Self.object(reasons.body)?["reasons"] as? [[String: Any]])?.first?["code"] as? String else {
            throw Failure.setup("no reject reason (\(reasons.status))")
        }
        var participants: [String] = []
        for _ in 0..<(askers + voters) {
            let page = try await http.request(.GET, "/sittings/\(sitting)")
            guard page.status == 200, page.cookies.contains("hc_participant=") else {
                throw Failure.setup("the sitting page gave no participant (\(page.status)); raise --participants-per-address")
            }
            participants.append(page.cookies)
        }
        return Clients(moderator: moderator, askers: Array(participants.prefix(askers)),
                       voters: Array(participants.suffix(voters)), rejectReason: reason)
    }

    // MARK: - Writers

    /// Runs every writer until the server dies (or `stop`): each stops at its first request without an answer, which
    /// it records as in doubt.
    private func write(
        _ run: ScenarioRun, _ clients: Clients, _ ledger: NIOLockedValueBox<CrashLedger>, _ stop: NIOLockedValueBox<Bool>,
        _ cursors: NIOLockedValueBox<[Int]>, kill: Int, runID: String, seed: UInt64
    ) async -> RoundCounts {
        let options = run.options
        let petitionPath = "/api/v1/petitions/\(options.petition)/signatures"
        return await withTaskGroup(of: RoundCounts.self) { group in
            for signer in 0..<signers {
                group.addTask {
                    var counts = RoundCounts()
                    guard let http = try? await HTTPConnection.connect(host: options.host, port: options.port, group: run.group) else { return counts }
                    var n = 0
                    while !stop.withLockedValue({ $0 }) {
                        n += 1
                        let email = "crash-\(runID)-k\(kill)-s\(signer)-\(n)@example.org", name = "Crash \(signer) \(n)"
                        let postcode = Triggerer.samplePostcodes[n % Triggerer.samplePostcodes.count]
                        let body = #"{"name":"\#(name)","email":"\#(email)","postcode":"\#(postcode)"}"#
                        guard let response = try? await http.request(.POST, petitionPath, json: body) else {
                            ledger.withLockedValue { $0.signatureInDoubt(email: email, name: name) }
                            counts.inDoubt += 1
                            break
                        }
                        if response.status == 201 {
                            let count = response.body.utf8.withContiguousStorageIfAvailable { FrameScan.count(in: UnsafeRawBufferPointer($0)) } ?? nil
                            ledger.withLockedValue { $0.signatureAcknowledged(email: email, name: name, count: count) }
                            counts.signatures += 1
                        } else {
                            counts.refuse(response.status)
                            if response.status == 429 { try? await Task.sleep(nanoseconds: 50_000_000) }
                        }
                    }
                    await http.close()
                    return counts
                }
            }
            for asker in 0..<askers {
                let cookie = clients.askers[asker]
                group.addTask {
                    var counts = RoundCounts()
                    var random = SplitMix64(seed: seed &+ UInt64(asker))
                    guard let http = try? await HTTPConnection.connect(host: options.host, port: options.port, group: run.group),
                        let staff = try? await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
                    else { return counts }
                    var n = 0
                    while !stop.withLockedValue({ $0 }) {
                        n += 1
                        let text = "Crash \(runID) kill \(kill) asker \(asker) question \(n): will the committee publish its findings?"
                        guard let asked = try? await http.request(.POST, "/api/v1/sittings/\(sitting)/questions", json: #"{"text":"\#(text)"}"#, cookie: cookie) else {
                            ledger.withLockedValue { $0.questionInDoubt(text: text) }
                            counts.inDoubt += 1
                            break
                        }
                        guard asked.status == 201, let id = QuestionsScenario.id(in: asked.body) else {
                            counts.refuse(asked.status)
                            if asked.status == 429 { try? await Task.sleep(nanoseconds: 100_000_000) }
                            continue
                        }
                        let state = (Self.object(asked.body)?["state"] as? String) ?? "submitted"
                        ledger.withLockedValue { $0.questionAcknowledged(id: id, text: text, state: state) }
                        counts.questions += 1
                        guard state == "submitted" else { continue }
                        // The moderator decides at once: three in four approved, the others rejected.
                        let approve = random.nextUnit() < 0.75
                        let target = approve ? "approved" : "rejected"
                        let body = approve ? #"{"action":"approve"}"# : #"{"action":"reject","reason":"\#(clients.rejectReason)"}"#
                        guard let moderated = try? await staff.request(.POST, "/api/v1/questions/\(id)/moderation", json: body, cookie: clients.moderator) else {
                            ledger.withLockedValue { $0.moderationInDoubt(question: id, state: target) }
                            counts.inDoubt += 1
                            break
                        }
                        if moderated.status == 200 {
                            ledger.withLockedValue { $0.moderationAcknowledged(question: id, state: target) }
                            counts.moderations += 1
                        } else {
                            counts.refuse(moderated.status)
                        }
                    }
                    await http.close()
                    await staff.close()
                    return counts
                }
            }
            for voter in 0..<voters {
                let cookie = clients.voters[voter]
                group.addTask {
                    var counts = RoundCounts()
                    guard let http = try? await HTTPConnection.connect(host: options.host, port: options.port, group: run.group) else { return counts }
                    var cursor = cursors.withLockedValue { $0[voter] }
                    while !stop.withLockedValue({ $0 }) {
                        guard let question = ledger.withLockedValue({ $0.nextToVote(voter: voter, cursor: &cursor) }) else {
                            try? await Task.sleep(nanoseconds: 2_000_000)
                            continue
                        }
                        let vote = CrashLedger.Vote(voter: voter, question: question)
                        guard let answer = try? await http.request(.POST, "/api/v1/questions/\(question)/vote", json: "{}", cookie: cookie) else {
                            ledger.withLockedValue { $0.voteInDoubt(vote) }
                            counts.inDoubt += 1
                            break
                        }
                        if answer.status == 200 {
                            ledger.withLockedValue { $0.voteAcknowledged(vote) }
                            counts.votes += 1
                        } else {
                            counts.refuse(answer.status)
                            if answer.status == 429 { try? await Task.sleep(nanoseconds: 50_000_000) }
                        }
                    }
                    cursors.withLockedValue { $0[voter] = cursor }
                    await http.close()
                    return counts
                }
            }
            var total = RoundCounts()
            for await counts in group { total.add(counts) }
            return total
        }
    }

    // MARK: - After a restart

    /// Sends the signatures and votes in doubt again (a 201/200 says the first was not stored, a 409 duplicate that
    /// it was: either way it is now acknowledged), then signs every signature acknowledged since the last check again:
    /// each must be refused as a duplicate (a 201 means it had been lost).
    private func settle(_ run: ScenarioRun, _ clients: Clients, _ ledger: NIOLockedValueBox<CrashLedger>) async throws
        -> (stored: Int, notStored: Int, verdict: CrashLedger.Verdict)
    {
        let options = run.options
        let path = "/api/v1/petitions/\(options.petition)/signatures"
        let (signaturesInDoubt, votesInDoubt) = ledger.withLockedValue { ($0.takeSignaturesInDoubt(), $0.takeVotesInDoubt()) }
        let http = try await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
        defer { Task { await http.close() } }
        var stored = 0, notStored = 0
        var verdict = CrashLedger.Verdict()
        for (email, name) in signaturesInDoubt {
            let answer = try await http.request(.POST, path, json: #"{"name":"\#(name)","email":"\#(email)"}"#)
            if answer.status == 201 || (answer.status == 409 && answer.body.contains("duplicate_signature")) {
                if answer.status == 201 { notStored += 1 } else { stored += 1 }
                let count = answer.status == 201 ? answer.body.utf8.withContiguousStorageIfAvailable { FrameScan.count(in: UnsafeRawBufferPointer($0)) } ?? nil : nil
                ledger.withLockedValue { $0.signatureAcknowledged(email: email, name: name, count: count) }
            } else {
                throw Failure.check("a signature in doubt, sent again, answered \(answer.status): \(answer.body)")
            }
        }
        for vote in votesInDoubt {
            let answer = try await http.request(.POST, "/api/v1/questions/\(vote.question)/vote", json: "{}", cookie: clients.voters[vote.voter])
            if answer.status == 200 || (answer.status == 409 && answer.body.contains("already_voted")) {
                if answer.status == 200 { notStored += 1 } else { stored += 1 }
                ledger.withLockedValue { $0.voteAcknowledged(vote) }
            } else {
                throw Failure.check("a vote in doubt, sent again, answered \(answer.status): \(answer.body)")
            }
        }
        // One by one, on a few connections side by side (pipelined per connection).
        let recheck = ledger.withLockedValue { $0.takeSignaturesToRecheck() }
        let lanes = max(1, min(signers, 16))
        let outcomes = try await withThrowingTaskGroup(of: [Int].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    let connection = try await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
                    var futures: [EventLoopFuture<HTTPConnection.Response>] = []
                    for index in stride(from: lane, to: recheck.count, by: lanes) {
                        let (email, name) = recheck[index]
                        futures.append(connection.start(.POST, path, json: #"{"name":"\#(name)","email":"\#(email)"}"#))
                        if futures.count >= 64 { break }
                    }
                    var statuses: [Int] = []
                    var next = lane + futures.count * lanes
                    while !futures.isEmpty {
                        let answer = try await futures.removeFirst().get()
                        statuses.append(answer.status == 409 && answer.body.contains("duplicate_signature") ? 409 : answer.status)
                        if next < recheck.count {
                            let (email, name) = recheck[next]
                            futures.append(connection.start(.POST, path, json: #"{"name":"\#(name)","email":"\#(email)"}"#))
                            next += lanes
                        }
                    }
                    await connection.close()
                    return statuses
                }
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        for status in outcomes where status != 409 {
            if status == 201 {
                verdict.lost += 1
                verdict.note("an acknowledged signature was not there: signed again, it answered 201")
            } else {
                verdict.note("an acknowledged signature, signed again, answered \(status)")
                verdict.mismatched += 1
            }
        }
        return (stored, notStored, verdict)
    }

    private func count(_ run: ScenarioRun) async throws -> Int64 {
        try SignSpikeScenario.count(try await run.get("/petitions/\(run.options.petition)/count.json"))
    }

    /// Reads what the restarted server shows.
    private func observe(_ run: ScenarioRun, _ clients: Clients) async throws -> CrashLedger.Observation {
        let options = run.options
        let http = try await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
        defer { Task { await http.close() } }
        func json(_ path: String, cookie: String? = nil) async throws -> [String: Any] {
            let answer = try await http.request(.GET, path, cookie: cookie)
            guard answer.status == 200, let object = Self.object(answer.body) else {
                throw Failure.check("GET \(path) answered \(answer.status): \(answer.body.prefix(200))")
            }
            return object
        }
        let countJSON = try await json("/petitions/\(options.petition)/count.json")
        let integrity = try await json("/petitions/\(options.petition)/integrity.json")
        let staffList = try await json("/api/v1/sittings/\(sitting)/questions", cookie: clients.moderator)
        let log = try await json("/sittings/\(sitting)/moderation-log.json")
        let sitting = try await json("/api/v1/sittings/\(self.sitting)")
        var questions: [Int64: CrashLedger.ObservedQuestion] = [:]
        for item in staffList["questions"] as? [[String: Any]] ?? [] {
            guard let id = Self.int(item["id"]) else { continue }
            questions[id] = .init(text: item["text"] as? String ?? "", state: item["state"] as? String ?? "", votes: Int(Self.int(item["votes"]) ?? 0))
        }
        var entries: [Int64: Int] = [:]
        for entry in log["entries"] as? [[String: Any]] ?? [] {
            if let id = Self.int(entry["question_id"]) { entries[id, default: 0] += 1 }
        }
        var counts: [String: Int] = [:]
        for (state, value) in sitting["counts"] as? [String: Any] ?? [:] { counts[state] = Int(Self.int(value) ?? 0) }
        var votedBy: [Int: Set<Int64>] = [:]
        for (voter, cookie) in clients.voters.enumerated() {
            let list = try await json("/api/v1/sittings/\(self.sitting)/questions", cookie: cookie)
            votedBy[voter] = Set((list["questions"] as? [[String: Any]] ?? []).compactMap { item in
                Self.bool(item["voted"]) ? Self.int(item["id"]) : nil
            })
        }
        let now = integrity["now"] as? [String: Any] ?? [:]
        return .init(
            signatureCount: Self.int(countJSON["signature_count"]) ?? -1, countedRows: Self.int(now["counted"]) ?? -1,
            questions: questions, logEntries: entries, sittingCounts: counts, votedBy: votedBy)
    }

    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    static func bool(_ value: Any?) -> Bool {
        switch value {
        case let flag as Bool: flag
        case let number as NSNumber: number.boolValue
        default: false
        }
    }

    static func int(_ value: Any?) -> Int64? {
        switch value {
        case let number as NSNumber: number.int64Value
        case let int as Int: Int64(int)
        default: nil
        }
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// A small seeded generator (SplitMix64), so that a run's kill moments and moderation choices follow `--seed`.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `[0, 1)`.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
