/// A protocol error to report to the client as an `error` frame.
public struct ProtocolError: Error, Sendable, Equatable {
    public var code: ProtocolErrorCode
    /// The `ref` of the message that caused it, when it could be read.
    public var ref: String?
    public var message: String
    /// The topics it is about, when that is not the request's: the topics an `access_revoked` took away.
    public var topics: [Topic]?

    public init(_ code: ProtocolErrorCode, ref: String? = nil, _ message: String, topics: [Topic]? = nil) {
        self.code = code
        self.ref = ref
        self.message = message
        self.topics = topics
    }
}
