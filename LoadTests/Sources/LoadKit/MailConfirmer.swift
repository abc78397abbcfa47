import Foundation
import Histogram
import NIOCore
import NIOHTTP1
import Synchronization

/// Reads the messages a server's `--sendmail` command writes to a folder (one file each), finds each `/confirm/TOKEN`
/// link, and POSTs it as the confirmation page's button does, on `connections` keep-alive connections at once.
public final class MailConfirmer: Sendable {
    public struct Outcome: Sendable {
        public var confirmed = 0
        public var refused = 0
        public var mailRead = 0
        public var lastConfirmedAt: UInt64 = 0
        public var latency: LatencySummary
    }

    let directory: String
    let host: String
    let port: Int
    let group: any EventLoopGroup
    let connections: Int
    private let expected = Mutex<Int?>(nil)

    public init(directory: String, host: String, port: Int, group: any EventLoopGroup, connections: Int) {
        self.directory = directory
        self.host = host
        self.port = port
        self.group = group
        self.connections = max(1, connections)
    }

    /// How many confirmations to wait for (known once signing ends).
    public func expect(_ count: Int) { expected.withLock { $0 = count } }

    /// The token of a message's confirmation link, if the message is complete enough to have one.
    static func token(in text: String) -> String? {
        guard let range = text.range(of: "/confirm/") else { return nil }
        let token = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return token.count >= 20 ? String(token) : nil
    }

    /// What the reader and the confirming connections share.
    final class Shared: Sendable {
        let tokens = Mutex<[String]>([])
        let results = Mutex<(confirmed: Int, refused: Int, last: UInt64, histogram: Histogram<UInt64>)>((0, 0, 0, LatencySummary.makeHistogram()))
        let finished = Mutex(false)
    }

    public func run() async throws -> Outcome {
        let shared = Shared()
        var seen = Set<String>()
        var lastProgress = MonotonicClock.nanos()
        var mailRead = 0
        let workers = try await withThrowingTaskGroup(of: HTTPConnection.self) { group in
            for _ in 0..<connections { group.addTask { try await HTTPConnection.connect(host: self.host, port: self.port, group: self.group) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in workers {
                group.addTask {
                    while true {
                        let token = shared.tokens.withLock { $0.isEmpty ? nil : $0.removeLast() }
                        guard let token else {
                            if shared.finished.withLock({ $0 }) { return }
                            try await Task.sleep(for: .milliseconds(5))
                            continue
                        }
                        let sent = MonotonicClock.nanos()
                        let response = try await connection.request(.POST, "/confirm/\(token)", json: "{}")
                        let done = MonotonicClock.nanos()
                        shared.results.withLock { r in
                            if response.status == 200 { r.confirmed += 1; r.last = max(r.last, done) } else { r.refused += 1 }
                            r.histogram.record((done - sent) / 1000)
                        }
                    }
                }
            }
            // The reader: new files, their tokens; stops when all expected are confirmed or nothing moved for 30 s.
            while true {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                for name in names where !name.hasPrefix(".") && !seen.contains(name) {
                    guard let text = try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8), let token = Self.token(in: text) else { continue }
                    seen.insert(name)
                    mailRead += 1
                    shared.tokens.withLock { $0.append(token) }
                    lastProgress = MonotonicClock.nanos()
                }
                let state = shared.results.withLock { ($0.confirmed + $0.refused) }
                if let expected = expected.withLock({ $0 }), state >= expected, shared.tokens.withLock({ $0.isEmpty }) { break }
                if MonotonicClock.nanos() - lastProgress > 30_000_000_000 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            shared.finished.withLock { $0 = true }
            try await group.waitForAll()
        }
        for connection in workers { await connection.close() }
        return shared.results.withLock { r in
            Outcome(confirmed: r.confirmed, refused: r.refused, mailRead: mailRead, lastConfirmedAt: r.last, latency: LatencySummary(r.histogram))
        }
    }
}
