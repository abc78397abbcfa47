import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#endif

/// The server under test as a process the `crash` scenario starts, kills with SIGKILL and starts again with the same
/// command line (so on the same data directory or database).
///
/// The only part of the generator that is not a socket client: a crash cannot be caused from outside the machine.
public final class ServerProcess: @unchecked Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case noCommand
        case exited(Int32)
        case notReady(Double)

        public var description: String {
            switch self {
            case .noCommand: "no server command: give it after --"
            case .exited(let status): "the server exited (status \(status)) before it was ready"
            case .notReady(let seconds): "the server did not answer GET /ready with 200 within \(Report.format(seconds)) s"
            }
        }
    }

    /// The command line; the first word is looked up on `PATH`.
    public let command: [String]
    /// Where the server's standard output and error are appended (nil: discarded).
    public let logPath: String?
    private var process: Process?

    public init(command: [String], logPath: String?) throws {
        guard !command.isEmpty else { throw Failure.noCommand }
        self.command = command
        self.logPath = logPath
    }

    /// The running server's process id.
    public var pid: Int32? { process.map(\.processIdentifier) }

    /// Starts the server; returns the monotonic time just before it was spawned (the "restart" of the figures).
    @discardableResult
    public func start() throws -> UInt64 {
        let process = Process()
        // `env` finds the program on PATH and replaces itself with it: the pid is the server's (or `taskset`'s,
        // which also replaces itself), so SIGKILL reaches the server itself.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        if let logPath {
            if !FileManager.default.fileExists(atPath: logPath) {
                FileManager.default.createFile(atPath: logPath, contents: nil)
            }
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            try log.seekToEnd()
            process.standardOutput = log
            process.standardError = log
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        process.standardInput = FileHandle.nullDevice
        let at = MonotonicClock.nanos()
        try process.run()
        self.process = process
        return at
    }

    /// Polls `GET /ready` until it answers 200; returns the monotonic time of that answer.
    public func waitReady(host: String, port: Int, group: any EventLoopGroup, timeoutSeconds: Double = 60) async throws -> UInt64 {
        let deadline = MonotonicClock.nanos() + UInt64(timeoutSeconds * 1e9)
        while MonotonicClock.nanos() < deadline {
            if let process, !process.isRunning { throw Failure.exited(process.terminationStatus) }
            if let connection = try? await HTTPConnection.connect(host: host, port: port, group: group) {
                let response = try? await connection.request(.GET, "/ready")
                await connection.close()
                if response?.status == 200 { return MonotonicClock.nanos() }
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw Failure.notReady(timeoutSeconds)
    }

    /// SIGKILL, no warning (no graceful shutdown, no close frame), and waits until the process is gone.
    public func kill() {
        guard let process, process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM (a graceful stop) at the end of the scenario; SIGKILL if it is still there after 20 s.
    public func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        kill()
    }
}
