import HemicycleHub
import ServiceLifecycle

/// Runs the hub's heartbeat sweeps for the life of the application.
struct HubService: Service {
    let hub: Hub

    func run() async throws {
        await hub.startHeartbeats(ping: WebSocketWire.frame(.ping, payload: [UInt8]()))
        await withGracefulShutdownHandler {
            try? await gracefulShutdown()
        } onGracefulShutdown: {}
        await hub.stopHeartbeats()
    }
}
