import HemicycleStorage
import ServiceLifecycle

/// Runs the signature committer inside the application's service group. On graceful shutdown it stops taking
/// signatures and returns once every signature already taken is committed and answered. Listed before the HTTP
/// server, so the server (shut down first) finishes its in-flight requests while this still commits.
struct SignatureCommitterService: Service {
    let committer: SignatureCommitter

    func run() async throws {
        await withGracefulShutdownHandler {
            await committer.run()
        } onGracefulShutdown: {
            Task { await committer.finish() }
        }
    }
}
