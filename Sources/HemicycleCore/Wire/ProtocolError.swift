/// A protocol error to report to the client as an `error` frame.
public struct ProtocolError: Error, Sendable, Equatable {
    public var code: ProtocolErrorCode
    /// The `ref` of the message that caused it, when it could be read.
    public var ref: String?
    public var message: String

    public init(_ code: ProtocolErrorCode, ref: String? = nil, _ message: String) {
        self.code = code
        self.ref = ref
        self.message = message
    }
}
