/// WebSocket close codes the server uses, catalogued in Protocol/PROTOCOL.md. 4000-4999 are Hemicycle's own.
public enum CloseCode: UInt16, Sendable, CaseIterable {
    /// 1000: the client asked to close.
    case normal = 1000
    /// 1001: the server is shutting down; reconnect and resume.
    case goingAway = 1001
    /// 1002: invalid WebSocket framing.
    case protocolError = 1002
    /// 1009: a single frame over the hard frame cap.
    case messageTooBig = 1009
    /// 4001: too many protocol errors in a short time.
    case abuse = 4001
    /// 4002: the client could not keep up and its outbound queue overflowed; reconnect and resume.
    case slowConsumer = 4002
    /// 4003: nothing received for too long.
    case idleTimeout = 4003

    /// The close reason sent with the code.
    public var reason: String {
        switch self {
        case .normal: "bye"
        case .goingAway: "server restarting, reconnect and resume"
        case .protocolError: "protocol error"
        case .messageTooBig: "frame too big"
        case .abuse: "too many protocol errors"
        case .slowConsumer: "too slow to keep up, reconnect and resume"
        case .idleTimeout: "idle timeout, reconnect and resume"
        }
    }
}
