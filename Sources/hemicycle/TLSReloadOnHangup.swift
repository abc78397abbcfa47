import HemicycleApp
import Logging
import ServiceLifecycle
import UnixSignals

/// With `--tls-cert`: on each SIGHUP, reads the certificate and key again (`TLSCertificates.reload`), so a renewed
/// certificate is served to new connections without a restart. A file that cannot be read keeps the old certificate
/// and is logged as an error.
struct TLSReloadOnHangup: Service {
    let certificates: TLSCertificates
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            do {
                try certificates.reload()
                logger.notice("reloaded the TLS certificate (SIGHUP)", metadata: ["certificate": "\(certificates.certificatePath)"])
            } catch {
                logger.error("SIGHUP: the TLS certificate was not reloaded; the previous one is still served", metadata: ["error": "\(error.description)"])
            }
        }
    }
}
