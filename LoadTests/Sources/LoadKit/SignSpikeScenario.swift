import Foundation
import Histogram

/// `sign-spike`: M signers on keep-alive connections post as fast as they are acknowledged while N viewers watch.
/// Durable signatures/s, ack latency, lag from each ack until every viewer holds a count including it, and at the end
/// the count every viewer last saw, the petition's `count.json` and the number of 201s must agree.
public struct SignSpikeScenario: Sendable {
    public var signers: Int
    public var seconds: Double
    /// With a server running `--signature-confirmation email`: the folder its `--sendmail` command writes each message
    /// to. Signatures then answer 202; the scenario reads every delivered message, POSTs its `/confirm/TOKEN` link
    /// (as the confirmation page's button does) and reports confirmed signatures per second.
    public var confirmMailDirectory: String?
    /// Connections confirming at once.
    public var confirmers: Int

    public init(signers: Int, seconds: Double, confirmMailDirectory: String? = nil, confirmers: Int = 16) {
        self.signers = signers
        self.seconds = seconds
        self.confirmMailDirectory = confirmMailDirectory
        self.confirmers = confirmers
    }

    public func run(_ options: ScenarioOptions) async throws -> Report {
        let run = try ScenarioRun(options: options)
        var report = Report(scenario: "sign-spike", label: options.label, parameters: options.baseParameters)
        report.parameters["signers"] = String(signers)
        report.parameters["seconds"] = Report.format(seconds)
        _ = try await run.connectViewers(reporting: &report)
        let countPath = "/petitions/\(options.petition)/count.json"
        let warm = try await run.triggerer(name: "warm")
        // Warming up signs once and needs its 201: with email confirmation signatures answer 202 and count later.
        if confirmMailDirectory == nil { try await run.warmUp(warm) }
        await warm.close()
        let initial = options.kind == .hemicycle ? try await Self.count(run.get(countPath)) : 0
        try await run.clearLogs()

        let triggerers = try await withThrowingTaskGroup(of: Triggerer.self) { group in
            for index in 0..<signers { group.addTask { try await run.triggerer(name: "s\(index)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let start = MonotonicClock.nanos()
        let deadline = start + UInt64(seconds * 1e9)
        let confirmer = confirmMailDirectory.map {
            MailConfirmer(directory: $0, host: options.host, port: options.port, group: run.group, connections: confirmers)
        }
        let confirming = confirmer.map { confirmer in Task { try await confirmer.run() } }
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

        let okStatus = options.kind == .hemicycle ? (confirmMailDirectory == nil ? 201 : 202) : 204
        let accepted = records.filter { $0.status == okStatus }
        var confirmed = Int64(accepted.count)
        if let confirmer, let confirming {
            // Every stored signature's email must arrive and be confirmed; the confirmer stops when all are, or when
            // no new mail arrived for 30 s.
            confirmer.expect(accepted.count)
            let outcome = try await confirming.value
            confirmed = Int64(outcome.confirmed)
            let span = Double(max(outcome.lastConfirmedAt, start) - start) / 1e9
            report.add("signatures stored unconfirmed per second", Double(accepted.count) / elapsed, "/s")
            report.add("confirmed signatures per second", span > 0 ? Double(outcome.confirmed) / span : 0, "/s")
            report.add("confirmed", Double(outcome.confirmed))
            report.add("emails read", Double(outcome.mailRead))
            report.add("confirmations refused", Double(outcome.refused))
            report.add("confirm ack latency", outcome.latency)
        }
        var ackLatency = LatencySummary.makeHistogram()
        for record in accepted { ackLatency.record((record.ackedAt - record.sentAt) / 1000) }
        if confirmMailDirectory == nil {
            report.add(options.kind == .hemicycle ? "durable signatures per second" : "triggers per second",
                       Double(accepted.count) / elapsed, "/s")
        }
        report.add("acknowledged", Double(accepted.count))
        report.add("refused", Double(records.count - accepted.count))
        report.add("signer connection errors", Double(connectionErrors))
        report.add("ack latency", LatencySummary(ackLatency))

        if options.kind == .hemicycle {
            let final = confirmMailDirectory == nil ? (accepted.compactMap(\.value).max() ?? initial) : initial + confirmed
            let behind = try await run.awaitViewers(final, timeoutMs: 15_000)
            let (logs, end) = try await run.frameLogs()
            if confirmMailDirectory == nil {
                let acks = accepted.compactMap { record in record.value.map { (ackedAt: record.ackedAt, value: $0) } }
                let (lag, unseen) = DeliveryAnalysis.ackToAllViewers(logs: logs, acks: acks)
                report.add("ack to every viewer", lag)
                report.add("acks no viewer set saw", Double(unseen))
            }
            let served = try await Self.count(run.get(countPath))
            report.add("count.json", Double(served))
            report.add(confirmMailDirectory == nil ? "initial count + 201s" : "initial count + confirmed", Double(initial + confirmed))
            report.add("viewers' last count min", Double(end.minLastValue))
            report.add("viewers' last count max", Double(end.maxLastValue))
            report.add("viewers behind at the end", Double(behind))
            let equal = served == initial + confirmed && end.minLastValue == served && end.maxLastValue == served
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
