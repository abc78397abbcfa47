/// Which protocol the server under test speaks.
///
/// - `hemicycle`: `GET /live`, subscribe to a topic, count events carry `signature_count`; a trigger is a signature
///   (`POST /api/v1/petitions/{id}/signatures`), whose 201 carries the count that includes it.
/// - `peer`: the broadcasters in `../shared/peers` (`node-ws`, `c-epoll`): `GET /ws`, every connection gets every
///   broadcast, a trigger is `POST /trigger` (204), and each frame carries `"count": N`, a sequence number.
public enum ServerKind: String, Sendable, Codable, CaseIterable {
    case hemicycle
    case peer

    /// The WebSocket path.
    public var webSocketPath: String {
        switch self {
        case .hemicycle: "/live"
        case .peer: "/ws"
        }
    }
}
