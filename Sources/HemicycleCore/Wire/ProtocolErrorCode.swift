/// The `code` of an `error` frame. Catalogued in Protocol/PROTOCOL.md; an error frame never closes the connection
/// and the message that caused it changes nothing. One is sent unprompted (`ref` null): `access_revoked`.
public enum ProtocolErrorCode: String, Sendable, CaseIterable {
    /// Not JSON, or not a JSON object.
    case malformedJSON = "malformed_json"
    /// A known type with a missing or wrong field.
    case invalidMessage = "invalid_message"
    /// `type` names no client message.
    case unknownType = "unknown_type"
    /// Not a topic, or a topic for something that does not exist.
    case unknownTopic = "unknown_topic"
    /// A topic this connection may not read.
    case forbiddenTopic = "forbidden_topic"
    /// The subscribe would exceed the per-connection topic limit.
    case tooManyTopics = "too_many_topics"
    /// The message is over the inbound limit.
    case messageTooLarge = "message_too_large"
    /// A binary frame; the protocol is JSON text.
    case binaryNotSupported = "binary_not_supported"
    /// Sent unprompted, not caused by a client message: the staff session this connection was opened with ended
    /// (logout, expiry) or lost the role or assignment behind some staff topics; those topics were dropped.
    case accessRevoked = "access_revoked"
}
