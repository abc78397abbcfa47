import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HemicycleCore
import HemicycleStorage
import Logging
import ServiceLifecycle
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Sends the outbox through the standard `sendmail` interface (as msmtp, postfix and exim provide it): each message
/// goes to the command's standard input, its one recipient is the command's last argument after `--`
/// (`/usr/sbin/sendmail -i -- ada@example.org`), and exit status 0 means the mail system took it. Recipients are never
/// read from the headers (a command with `-t` is refused at startup), so no header can add one. Every message is built
/// by `MailMessage` (one function for every header); one the builder refuses is abandoned, never sent. Failures are
/// retried with exponential backoff (30 s, 1 min, 2 min, … at most 1 h) until the retention sweep gives up; nothing is
/// lost on a restart, since the outbox is a table. Written by hand because no mirrored package speaks to a local MTA;
/// the command is a setting.
public actor Mailer: Service {
    let store: any OutboxStore
    /// The command and its arguments, e.g. `["/usr/sbin/sendmail", "-i"]`; `--` and the recipient are appended.
    let command: [String]
    let from: Mailbox
    let logger: Logger
    let interval: Duration
    let clock: any WallClock

    init(store: any OutboxStore, command: [String], from: Mailbox, logger: Logger, interval: Duration = .seconds(1), clock: any WallClock) {
        self.clock = clock
        // Writing a message to a command that has already exited must fail with EPIPE, not kill the server.
        signal(SIGPIPE, SIG_IGN)
        self.store = store
        self.command = command
        self.from = from
        self.logger = logger
        self.interval = interval
    }

    /// The message as RFC 5322 text, UTF-8 (`MailMessage`: every header through `MailHeader`).
    static func message(_ mail: OutgoingMail, from: Mailbox, id: Int64, now: Timestamp) throws(MailHeaderError) -> String {
        try MailMessage(
            from: from, to: mail.to, subject: mail.subject, messageID: "outbox-\(id)-\(now.millisecondsSince1970)@hemicycle", date: now, body: mail.body
        ).rendered()
    }

    /// The arguments of one message: the configured command, then `--` (so that no address is read as an option) and
    /// the one recipient.
    static func arguments(_ command: [String], recipient: String) -> [String] { command + ["--", recipient] }

    /// The argument that makes the command read recipients from the headers (`-t`, `--read-recipients`, or a group of
    /// flags such as `-ti`), if any: such a command is refused at startup.
    public static func recipientsFromHeadersFlag(_ command: [String]) -> String? {
        command.dropFirst().first { argument in
            if argument == "--read-recipients" { return true }
            guard argument.hasPrefix("-"), !argument.hasPrefix("--"), argument.count >= 2 else { return false }
            // Only groups of sendmail's flags without a value (`-i`, `-t`, `-v`, `-n`, `-m`, `-U`, `-G`): in `-Cfile`
            // or `-fsender` a `t` is part of a value.
            let flags = argument.dropFirst()
            return flags.contains("t") && flags.allSatisfy { "itvnmUG".contains($0) }
        }
    }

    /// The command line after checking it: an error message for people when it would read recipients from headers.
    public static func checkedCommand(_ line: String) -> Result<[String], CommandError> {
        let command = words(line)
        guard !command.isEmpty else { return .failure(CommandError(message: "--sendmail must name a command.")) }
        if let flag = recipientsFromHeadersFlag(command) {
            return .failure(CommandError(message: """
                --sendmail must not read recipients from the message (\(flag)): Hemicycle passes the one recipient of each message \
                as an argument after --. Remove \(flag), e.g. "/usr/sbin/sendmail -i" or "/usr/bin/msmtp -C /etc/hemicycle/msmtprc -i".
                """))
        }
        return .success(command)
    }

    /// Why `--sendmail` or `--mail-from` was refused.
    public struct CommandError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Splits a command line as a shell would for simple cases: words separated by spaces, with '…' and "…" quoting.
    public static func words(_ line: String) -> [String] {
        var words: [String] = [], current = "", quote: Character?, inWord = false
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Hands one message to the command; returns nil on success, else what went wrong.
    ///
    /// Through swift-subprocess, not Foundation's `Process`: `Process.run()` in the toolchain's Foundation reads every
    /// entry of `/proc/self/fd` before each spawn and over-reads them now and then, crashing the server when it holds
    /// thousands of sockets (seen in `sign-spike` with email confirmation at 10,000 viewers;
    /// swift-corelibs-foundation #5472). The wait is async (no thread blocked per message): NIO's thread pool also
    /// runs the SQLite queries.
    ///
    /// The child gets only descriptors this function owns: standard input is a pipe filled with the whole message
    /// before the spawn (so no write can fail with EPIPE later), standard error an unlinked temporary file read after
    /// the exit. swift-subprocess 1.0.2 stops the process with a fatal error when its own input writer fails (a
    /// command that exits without reading), so its pipes are not used.
    static func send(_ message: String, command: [String]) async -> String? {
        guard let executable = command.first else { return "no sendmail command is configured" }
        let bytes = Array(message.utf8)
        // A pipe holds 64 KiB on Linux: every message this server writes is far smaller.
        guard bytes.count < 60_000 else { return "the message is too large (\(bytes.count) bytes)" }
        // At a lower CPU priority (nice 10): during a signature spike, thousands of mail processes must not take the
        // core the server answers signers and viewers on; mail may be a little later instead. Both `nice` and `env`
        // look a bare command name (`msmtp`) up on PATH.
        let launcher = FileManager.default.isExecutableFile(atPath: "/usr/bin/nice") ? ["/usr/bin/nice", "-n", "10"] : ["/usr/bin/env"]
        let arguments = Array(launcher.dropFirst()) + [executable] + Array(command.dropFirst())
        let input: (readEnd: FileDescriptor, writeEnd: FileDescriptor)
        let errors: FileDescriptor
        do {
            input = try FileDescriptor.pipe()
            do {
                try input.writeEnd.closeAfter { _ = try input.writeEnd.writeAll(bytes) }
                let path = FilePath(NSTemporaryDirectory()).appending("hemicycle-mail-\(UInt64.random(in: 0...UInt64.max)).err")
                errors = try FileDescriptor.open(path, .readWrite, options: [.create, .exclusiveCreate], permissions: .ownerReadWrite)
                _ = unlink(path.string)
            } catch {
                try? input.readEnd.close()
                throw error
            }
        } catch {
            return "cannot prepare the mail command's input: \(error)"
        }
        defer { try? errors.close() }
        do {
            let result = try await Subprocess.run(
                .path(FilePath(launcher[0])), arguments: Arguments(arguments),
                input: .fileDescriptor(input.readEnd, closeAfterSpawningProcess: true), output: .discarded,
                error: .fileDescriptor(errors, closeAfterSpawningProcess: false)
            )
            if case .exited(0) = result.terminationStatus { return nil }
            var buffer = [UInt8](repeating: 0, count: 300)
            let count = buffer.withUnsafeMutableBytes { (try? errors.read(fromAbsoluteOffset: 0, into: $0)) ?? 0 }
            return "\(result.terminationStatus): \(String(decoding: buffer.prefix(count), as: UTF8.self))"
        } catch {
            return "\(error)"
        }
    }

    /// Messages handed to the command at once (each is one process; a signature spike queues thousands).
    static let parallelSends = 8

    /// Sends what is due now, `parallelSends` at a time. Returns how many were sent and how many were due.
    @discardableResult
    func deliverDue(limit: Int = 200) async -> (sent: Int, due: Int) {
        let now = clock.now()
        guard let due = try? await store.dueMail(now: now, limit: limit), !due.isEmpty else { return (0, 0) }
        let command = command, from = from
        // Built first: a message the header builder refuses is never handed to the command.
        var ready: [(QueuedMail, String)] = []
        for queued in due {
            do {
                ready.append((queued, try Self.message(queued.mail, from: from, id: queued.id, now: now)))
            } catch {
                logger.error("mail refused by the header builder; abandoned", metadata: ["id": "\(queued.id)", "kind": "\(queued.mail.kind.rawValue)", "error": "\(error)"])
                try? await store.markAbandoned(queued.id, error: "refused: \(error)", at: now)
            }
        }
        let prepared = ready
        let results = await withTaskGroup(of: (QueuedMail, String?).self) { group in
            var results: [(QueuedMail, String?)] = []
            var next = 0
            func start() {
                let (queued, text) = prepared[next]
                next += 1
                group.addTask { (queued, await Self.send(text, command: Self.arguments(command, recipient: queued.mail.to))) }
            }
            for _ in 0..<min(Self.parallelSends, prepared.count) { start() }
            while let result = await group.next() {
                results.append(result)
                if next < prepared.count { start() }
            }
            return results
        }
        var sent: [Int64] = []
        for (queued, failure) in results {
            if let failure {
                let delay = min(3600, 30 << min(queued.attempts, 7))
                // The command's error may quote the address: neither the log nor the outbox keeps it.
                let error = failure.replacingOccurrences(of: queued.mail.to, with: "<recipient>")
                logger.warning("mail not sent; will retry", metadata: ["id": "\(queued.id)", "in_s": "\(delay)", "error": "\(error)"])
                try? await store.markFailed(queued.id, error: error, retryAt: Timestamp(millisecondsSince1970: now.millisecondsSince1970 + Int64(delay) * 1000))
            } else {
                sent.append(queued.id)
            }
        }
        try? await store.markSent(sent, at: clock.now())
        return (sent.count, due.count)
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // A full batch means more is waiting: go on at once rather than after the interval.
            if await deliverDue().due == 200 { continue }
            // A graceful shutdown ends the wait at once (a plain sleep would hold the shutdown for up to `interval`).
            let interval = interval
            try? await cancelWhenGracefulShutdown { try await self.clock.sleep(for: interval) }
        }
        _ = await deliverDue()  // what was queued by the last requests
    }
}
