import Foundation
import Histogram
import NIOCore
import NIOHTTP1
import Synchronization

/// `legislation` (issue 16): N readers of a bill (`bill:{id}`), M moderators on its queue (`bill:{id}:moderation`);
/// comments are submitted at a fixed rate (open loop), each approved by the first moderator as soon as its 201 arrives,
/// while the clerk moves the "now discussing" marker to the next section every `markerEvery` seconds. Reports the
/// delay from submission to every moderator's screen, from approval to the readers (each reader, and the last
/// reader), from each marker move to the readers, and whether every reader got every approved comment and every
/// marker move (exact, not "at least": `LegislationAnalysis`).
///
/// Needs a published bill whose sections are `sec_1…sec_K` (`hemicycle-load legislation-bill`, imported with
/// `hemicycle bills import --format text --publish`), limits raised for one generator address (`hemicycle bills
/// settings`), and staff accounts `moderator1…M@…` (moderators) and a clerk, assigned to the bill (`hemicycle staff
/// add … --bill ID`). `LoadTests/compare legislation` does all of that.
public struct LegislationScenario: Sendable {
    public var bill: Int
    public var rate: Double
    public var seconds: Double
    public var markerEvery: Double
    public var moderators: Int
    public var moderatorEmail: String
    public var clerkEmail: String
    public var password: String
    /// Longest wait for the server to show the bill (it reads bills imported by the command line every 30 s).
    public var waitSeconds: Double

    public init(
        bill: Int, rate: Double, seconds: Double, markerEvery: Double, moderators: Int, moderatorEmail: String, clerkEmail: String,
        password: String, waitSeconds: Double
    ) {
        self.bill = bill
        self.rate = rate
        self.seconds = seconds
        self.markerEvery = markerEvery
        self.moderators = moderators
        self.moderatorEmail = moderatorEmail
        self.clerkEmail = clerkEmail
        self.password = password
        self.waitSeconds = waitSeconds
    }

    public enum Failure: Error, CustomStringConvertible {
        case setup(String)
        public var description: String {
            switch self {
            case .setup(let why): "legislation: \(why)"
            }
        }
    }

    struct Timeline: Sendable {
        var submittedAt: UInt64
        var id: Int64 = 0
        var approveSentAt: UInt64 = 0
        var approvedAt: UInt64 = 0
        var failed: String?
    }

    struct MarkerMove: Sendable {
        var sentAt: UInt64
        var value: Int64
        var ackedAt: UInt64 = 0
        var failed: String?
    }

    /// The marker moves made so far, from the clerk's task and the end of the run.
    final class MarkerLog: Sendable {
        private let state = Mutex<[MarkerMove]>([])
        func append(_ move: MarkerMove) { state.withLock { $0.append(move) } }
        var moves: [MarkerMove] { state.withLock { $0 } }
    }

    func logIn(_ http: HTTPConnection, _ email: String) async throws -> String {
        try await http.staffLogin(email: email, password: password) { Failure.setup($0) }
    }

    /// The section numbers of the bill (`sec_N` at the top level), in document order, and the section the marker is on.
    public static func sections(inBillJSON body: String) -> (sections: [Int], marker: Int?) {
        guard let data = body.data(using: .utf8), let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return ([], nil) }
        func section(_ eId: Any?) -> Int? {
            guard let eId = eId as? String, eId.hasPrefix("sec_"), let n = Int(eId.dropFirst(4)) else { return nil }
            return n
        }
        let provisions = root["provisions"] as? [[String: Any]] ?? []
        let marker = (root["marker"] as? [String: Any]).flatMap { section($0["eId"]) }
        return (provisions.compactMap { section($0["eId"]) }, marker)
    }

    public func run(_ baseOptions: ScenarioOptions) async throws -> Report {
        guard baseOptions.kind == .hemicycle else { throw Failure.setup("only Hemicycle has bills") }
        var options = baseOptions
        options.bill = bill
        let run = try ScenarioRun(options: options)
        var report = Report(scenario: "legislation", label: options.label, parameters: options.baseParameters)
        report.parameters["bill"] = String(bill)
        report.parameters["rate"] = Report.format(rate)
        report.parameters["seconds"] = Report.format(seconds)
        report.parameters["marker_every"] = Report.format(markerEvery)
        report.parameters["moderators"] = String(moderators)

        let setup = try await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
        // The bill, once the server has read it (the command line stored it).
        var (sections, marker): ([Int], Int?) = ([], nil)
        let deadline = Date().addingTimeInterval(waitSeconds)
        while true {
            let response = try await setup.request(.GET, "/bills/\(bill).json")
            if response.status == 200 { (sections, marker) = Self.sections(inBillJSON: response.body); break }
            guard Date() < deadline else { throw Failure.setup("/bills/\(bill).json answered \(response.status) for \(Int(waitSeconds)) s") }
            try await Task.sleep(for: .milliseconds(500))
        }
        guard !sections.isEmpty else { throw Failure.setup("bill \(bill) has no sections sec_1…") }
        report.parameters["sections"] = String(sections.count)
        // Marker moves go forward through the sections (their logged values must grow): from the one after the
        // marker's, one per `markerEvery`, plus the last one that closes the run.
        let moves = Int((seconds / markerEvery).rounded(.up)) + 1
        let targets = Array(sections.drop { $0 <= (marker ?? 0) }.prefix(moves))
        guard targets.count == moves else {
            throw Failure.setup("\(moves) marker moves need \(moves) sections after the marker's: import a fresh bill, or lower --seconds")
        }
        let clerk = try await logIn(setup, clerkEmail)
        // Commenting needs a participant, which a visit to the bill's page issues: one per 5 comments a second.
        var participants: [String] = []
        for _ in 0..<max(1, min(50, Int((rate / 5).rounded(.up)))) {
            let page = try await setup.request(.GET, "/bills/\(bill)")
            guard page.status == 200, page.cookies.contains("hc_participant=") else {
                throw Failure.setup("the bill page gave no participant (\(page.status)); raise --participants-per-address")
            }
            participants.append(page.cookies)
        }
        var cookies: [String] = []
        for n in 1...max(1, moderators) { cookies.append(try await logIn(setup, moderatorEmail.replacingOccurrences(of: "%d", with: String(n)))) }
        await setup.close()
        var watchers: [StaffWatcher] = []
        for cookie in cookies {
            watchers.append(try await StaffWatcher.connect(host: options.host, port: options.port, cookie: cookie, topic: "bill:\(bill):moderation", group: run.group))
        }
        _ = try await run.connectViewers(reporting: &report)
        try await run.clearLogs()

        let submitter = try await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
        let approver = try await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
        let clerkConnection = try await HTTPConnection.connect(host: options.host, port: options.port, group: run.group)
        let approverCookie = cookies[0], billID = bill
        let markerMoves = MarkerLog()
        let moveMarker: @Sendable (Int) async -> Void = { section in
            let sentAt = MonotonicClock.nanos()
            let value = LegislationAnalysis.markerBase + Int64(section)
            let response = try? await clerkConnection.request(.POST, "/api/v1/bills/\(billID)/marker", json: #"{"eId":"sec_\#(section)"}"#, cookie: clerk)
            let at = MonotonicClock.nanos()
            var move = MarkerMove(sentAt: sentAt, value: value, ackedAt: at)
            if response?.status != 200 { move.failed = "marker \(response.map { String($0.status) } ?? "no answer")" }
            markerMoves.append(move)
        }
        let start = MonotonicClock.nanos()
        let every = markerEvery
        let markerTask = Task {
            for (index, section) in targets.dropLast().enumerated() {
                let due = start + UInt64(Double(index) * every * 1e9)
                let now = MonotonicClock.nanos()
                if due > now { try? await Task.sleep(nanoseconds: due - now) }
                await moveMarker(section)
            }
        }

        let total = Int((rate * seconds).rounded())
        let timelines = Mutex<[Timeline]>([])
        var done: [EventLoopFuture<Void>] = []
        for index in 0..<total {
            let due = start + UInt64(Double(index) / rate * 1e9)
            let now = MonotonicClock.nanos()
            if due > now { try await Task.sleep(nanoseconds: due - now) }
            let sentAt = MonotonicClock.nanos()
            timelines.withLock { $0.append(Timeline(submittedAt: sentAt)) }
            let section = sections[index % sections.count]
            let body = #"{"eId":"sec_\#(section)","kind":"comment","text":"Load comment \#(index): the deadline in this section is too short for small councils."}"#
            let future = submitter.start(.POST, "/api/v1/bills/\(bill)/comments", json: body, cookie: participants[index % participants.count])
                .flatMap { response -> EventLoopFuture<Void> in
                    guard response.status == 201, let id = QuestionsScenario.id(in: response.body) else {
                        timelines.withLock { $0[index].failed = "submit \(response.status)" }
                        return submitter.eventLoopSucceeded()
                    }
                    let approveSentAt = MonotonicClock.nanos()
                    timelines.withLock { $0[index].id = id; $0[index].approveSentAt = approveSentAt }
                    return approver.start(.POST, "/api/v1/bill-comments/\(id)/moderation", json: #"{"action":"approve"}"#, cookie: approverCookie)
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
        markerTask.cancel()
        _ = await markerTask.value
        let submitSeconds = Double(MonotonicClock.nanos() - start) / 1e9
        // The last move follows every approval on the same topic: a reader that holds it holds everything before it.
        if let last = targets.last { await moveMarker(last) }
        let moves_ = markerMoves.moves
        if let last = moves_.last, last.failed == nil { try await run.awaitViewers(last.value, timeoutMs: 60_000) }
        try await Task.sleep(for: .milliseconds(500))

        let lines = timelines.withLock { $0 }
        let approved = lines.filter { $0.approvedAt > 0 }
        var toModerators = LatencySummary.makeHistogram()
        var moderatorMisses = 0
        for watcher in watchers {
            let arrivals = watcher.arrivals
            for line in lines where line.id > 0 {
                guard let at = arrivals[line.id] else { moderatorMisses += 1; continue }
                toModerators.record(at > line.submittedAt ? (at - line.submittedAt) / 1000 : 0)
            }
        }
        var acks = LatencySummary.makeHistogram(), approvals = LatencySummary.makeHistogram(), markerAcks = LatencySummary.makeHistogram()
        for line in approved {
            acks.record((line.approveSentAt > line.submittedAt ? line.approveSentAt - line.submittedAt : 0) / 1000)
            approvals.record((line.approvedAt - line.approveSentAt) / 1000)
        }
        let goodMoves = moves_.filter { $0.failed == nil }
        for move in goodMoves { markerAcks.record((move.ackedAt - move.sentAt) / 1000) }
        let (logs, stats) = try await run.frameLogs()
        let analysis = LegislationAnalysis(
            logs: logs, approvals: approved.map { .init(sentAt: $0.approveSentAt, value: $0.id) },
            markers: goodMoves.map { .init(sentAt: $0.sentAt, value: $0.value) })

        report.add("comments submitted", Double(lines.count))
        report.add("comments submitted per second", Double(lines.count) / max(submitSeconds, 0.001), "/s")
        report.add("comments approved", Double(approved.count))
        report.add("submit ack", LatencySummary(acks))
        report.add("submission to moderators", LatencySummary(toModerators))
        report.add("moderator screens missed", Double(moderatorMisses))
        report.add("approve ack", LatencySummary(approvals))
        report.add("approval to a reader", analysis.comments.perReader)
        report.add("approval to every reader", analysis.comments.toEveryReader)
        report.add("comment deliveries", Double(analysis.comments.delivered))
        report.add("comment deliveries expected", Double(analysis.comments.expected))
        report.add("comments some reader missed", Double(analysis.comments.incomplete))
        report.add("marker moves", Double(goodMoves.count))
        report.add("marker ack", LatencySummary(markerAcks))
        report.add("marker to a reader", analysis.markers.perReader)
        report.add("marker to every reader", analysis.markers.toEveryReader)
        report.add("marker deliveries", Double(analysis.markers.delivered))
        report.add("marker deliveries expected", Double(analysis.markers.expected))
        report.add("marker moves some reader missed", Double(analysis.markers.incomplete))
        report.add("readers dropped by server (end)", Double(stats.dropped))
        let failures = lines.compactMap(\.failed) + moves_.compactMap(\.failed)
        if !failures.isEmpty { report.notes.append("\(failures.count) requests failed: \(Set(failures).sorted().joined(separator: ", "))") }
        for watcher in watchers { await watcher.close() }
        await submitter.close()
        await approver.close()
        await clerkConnection.close()
        await run.finish()
        return report
    }
}
