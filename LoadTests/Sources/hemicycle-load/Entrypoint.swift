import ArgumentParser
import Foundation
import LoadKit

@main
struct HemicycleLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hemicycle-load",
        abstract: "Load generator for Hemicycle and its peers (node-ws, c-epoll): one subcommand per scenario.",
        discussion: """
            Every scenario prints a table and, with --json FILE, writes the same numbers as JSON. Viewers are held by \
            worker processes (at most --viewers-per-process each) connecting from --sources. Pin the server and the \
            generator to different cores with taskset; LoadTests/compare runs all three servers side by side.
            """,
        subcommands: [Hold.self, Fanout.self, Cluster.self, SignSpike.self, ReconnectStorm.self, SlowReaders.self, Questions.self, Legislation.self, LegislationBillText.self, Crash.self, Worker.self]
    )
}

/// The options every scenario shares.
struct TargetOptions: ParsableArguments {
    @Option(help: "Server host.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 8080
    @Option(help: "hemicycle (GET /live, signatures) or peer (GET /ws, POST /trigger).") var kind: ServerKind = .hemicycle
    @Option(help: "Name of the server in the report (default: the kind).") var label: String?
    @Option(help: "Petition whose count the viewers watch (Hemicycle).") var petition = 1
    @Option(help: "Viewer connections.") var viewers = 1_000
    @Option(help: "Viewers per worker process (one process holds at most ~19,990 sockets here).")
    var viewersPerProcess = 10_000
    @Option(help: "Source addresses to connect from, e.g. 127.0.0.2-127.0.0.40.") var sources = "127.0.0.2-127.0.0.40"
    @Option(help: "Connections being opened at once, per worker.") var maxInFlight = 256
    @Option(help: "The server's pid, to report its RSS (children included).") var serverPid: Int32?
    @Option(help: "Also write the report as JSON to this file.") var json: String?

    var scenario: ScenarioOptions {
        ScenarioOptions(
            host: host, port: port, kind: kind, label: label ?? kind.rawValue, petition: petition, viewers: viewers,
            viewersPerProcess: viewersPerProcess, sources: ScenarioOptions.parseSources(sources),
            maxInFlight: maxInFlight, serverPID: serverPid)
    }

    func emit(_ report: Report) throws {
        print(report.table)
        if let json { try report.json().write(to: URL(fileURLWithPath: json)) }
    }
}

extension ServerKind: ExpressibleByArgument {}

struct Hold: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open N viewers, subscribe each, hold them: connect rate and server RSS per connection.")
    @OptionGroup var target: TargetOptions
    @Option(help: "Seconds to hold before measuring RSS.") var holdSeconds = 5.0

    func run() async throws {
        try target.emit(try await HoldScenario(holdSeconds: holdSeconds).run(target.scenario))
    }
}

struct Fanout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count changes in rounds, then at a sustained rate: trigger-to-viewer delay, delivered, frames/s.")
    @OptionGroup var target: TargetOptions
    @Option(help: "Rounds (each waits until every viewer has the change).") var rounds = 20
    @Option(help: "Pause between rounds, ms.") var gapMs = 200
    @Option(help: "Sustained phase: count changes per second.") var rate = 10.0
    @Option(help: "Sustained phase: seconds (0 skips it).") var sustainedSeconds = 10.0

    func run() async throws {
        let scenario = FanoutScenario(rounds: rounds, gapMs: gapMs, rate: rate, sustainedSeconds: sustainedSeconds)
        try target.emit(try await scenario.run(target.scenario))
    }
}

struct Cluster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Viewers on k nodes (--ports), count changes in rounds: Hemicycle signs on one node; a peer's k processes each get a trigger at once.")
    @OptionGroup var target: TargetOptions
    @Option(help: "The nodes' ports, comma-separated: --viewers connect to EACH.") var ports: String
    @Option(help: "Hemicycle: the node the signatures go to (default: the first of --ports).") var triggerPort: Int?
    @Option(help: "Rounds (each waits until every viewer on every node has the change).") var rounds = 20
    @Option(help: "Pause between rounds, ms.") var gapMs = 200

    func run() async throws {
        let list = ports.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty else { throw ValidationError("--ports needs at least one port.") }
        let scenario = ClusterScenario(ports: list, triggerPort: triggerPort, rounds: rounds, gapMs: gapMs)
        try target.emit(try await scenario.run(target.scenario))
    }
}

struct SignSpike: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-spike",
        abstract: "M signers post as fast as acknowledged while N viewers watch: signatures/s, ack latency, ack-to-viewers lag, final counts.")
    @OptionGroup var target: TargetOptions
    @Option(help: "Concurrent signers (keep-alive connections).") var signers = 64
    @Option(help: "Seconds of signing.") var seconds = 10.0
    @Option(help: "Server with --signature-confirmation email: the folder its --sendmail command writes messages to; each is confirmed.")
    var confirmMailDir: String?
    @Option(help: "Connections confirming at once (with --confirm-mail-dir).") var confirmers = 16

    func run() async throws {
        let scenario = SignSpikeScenario(signers: signers, seconds: seconds, confirmMailDirectory: confirmMailDir, confirmers: confirmers)
        try target.emit(try await scenario.run(target.scenario))
    }
}

struct ReconnectStorm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconnect-storm",
        abstract: "Cut every viewer at once and reconnect with resume: time until all are back, missed events.")
    @OptionGroup var target: TargetOptions
    @Option(help: "Count changes per second during the storm.") var rate = 10.0
    @Option(help: "Seconds of changes before the cut (and after it, at least).") var settleSeconds = 2.0

    func run() async throws {
        try target.emit(try await ReconnectStormScenario(rate: rate, settleSeconds: settleSeconds).run(target.scenario))
    }
}

struct SlowReaders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slow-readers",
        abstract: "Every Kth viewer stops reading: the others' latency against rounds without them, server RSS over time.")
    @OptionGroup var target: TargetOptions
    @Option(help: "Every Kth viewer stops reading (10: 10%).") var every = 10
    @Option(help: "Fan-out rounds measured before and after the readers stop.") var rounds = 20
    @Option(help: "Count changes per second in the burst after the readers stop.") var rate = 10.0
    @Option(help: "Seconds of that burst.") var seconds = 10.0

    func run() async throws {
        let scenario = SlowReadersScenario(every: every, rate: rate, seconds: seconds, rounds: rounds)
        try target.emit(try await scenario.run(target.scenario))
    }
}

struct Questions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Viewers on a sitting, moderators on its queue, questions at a rate, each approved on arrival: submission-to-moderators and approval-to-viewers delays (Hemicycle only).")
    @OptionGroup var target: TargetOptions
    @Option(help: "The sitting.") var sitting = 1
    @Option(help: "Questions per second.") var rate = 20.0
    @Option(help: "Seconds of questions.") var seconds = 10.0
    @Option(help: "Moderators watching the queue (accounts moderator1…N must exist).") var moderators = 3
    @Option(help: "Moderator emails; %d becomes 1…N.") var moderatorEmail = "moderator%d@load.test"
    @Option(help: "A clerk's email (raises the sitting's per-address limits).") var clerkEmail = "clerk@load.test"
    @Option(help: "The staff accounts' password.") var password = "load-test-password"

    func run() async throws {
        let scenario = QuestionsScenario(
            sitting: sitting, rate: rate, seconds: seconds, moderators: moderators, moderatorEmail: moderatorEmail,
            clerkEmail: clerkEmail, password: password)
        try target.emit(try await scenario.run(target.scenario))
    }
}

struct Legislation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Readers of a bill, moderators on its queue, comments at a rate (each approved on arrival) and the marker moving: submission-to-moderators, approval-to-readers and marker-to-readers delays, deliveries complete (Hemicycle only).",
        discussion: """
            The bill must be published, with sections sec_1…sec_K (legislation-bill writes one), its limits raised \
            for one address (hemicycle bills settings), and staff accounts moderator1…N and a clerk assigned to it \
            (hemicycle staff add … --bill ID). LoadTests/compare legislation does all of that.
            """)
    @OptionGroup var target: TargetOptions
    @Option(help: "The bill.") var bill = 2
    @Option(help: "Comments per second.") var rate = 5.0
    @Option(help: "Seconds of comments.") var seconds = 60.0
    @Option(help: "Seconds between marker moves (to the next section).") var markerEvery = 10.0
    @Option(help: "Moderators watching the queue (accounts moderator1…N must exist).") var moderators = 3
    @Option(help: "Moderator emails; %d becomes 1…N.") var moderatorEmail = "moderator%d@load.test"
    @Option(help: "The clerk's email (moves the marker).") var clerkEmail = "clerk@load.test"
    @Option(help: "The staff accounts' password.") var password = "load-test-password"
    @Option(help: "Longest wait for the server to show the bill (it reads bills stored by the command line every --bills-refresh-s).")
    var waitSeconds = 45.0

    func run() async throws {
        let scenario = LegislationScenario(
            bill: bill, rate: rate, seconds: seconds, markerEvery: markerEvery, moderators: moderators, moderatorEmail: moderatorEmail,
            clerkEmail: clerkEmail, password: password, waitSeconds: waitSeconds)
        try target.emit(try await scenario.run(target.scenario))
    }
}

struct LegislationBillText: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "legislation-bill",
        abstract: "Print a bill of N sections in Hemicycle's numbered-text format, for the legislation scenario.")
    @Option(help: "Sections.") var clauses = 200

    func run() throws {
        guard (1...5000).contains(clauses) else { throw ValidationError("--clauses must be between 1 and 5000.") }
        print(LegislationBill.text(clauses: clauses))
    }
}

struct Crash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Writers at full speed, SIGKILL at a random moment, restart on the same data, K times: acknowledged writes lost (target 0), restart to every viewer back (Hemicycle only).",
        discussion: """
            The scenario starts the server itself with the command given after --, kills it with SIGKILL and starts \
            it again with the same command (same --data-dir or --database). Staff accounts must exist: a clerk and a \
            moderator of the sitting, with one password (LoadTests/compare creates them). Example:
              hemicycle-load crash --viewers 10000 --kills 5 -- .build/release/hemicycle serve --port 8080 --data-dir /tmp/d
            """)
    @OptionGroup var target: TargetOptions
    @Option(help: "SIGKILLs (each followed by a restart and the checks).") var kills = 20
    @Option(help: "Writers run at least this long before each kill (s).") var minSeconds = 1.0
    @Option(help: "... and at most this long (s): the moment is random in between.") var maxSeconds = 4.0
    @Option(help: "Signers (keep-alive connections, signing as fast as acknowledged).") var signers = 32
    @Option(help: "Participants asking (each question then approved or rejected by the moderator at once).") var askers = 4
    @Option(help: "Participants voting on the approved questions.") var voters = 8
    @Option(help: "The sitting.") var sitting = 1
    @Option(help: "The moderator's email (a moderator of the sitting).") var moderatorEmail = "moderator1@load.test"
    @Option(help: "A clerk's email (raises the sitting's limits).") var clerkEmail = "clerk@load.test"
    @Option(help: "The staff accounts' password.") var password = "load-test-password"
    @Option(help: "Seed of the kill moments and moderation choices (default: random, printed in the report).") var seed: UInt64?
    @Option(help: "Viewers' reconnection backoff base (ms): attempt n waits random [0, min(cap, base x 2^n)], as the web client.")
    var backoffBaseMs = 1_000.0
    @Option(help: "Viewers' reconnection backoff cap (ms).") var backoffCapMs = 30_000.0
    @Option(help: "Append the server's output to this file.") var serverLog: String?
    @Option(help: "Longest wait for every viewer to be back after a restart (s).") var rejoinTimeout = 120.0
    @Argument(parsing: .postTerminator, help: "The server's command line, after --.") var server: [String] = []

    func run() async throws {
        let scenario = CrashScenario(
            kills: kills, minSeconds: minSeconds, maxSeconds: maxSeconds, signers: signers, askers: askers, voters: voters,
            sitting: sitting, moderatorEmail: moderatorEmail, clerkEmail: clerkEmail, password: password,
            seed: seed ?? UInt64.random(in: 0..<(1 << 32)), backoff: ReconnectBackoff(baseMs: backoffBaseMs, capMs: backoffCapMs),
            server: server, serverLog: serverLog, rejoinTimeoutSeconds: rejoinTimeout)
        try target.emit(try await scenario.run(target.scenario))
    }
}

struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Internal: holds a share of the viewers for a scenario, driven by JSON lines on stdin.",
        shouldDisplay: false)
    @Option var host = "127.0.0.1"
    @Option var port = 8080
    @Option var kind: ServerKind = .hemicycle
    @Option var topic = "petition:1"
    @Option var viewers = 100
    @Option var sources = "127.0.0.1"
    @Option var maxInFlight = 256
    @Option(help: "Reconnect lost viewers with the web client's backoff, from this base (ms).") var rejoinBaseMs: Double?
    @Option var rejoinCapMs = 30_000.0

    func run() throws {
        try WorkerProcessMain.run(.init(
            host: host, port: port, kind: kind, topic: topic, viewers: viewers,
            sources: ScenarioOptions.parseSources(sources), maxInFlight: maxInFlight,
            rejoin: rejoinBaseMs.map { ReconnectBackoff(baseMs: $0, capMs: rejoinCapMs) }))
    }
}
