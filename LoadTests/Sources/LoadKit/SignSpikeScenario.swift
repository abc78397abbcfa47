import Foundation
import Histogram

/// `sign-spike`: M signers on keep-alive connections post as fast as they are acknowledged while N viewers watch.
/// Durable signatures/s, ack latency, lag from each ack until every viewer holds a count including it, and at the end
/// the count every viewer last saw, the petition's `count.json` and the number of 201s must agree.
public struct SignSpikeScenario: Sendable {
    public var signers: Int
    public var seconds: Double

    public init(signers: Int, seconds: Double) {
        self.signers = signers
        self.seconds = seconds
    }

    public func run(_ options: ScenarioOptions) async throws -> Report {
        let run = try ScenarioRun(options: options)
        var report = Report(scenario: "sign-spike", label: options.label, parameters: options.baseParameters)
        report.parameters["signers"] = String(signers)
        report.parameters["seconds"] = Report.format(seconds)
        _ = try await run.connectViewers(reporting: &report)
        let countPath = "/petitions/\(options.petition)/count.json"
        let warm = try await run.triggerer(name: "warm")
        try await run.warmUp(warm)
        await warm.close()
        let initial = options.kind == .hemicycle ? try await Self.count(run.get(countPath)) : 0
        try await run.clearLogs()

        let triggerers = try await withThrowingTaskGroup(of: Triggerer.self) { group in
            for index in 0..<signers { group.addTask { try await run.triggerer(name: "s\(index)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let start = MonotonicClock.nanos()
        let deadline = start + UInt64(seconds * 1e9)
        // A signer whose connection fails (a server resetting it under load) counts the error and reconnects.
        let outcomes = try await withThrowingTaskGroup(of: ([TriggerRecord], Int).self) { group in
            for (index, first) in triggerers.enumerated() {
                group.addTask {
                    var mine: [TriggerRecord] = []
                    var errors = 0
                    var triggerer = first
                    while MonotonicClock.nanos() < deadline {
                        do {
                            mine.append(try await triggerer.fire())
                        } catch {
                            errors += 1
                            await triggerer.close()
                            try await Task.sleep(nanoseconds: 10_000_000)
                            triggerer = try await run.triggerer(name: "s\(index)r\(errors)")
                        }
                    }
                    await triggerer.close()
                    return (mine, errors)
                }
            }
            return try await group.reduce(into: [([TriggerRecord], Int)]()) { $0.append($1) }
        }
        let elapsed = Double(MonotonicClock.nanos() - start) / 1e9
        let records = outcomes.flatMap(\.0)
        let connectionErrors = outcomes.reduce(0) { $0 + $1.1 }

        let okStatus = options.kind == .hemicycle ? 201 : 204
        let accepted = records.filter { $0.status == okStatus }
        var ackLatency = LatencySummary.makeHistogram()
        for record in accepted { ackLatency.record((record.ackedAt - record.sentAt) / 1000) }
        report.add(options.kind == .hemicycle ? "durable signatures per second" : "triggers per second",
                   Double(accepted.count) / elapsed, "/s")
        report.add("acknowledged", Double(accepted.count))
        report.add("refused", Double(records.count - accepted.count))
        report.add("signer connection errors", Double(connectionErrors))
        report.add("ack latency", LatencySummary(ackLatency))

        if options.kind == .hemicycle {
            let final = accepted.compactMap(\.value).max() ?? initial
            let behind = try await run.awaitViewers(final, timeoutMs: 15_000)
            let (logs, end) = try await run.frameLogs()
            let acks = accepted.compactMap { record in record.value.map { (ackedAt: record.ackedAt, value: $0) } }
            let (lag, unseen) = DeliveryAnalysis.ackToAllViewers(logs: logs, acks: acks)
            report.add("ack to every viewer", lag)
            report.add("acks no viewer set saw", Double(unseen))
            let served = try await Self.count(run.get(countPath))
            report.add("count.json", Double(served))
            report.add("initial count + 201s", Double(initial + Int64(accepted.count)))
            report.add("viewers' last count min", Double(end.minLastValue))
            report.add("viewers' last count max", Double(end.maxLastValue))
            report.add("viewers behind at the end", Double(behind))
            let equal = served == initial + Int64(accepted.count) && end.minLastValue == served && end.maxLastValue == served
            report.add("final counts equal", equal ? 1 : 0, "bool")
        } else {
            report.notes.append("peers: triggers are POST /trigger (nothing stored, no count to reconcile)")
        }
        await run.finish()
        return report
    }

    static func count(_ response: HTTPConnection.Response) throws -> Int64 {
        guard response.status == 200,
            let value = response.body.utf8.withContiguousStorageIfAvailable({ FrameScan.count(in: UnsafeRawBufferPointer($0)) }) ?? nil
        else { throw ScenarioError.triggerFailed(response.status) }
        return value
    }
}
