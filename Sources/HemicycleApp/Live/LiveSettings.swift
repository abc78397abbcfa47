import NIOCore

/// Per-connection limits of the `/live` endpoint (see Protocol/PROTOCOL.md for the defaults).
public struct LiveSettings: Sendable {
    /// Largest inbound message, counted on the assembled message.
    public var maxMessageBytes = 16 * 1024
    /// Largest inbound frame: the message limit, since a frame is at most a whole message. A larger frame closes the
    /// connection with 1009 as soon as its header is read: its payload is never read or buffered.
    public var maxFrameBytes: Int { maxMessageBytes }
    /// Topics one connection may hold.
    public var maxTopics = 100
    /// Protocol errors within `abuseWindow` that close the connection with 4001.
    public var abuseErrors = 10
    public var abuseWindow: Duration = .seconds(10)
    /// Bounds of the queue a slow reader may build before it is closed with 4002.
    public var queueMaxFrames = 1024
    public var queueMaxBytes = 1024 * 1024
    /// Socket write-buffer watermarks: above `high` the socket counts as slow and frames queue (and collapse).
    public var writeBufferLow = 32 * 1024
    public var writeBufferHigh = 64 * 1024
    /// Write frames straight to the socket's descriptor (`DirectSocketWriter`) while NIO holds nothing unwritten for
    /// it. Plain TCP only: a connection whose pipeline already has a handler when Hemicycle's setup starts (TLS
    /// added by a wrapper such as Hummingbird's `TLSChannel`) or whose descriptor cannot be verified writes through
    /// NIO whatever this says.
    public var directSocketWrites = true
    /// Origins allowed besides the server's own (exact `scheme://host[:port]`).
    public var allowedOrigins: [String] = []

    public init() {}
}
