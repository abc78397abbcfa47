import Foundation

/// The generator's viewer processes, seen from the coordinator.
///
/// One process holds at most ~19,990 sockets on these machines (the open-file limit), so the viewers are split over
/// several `hemicycle-load worker` processes (at most `viewersPerProcess` each), each connecting from its own share of
/// 127.0.0.x source addresses. The same code path runs for one process, so the smoke tests exercise it.
public final class WorkerPool: @unchecked Sendable {
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var kind: ServerKind
        public var topic: String
        public var viewers: Int
        public var viewersPerProcess: Int
        public var sources: [String]
        public var maxInFlight: Int
        /// Viewers reconnect on their own when the server goes away, with this backoff (`ViewerFleet.Configuration`).
        public var rejoin: ReconnectBackoff?

        public init(
            host: String, port: Int, kind: ServerKind, topic: String, viewers: Int, viewersPerProcess: Int = 10_000,
            sources: [String], maxInFlight: Int = 256, rejoin: ReconnectBackoff? = nil
        ) {
            self.host = host
            self.port = port
            self.kind = kind
            self.topic = topic
            self.viewers = viewers
            self.viewersPerProcess = max(1, viewersPerProcess)
            self.sources = sources
            self.maxInFlight = maxInFlight
            self.rejoin = rejoin
        }
    }

    public enum PoolError: Error, CustomStringConvertible {
        case unexpected(worker: Int, expected: String, got: WorkerEvent)

        public var description: String {
            switch self {
            case .unexpected(let worker, let expected, let got):
                "worker \(worker): expected \(expected), got \(got.event) \(got.message ?? "")"
            }
        }
    }

    private struct Member {
        var process: Process
        var input: FileHandle
        var mailbox: Mailbox
    }

    private var members: [Member] = []
    public let options: Options

    /// Starts the worker processes (they begin connecting at once).
    public init(options: Options, executable: String = WorkerPool.currentExecutable()) throws {
        self.options = options
        let processes = max(1, (options.viewers + options.viewersPerProcess - 1) / options.viewersPerProcess)
        let sources = options.sources.isEmpty ? ["127.0.0.1"] : options.sources
        for index in 0..<processes {
            let share = options.viewers / processes + (index < options.viewers % processes ? 1 : 0)
            // Each process gets its own slice of source addresses when there are enough of them.
            let mine = sources.count >= processes
                ? stride(from: index, to: sources.count, by: processes).map { sources[$0] } : sources
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "worker", "--host", options.host, "--port", String(options.port), "--kind", options.kind.rawValue,
                "--topic", options.topic, "--viewers", String(share), "--sources", mine.joined(separator: ","),
                "--max-in-flight", String(options.maxInFlight),
            ] + (options.rejoin.map {
                ["--rejoin-base-ms", Report.format($0.baseMs), "--rejoin-cap-ms", Report.format($0.capMs)]
            } ?? [])
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            let mailbox = Mailbox()
            Self.startReader(output.fileHandleForReading, into: mailbox)
            members.append(Member(process: process, input: input.fileHandleForWriting, mailbox: mailbox))
        }
    }

    public var processCount: Int { members.count }

    public static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    private static func startReader(_ handle: FileHandle, into mailbox: Mailbox) {
        let thread = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pending[pending.startIndex..<newline]
                    pending = Data(pending[(newline + 1)...])
                    if let event = try? WorkerLines.decode(WorkerEvent.self, from: Data(line)) {
                        mailbox.push(event)
                    }
                }
            }
            mailbox.push(WorkerEvent(event: "exited"))
        }
        thread.start()
    }

    /// Sends a command to every worker.
    public func send(_ command: WorkerCommand) {
        let line = WorkerLines.encode(command)
        for member in members { member.input.write(line) }
    }

    /// Waits for the next event of every worker and checks that it is `name`.
    public func collect(_ name: String) async throws -> [WorkerEvent] {
        var events: [WorkerEvent] = []
        for (index, member) in members.enumerated() {
            let event = await member.mailbox.next()
            guard event.event == name else { throw PoolError.unexpected(worker: index, expected: name, got: event) }
            events.append(event)
        }
        return events
    }

    /// Sends `command` and collects the `name` reply of every worker.
    public func ask(_ command: WorkerCommand, expecting name: String) async throws -> [WorkerEvent] {
        send(command)
        return try await collect(name)
    }

    /// Every worker's counters, merged.
    public func stats() async throws -> FleetStats {
        FleetStats.merged(try await ask(WorkerCommand("status"), expecting: "status").compactMap(\.stats))
    }

    /// Asks every worker to write its frame log into `directory` and reads them back, in viewer order.
    public func frameLogs(in directory: String) async throws -> (logs: [FrameLog.ViewerLog], stats: FleetStats) {
        var logs: [FrameLog.ViewerLog] = []
        var stats: [FleetStats] = []
        for (index, member) in members.enumerated() {
            let path = "\(directory)/worker-\(index).hlf"
            member.input.write(WorkerLines.encode(WorkerCommand("dump", path: path)))
            let event = await member.mailbox.next()
            guard event.event == "dumped" else { throw PoolError.unexpected(worker: index, expected: "dumped", got: event) }
            logs += try FrameLog.read(from: path)
            try? FileManager.default.removeItem(atPath: path)
            if let fleetStats = event.stats { stats.append(fleetStats) }
        }
        return (logs, FleetStats.merged(stats))
    }

    /// Ends every worker (closing their sockets) and waits for them.
    public func shutdown() {
        for member in members {
            member.input.write(WorkerLines.encode(WorkerCommand("exit")))
            try? member.input.close()
        }
        for member in members { member.process.waitUntilExit() }
    }
}
