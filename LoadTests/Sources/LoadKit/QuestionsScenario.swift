import Foundation
import Histogram
import NIOCore
import NIOHTTP1
import Synchronization

/// `questions`: N viewers on a sitting, M moderators watching its moderation queue; questions are submitted at a
/// fixed rate (open loop) and each is approved as soon as its submission is acknowledged. Reports the delay from
/// submission to every moderator's screen, and from approval to every viewer (Hemicycle only: the peers have no
/// hearings).
///
/// Staff accounts must exist: `moderator1@…` to `moderatorM@…` (moderators of the sitting) and a clerk, all with
/// the same password (`LoadTests/questions-bench` creates them with `hemicycle staff add`).
public struct QuestionsScenario: Sendable {
    public var sitting: Int
    public var rate: Double
    public var seconds: Double
    public var moderators: Int
    /// `moderator%d@load.test`: `%d` becomes 1…M.
    public var moderatorEmail: String
    public var clerkEmail: String
    public var password: String

    public init(sitting: Int, rate: Double, seconds: Double, moderators: Int, moderatorEmail: String, clerkEmail: String, password: String) {
        self.sitting = sitting
        self.rate = rate
        self.seconds = seconds
        self.moderators = moderators
        self.moderatorEmail = moderatorEmail
        self.clerkEmail = clerkEmail
        self.password = password
    }

    public enum Failure: Error, CustomStringConvertible {
        case setup(String)
        public var description: String {
            switch self {
            case .setup(let why): "questions: \(why)"
            }
        }
    }

    /// One question's timeline (monotonic nanoseconds).
    struct Timeline: Sendable {
        var submittedAt: UInt64
        var id: Int64 = 0
        var approveSentAt: UInt64 = 0
        var approvedAt: UInt64 = 0
        var failed: String?
    }

    func logIn(_ http: HTTPConnection, _ email: String) async throws -> String {
        try await http.staffLogin(email: email, password: password) { Failure.setup($0) }
    }

    public func run(_ baseOptions: ScenarioOptions) async throws -> Report {
        guard baseOptions.kind == .hemicycle else { throw Failure.setup("only Hemicycle has hearings") }
        var options = baseOptions
        options.sitting = sitting
        let run = try ScenarioRun(options: options)
        var report = Report(scenario: "questions", label: options.label, parameters: options.baseParameters)
        report.parameters["rate"] = Report.format(rate)
        report.parameters["seconds"] = Report.format(seconds)
        report.parameters["moderators"] = String(moderators)

        // Set-up: all questions come from the generator's one address, so the per-address limit is raised, and so is
        // the per-participant one (600 a minute, the most a sitting allows).
        let setup = try await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
        let clerk = try await logIn(setup, clerkEmail)
        let patch = try await setup.request(
            .PATCH, "/api/v1/sittings/\(sitting)",
            json: #"{"settings":{"ip_questions_per_minute":100000,"ip_votes_per_second":100000,"questions_per_minute":600}}"#, cookie: clerk)
        guard patch.status == 200 else { throw Failure.setup("raising the limits answered \(patch.status): \(patch.body)") }
        // Asking needs a participant, which a visit to the sitting's page issues (and the server limits per address):
        // one per 10 questions a second, taking turns, each well within its 600 a minute.
        var participants: [String] = []
        for _ in 0..<max(1, min(50, Int((rate / 10).rounded(.up)))) {
            let page = try await setup.request(.GET, "/sittings/\(sitting)")
            guard page.status == 200, page.cookies.contains("hc_participant=") else {
                throw Failure.setup("the sitting page gave no participant (\(page.status)); raise --participants-per-address")
            }
            participants.append(page.cookies)
        }
        var cookies: [String] = []
        for n in 1...max(1, moderators) { cookies.append(try await logIn(setup, moderatorEmail.replacingOccurrences(of: "%d", with: String(n)))) }
        await setup.close()
        var watchers: [StaffWatcher] = []
        for cookie in cookies {
            watchers.append(try await StaffWatcher.connect(host: options.host, port: options.port, cookie: cookie, sitting: sitting, group: run.group))
        }
        _ = try await run.connectViewers(reporting: &report)
        try await run.clearLogs()

        // Submit on one connection, approve on another (the first moderator's), both pipelined: each approval is
        // sent when its submission is acknowledged, so approvals reach the server in id order.
        let submitter = try await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
        let approver = try await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
        let approverCookie = cookies[0]
        let total = Int((rate * seconds).rounded())
        let timelines = Mutex<[Timeline]>([])
        var done: [EventLoopFuture<Void>] = []
        let start = MonotonicClock.nanos()
        for index in 0..<total {
            let due = start + UInt64(Double(index) / rate * 1e9)
            let now = MonotonicClock.nanos()
            if due > now { try await Task.sleep(nanoseconds: due - now) }
            let sentAt = MonotonicClock.nanos()
            timelines.withLock { $0.append(Timeline(submittedAt: sentAt)) }
            let text = "Load question \(index): will the committee publish its findings before the recess?"
            let future = submitter.start(
                .POST, "/api/v1/sittings/\(sitting)/questions", json: #"{"text":"\#(text)"}"#, cookie: participants[index % participants.count])
                .flatMap { response -> EventLoopFuture<Void> in
                    guard response.status == 201, let id = Self.id(in: response.body) else {
                        timelines.withLock { $0[index].failed = "submit \(response.status)" }
                        return submitter.eventLoopSucceeded()
                    }
                    let approveSentAt = MonotonicClock.nanos()
                    timelines.withLock { $0[index].id = id; $0[index].approveSentAt = approveSentAt }
                    return approver.start(.POST, "/api/v1/questions/\(id)/moderation", json: #"{"action":"approve"}"#, cookie: approverCookie)
                        .map { approval in
                            let at = MonotonicClock.nanos()
                            timelines.withLock {
                                if approval.status == 200 { $0[index].approvedAt = at } else { $0[index].failed = "approve \(approval.status)" }
                            }
                        }
                }
            done.append(future)
        }
        for future in done { try? await future.get() }
        let submitSeconds = Double(MonotonicClock.nanos() - start) / 1e9
        let lines = timelines.withLock { $0 }
        let approved = lines.filter { $0.approvedAt > 0 }
        if let last = approved.map(\.id).max() { try await run.awaitViewers(last) }
        // Moderators' screens get the submission before the 201 is even read; give the last ones a moment.
        try await Task.sleep(for: .milliseconds(500))

        var toModerators = LatencySummary.makeHistogram()
        var moderatorMisses = 0
        for watcher in watchers {
            let arrivals = watcher.arrivals
            for line in lines where line.id > 0 {
                guard let at = arrivals[line.id] else { moderatorMisses += 1; continue }
                toModerators.record(at > line.submittedAt ? (at - line.submittedAt) / 1000 : 0)
            }
        }
        var acks = LatencySummary.makeHistogram(), approvals = LatencySummary.makeHistogram()
        for line in approved {
            acks.record(((line.approveSentAt > line.submittedAt ? line.approveSentAt - line.submittedAt : 0)) / 1000)
            approvals.record((line.approvedAt - line.approveSentAt) / 1000)
        }
        let (logs, stats) = try await run.frameLogs()
        let fromApproval = DeliveryAnalysis(logs: logs, triggers: approved.map { .init(sentAt: $0.approveSentAt, value: $0.id) })
        let fromApprovalAck = DeliveryAnalysis(logs: logs, triggers: approved.map { .init(sentAt: $0.approvedAt, value: $0.id) })

        report.add("questions submitted", Double(lines.count))
        report.add("questions submitted per second", Double(lines.count) / max(submitSeconds, 0.001), "/s")
        report.add("questions approved", Double(approved.count))
        report.add("submit ack", LatencySummary(acks))
        report.add("submission to moderators", LatencySummary(toModerators))
        report.add("moderator screens missed", Double(moderatorMisses))
        report.add("approve ack", LatencySummary(approvals))
        report.add("approval to viewers", fromApproval.overall)
        report.add("approval ack to viewers", fromApprovalAck.overall)
        report.add("viewer deliveries", Double(fromApproval.delivered))
        report.add("viewer deliveries expected", Double(fromApproval.expected))
        report.add("viewers dropped by server (end)", Double(stats.dropped))
        let failures = lines.compactMap(\.failed)
        if !failures.isEmpty { report.notes.append("\(failures.count) questions failed: \(Set(failures).sorted().joined(separator: ", "))") }
        for watcher in watchers { await watcher.close() }
        await submitter.close()
        await approver.close()
        await run.finish()
        return report
    }

    /// The `"id":N` at the start of a 201 body.
    static func id(in body: String) -> Int64? {
        guard let range = body.range(of: #""id":"#) else { return nil }
        return Int64(body[range.upperBound...].prefix { $0.isNumber })
    }
}

extension HTTPConnection {
    func eventLoopSucceeded() -> EventLoopFuture<Void> { eventLoop.makeSucceededVoidFuture() }
}
