import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// `Base` behind TLS: each connection gets a `NIOSSLServerHandler` with the context `TLSCertificates` holds now (so
/// a reloaded certificate serves the next connection), then `Base`'s own setup. As Hummingbird's `TLSChannel`, whose
/// context is fixed at start. Bytes that are not TLS (a plain-HTTP request on the TLS port) fail the handshake and
/// close the connection: nothing is answered in clear text.
struct TLSServerChannel<Base: ServerChildChannel & HTTPChannelHandler>: ServerChildChannel, HTTPChannelHandler {
    typealias Value = Base.Value

    let base: Base
    let certificates: TLSCertificates

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: certificates.context))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
