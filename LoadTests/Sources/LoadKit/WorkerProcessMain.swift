import Foundation
import NIOCore
import NIOPosix

/// The body of `hemicycle-load worker`: one event loop holding a fleet of viewers, driven by commands on stdin.
///
/// A worker exits when its standard input ends (the coordinator is gone) or on `exit`.
public enum WorkerProcessMain {
    public static func run(_ configuration: ViewerFleet.Configuration) throws -> Never {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let output = FileHandle.standardOutput
        let reply: @Sendable (WorkerEvent) -> Void = { event in output.write(WorkerLines.encode(event)) }
        let fleet = try ViewerFleet(configuration: configuration, loop: loop, reply: reply)
        loop.execute { fleet.start() }
        while let line = readLine(strippingNewline: true) {
            guard !line.isEmpty else { continue }
            let command: WorkerCommand
            do {
                command = try WorkerLines.decode(WorkerCommand.self, from: Data(line.utf8))
            } catch {
                var event = WorkerEvent(event: "error")
                event.message = "unreadable command: \(line)"
                reply(event)
                continue
            }
            if command.cmd == "exit" { break }
            loop.execute { fleet.handle(command) }
        }
        exit(0)
    }
}
