import HemicycleApp
import HemicycleCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

@Suite struct ShutdownTests {
    /// Runs the app in a service group of its own (so the test can trigger the graceful shutdown) and returns the
    /// group, the task running it and the port it listens on.
    static func start() async throws -> (ServiceGroup, Task<Void, any Error>, Int) {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let (app, _) = try await TestApp.make { configuration in
            configuration.onServerRunning = { port in portSink.yield(port) }
        }
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return (group, running, port)
    }

    @Test func gracefulShutdownClosesLiveSocketsWith1001() async throws {
        let (group, running, port) = try await Self.start()

        let live = try await TestLiveClient.connect(port: port)
        guard case .welcome = try await live.next() else {
            Issue.record("expected a welcome")
            return
        }
        try await live.send(.subscribe(ref: nil, topics: [.petition(.init(1))], resume: [:]))
        _ = try await live.next { if case .subscribed = $0 { true } else { false } }

        await group.triggerGracefulShutdown()
        // The shutdown reaches the server through several tasks: with every suite running in parallel on two cores the
        // cooperative pool can take seconds to get there (measured: 5.5 s), so the wait is generous; what is tested
        // is the close code, not how fast it comes.
        #expect(try await live.closeCode(timeout: .seconds(30)) == CloseCode.goingAway.rawValue)
        try await running.value
    }

    @Test func aConnectionThatNeverSentARequestDoesNotHoldUpShutdown() async throws {
        let (group, running, port) = try await Self.start()
        let silent = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await running.value
        // Without the pre-request guard's quiesce handling the shutdown would wait for its 30 s timeout; the bound is
        // far from both ends so that a loaded machine (the suites run in parallel) cannot fail it.
        #expect(ContinuousClock.now - started < .seconds(20), "shutdown did not wait for the silent connection")
        try await silent.closeFuture.get()
    }
}
