import Foundation
public import HemicyclePostgres
public import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for tests: created with `initdb` in a temporary folder and started with `pg_ctl`
/// on a free port (TCP on 127.0.0.1, and its unix socket in that folder), once per test process; a watchdog stops it
/// and deletes the folder when the process ends, however it ends. Each test takes a database of its own
/// (`newDatabase()`).
///
/// The binaries are looked for on PATH, then in /usr/lib/postgresql/*/bin (Debian's `postgresql` package). `initdb`
/// refuses to run as root: as root, the cluster belongs to the `postgres` user and its commands run through
/// `runuser -u postgres --`. The cluster runs without `fsync` (tests need speed, not crash safety).
///
/// When PostgreSQL is absent, `isAvailable` is false and the PostgreSQL runs are skipped (a test says so, with the
/// reason); with `HEMICYCLE_REQUIRE_POSTGRES=1` (CI) they run and fail instead.
public enum TestCluster {
    /// Whether PostgreSQL must be there (`HEMICYCLE_REQUIRE_POSTGRES=1`): then its absence fails the tests.
    public static var required: Bool { ProcessInfo.processInfo.environment["HEMICYCLE_REQUIRE_POSTGRES"] == "1" }

    /// The folder holding `initdb`, `pg_ctl` and `psql`, or nil when PostgreSQL is not installed.
    public static let binaries: String? = {
        let fm = FileManager.default
        func complete(_ folder: String) -> Bool { ["initdb", "pg_ctl", "psql"].allSatisfy { fm.isExecutableFile(atPath: folder + "/" + $0) } }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) where complete(folder) {
            // Debian's /usr/bin holds wrappers without initdb; a PATH folder with all three is a real installation.
            return folder
        }
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        return versions.map { "/usr/lib/postgresql/\($0)/bin" }.first(where: complete)
    }()

    /// Whether PostgreSQL is installed here.
    public static var isAvailable: Bool { binaries != nil }

    /// Why the PostgreSQL runs are skipped (for the skipped test's note).
    public static let absentReason =
        "PostgreSQL is not installed (no initdb, pg_ctl and psql on PATH or in /usr/lib/postgresql/*/bin): the PostgreSQL runs of the store, HTTP and live tests are SKIPPED. Install it (Debian: apt-get install postgresql) to run them; CI sets HEMICYCLE_REQUIRE_POSTGRES=1, which makes its absence a failure."

    /// A started cluster.
    public struct Cluster: Sendable {
        public let folder: String
        public let port: Int
        public let binaries: String

        /// The URL of `database` on this cluster, over TCP without TLS.
        public func url(database: String) -> PostgresURL {
            PostgresURL(user: "postgres", password: nil, host: "127.0.0.1", port: port, database: database, tls: .disable)
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private static let cluster = Task<Cluster, any Error> { try await onBackgroundThread { try start() } }

    /// The cluster, started on first use.
    public static func shared() async throws -> Cluster {
        try await cluster.value
    }

    private static let counter = Counter()

    /// Creates an empty database on the shared cluster and returns its URL.
    public static func newDatabase() async throws -> PostgresURL {
        let cluster = try await shared()
        let name = "test_\(ProcessInfo.processInfo.processIdentifier)_\(counter.next())"
        try await onBackgroundThread {
            try run(cluster.binaries + "/psql", ["-X", "-q", "-h", cluster.folder, "-p", "\(cluster.port)", "-U", "postgres", "-d", "postgres", "-c", "CREATE DATABASE \(name)"])
        }
        return cluster.url(database: name)
    }

    /// How long a test waits for a fresh database's first answer: two minutes, where a deployment waits 15 s. In a
    /// parallel run on two cores (hundreds of tests, each building an application and creating a database) the first
    /// answer has been seen to take longer than 15 s; a slow machine must not fail a test, and a missing or stopped
    /// server still fails it (the cluster was started, or its start failed, before this is used).
    public static let connectTimeout: Duration = .seconds(120)

    /// Opens a store on a new database of the shared cluster (`newDatabase()`), waiting `connectTimeout` at most.
    public static func openStore(poolSize: Int = 4, logger: Logger = Logger(label: "test")) async throws -> PostgresStore {
        try await PostgresStore.open(url: try await newDatabase(), poolSize: poolSize, connectTimeout: connectTimeout, logger: logger)
    }

    // MARK: - Starting

    private static func start() throws -> Cluster {
        guard let binaries else { throw Failure(description: absentReason) }
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("hemicycle-pg-\(UUID().uuidString.prefix(8))").path
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot { try fm.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: folder) }
        func command(_ tool: String, _ arguments: [String]) throws {
            if asRoot {
                try run("/usr/sbin/runuser", ["-u", "postgres", "--", binaries + "/" + tool] + arguments)
            } else {
                try run(binaries + "/" + tool, arguments)
            }
        }
        let data = folder + "/data"
        try command("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        let port = try freePort()
        let options = [
            "-p \(port)", "-k \(folder)", "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c full_page_writes=off", "-c max_connections=500",
            "-c shared_buffers=64MB",
        ].joined(separator: " ")
        try command("pg_ctl", ["-D", data, "-l", folder + "/server.log", "-o", options, "-w", "-t", "60", "start"])
        try startWatchdog(folder: folder, data: data, binaries: binaries, asRoot: asRoot)
        return Cluster(folder: folder, port: port, binaries: binaries)
    }

    /// A shell, in a session of its own, that waits for this process to end, then stops the cluster and deletes its
    /// folder (also when the test process is killed).
    private static func startWatchdog(folder: String, data: String, binaries: String, asRoot: Bool) throws {
        let stop = (asRoot ? "/usr/sbin/runuser -u postgres -- " : "") + "'\(binaries)/pg_ctl' -D '\(data)' -m immediate stop"
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop); rm -rf '\(folder)'"
        _ = try spawn("/bin/sh", ["-c", script], output: "/dev/null", newSession: true)
    }

    /// Runs a program to its end; throws with its output when it fails.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-pg-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let pid = try spawn(executable, arguments, output: output, newSession: false)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(description: "waitpid failed for \(executable)") }
        }
        // Exited normally (no signal) with status 0.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed (status \(status)): \(text.suffix(2000))")
        }
    }

    /// Starts a program with stdin from /dev/null and stdout and stderr to `output` (posix_spawn: Foundation's
    /// Process does not reap reliably off the main thread here).
    private static func spawn(_ executable: String, _ arguments: [String], output: String, newSession: Bool) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The child (the postmaster, the watchdog) must not inherit the test process's other descriptors: sockets of
        // tests running meanwhile would stay open in it for the whole run, and their peers would never see them close.
        closeOthers(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if newSession { posix_spawnattr_setflags(&attributes, Int16(0x80)) }  // POSIX_SPAWN_SETSID
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw Failure(description: "cannot start \(executable) (error \(result))") }
        return pid
    }

    /// Adds "close every descriptor from 3 up" to `actions`: glibc's `posix_spawn_file_actions_addclosefrom_np`
    /// (2.34+), looked up at run time because the Glibc module does not export it.
    private static func closeOthers(_ actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
    }

    /// A TCP port nothing listens on now (the kernel's pick).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else { throw Failure(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs blocking work (processes) off the concurrency pool's few threads.
    private static func onBackgroundThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Numbers databases within this process.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
