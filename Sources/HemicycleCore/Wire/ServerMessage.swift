/// A message from the server. `json` gives its wire form with keys in the documented order.
public enum ServerMessage: Sendable, Equatable {
    /// First message on every connection.
    case welcome(session: String, heartbeatMilliseconds: Int, maxMessageBytes: Int, maxTopics: Int)
    /// A topic's whole current state at `offset`.
    case snapshot(topic: Topic, epoch: String, offset: UInt64, data: JSONValue)
    /// One change in a topic.
    case event(topic: Topic, epoch: String, offset: UInt64, event: String, data: JSONValue)
    /// The reply to a subscribe, after its snapshots or replayed events.
    case subscribed(ref: String?, topics: [SubscribedTopic])
    /// The reply to an unsubscribe.
    case unsubscribed(ref: String?, topics: [Topic])
    /// The reply to a ping.
    case pong(ref: String?)
    /// A protocol error; nothing changed.
    case error(ProtocolError)

    /// The wire protocol version this server speaks.
    public static let protocolVersion = 1

    /// One topic in a `subscribed` reply.
    public struct SubscribedTopic: Sendable, Equatable {
        public var topic: Topic
        public var epoch: String
        public var offset: UInt64
        /// `true` when missed events were replayed; `false` when a snapshot was sent.
        public var recovered: Bool

        public init(topic: Topic, epoch: String, offset: UInt64, recovered: Bool) {
            self.topic = topic
            self.epoch = epoch
            self.offset = offset
            self.recovered = recovered
        }
    }

    /// The wire form.
    public var json: JSONValue {
        switch self {
        case .welcome(let session, let heartbeat, let maxBytes, let maxTopics):
            return .object([
                ("type", "welcome"), ("protocol", .int(Int64(Self.protocolVersion))), ("session", .string(session)),
                ("heartbeat_ms", .int(Int64(heartbeat))),
                ("limits", .object([("max_message_bytes", .int(Int64(maxBytes))), ("max_topics", .int(Int64(maxTopics)))])),
            ])
        case .snapshot(let topic, let epoch, let offset, let data):
            return .object([
                ("type", "snapshot"), ("topic", .string(topic.description)), ("epoch", .string(epoch)),
                ("offset", .int(Int64(offset))), ("data", data),
            ])
        case .event(let topic, let epoch, let offset, let event, let data):
            return .object([
                ("type", "event"), ("topic", .string(topic.description)), ("epoch", .string(epoch)),
                ("offset", .int(Int64(offset))), ("event", .string(event)), ("data", data),
            ])
        case .subscribed(let ref, let topics):
            let items: [JSONValue] = topics.map {
                .object([
                    ("topic", .string($0.topic.description)), ("epoch", .string($0.epoch)), ("offset", .int(Int64($0.offset))),
                    ("recovered", .bool($0.recovered)),
                ])
            }
            return .object([("type", "subscribed")] + ClientMessage.refPair(ref) + [("topics", .array(items))])
        case .unsubscribed(let ref, let topics):
            return .object(
                [("type", "unsubscribed")] + ClientMessage.refPair(ref) + [("topics", .array(topics.map { .string($0.description) }))]
            )
        case .pong(let ref):
            return .object([("type", "pong")] + ClientMessage.refPair(ref))
        case .error(let error):
            let topics: [(String, JSONValue)] = error.topics.map { [("topics", .array($0.map { .string($0.description) }))] } ?? []
            return .object([
                ("type", "error"), ("ref", error.ref.map { .string($0) } ?? .null), ("code", .string(error.code.rawValue)),
                ("message", .string(error.message)),
            ] + topics)
        }
    }

    /// The compact UTF-8 wire bytes.
    public var bytes: [UInt8] { JSONWriter.bytes(json) }

    /// Why a server message could not be read (for clients and tests).
    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Parses a server message (used by test clients, the load generator and the example round-trip tests).
    public static func decode(_ bytes: some Collection<UInt8>) throws -> ServerMessage {
        let value = try JSONValue.parse(bytes)
        return try decode(value)
    }

    /// Interprets an already-parsed JSON value.
    public static func decode(_ value: JSONValue) throws -> ServerMessage {
        func fail(_ why: String) -> DecodingError { DecodingError(description: why) }
        func topic(_ v: JSONValue?) throws -> Topic {
            guard let text = v?.stringValue, let topic = Topic(text) else { throw fail("bad topic") }
            return topic
        }
        func offset(_ v: JSONValue?) throws -> UInt64 {
            guard let i = v?.intValue, i >= 0 else { throw fail("bad offset") }
            return UInt64(i)
        }
        func string(_ v: JSONValue?, _ name: String) throws -> String {
            guard let s = v?.stringValue else { throw fail("missing \(name)") }
            return s
        }
        let ref = value["ref"]?.stringValue
        switch value["type"]?.stringValue {
        case "welcome":
            guard value["protocol"]?.intValue == Int64(protocolVersion), let hb = value["heartbeat_ms"]?.intValue,
                let limits = value["limits"], let maxBytes = limits["max_message_bytes"]?.intValue,
                let maxTopics = limits["max_topics"]?.intValue
            else { throw fail("bad welcome") }
            return .welcome(session: try string(value["session"], "session"), heartbeatMilliseconds: Int(hb),
                maxMessageBytes: Int(maxBytes), maxTopics: Int(maxTopics))
        case "snapshot":
            guard let data = value["data"] else { throw fail("missing data") }
            return .snapshot(topic: try topic(value["topic"]), epoch: try string(value["epoch"], "epoch"),
                offset: try offset(value["offset"]), data: data)
        case "event":
            guard let data = value["data"] else { throw fail("missing data") }
            return .event(topic: try topic(value["topic"]), epoch: try string(value["epoch"], "epoch"),
                offset: try offset(value["offset"]), event: try string(value["event"], "event"), data: data)
        case "subscribed":
            guard let items = value["topics"]?.arrayValue else { throw fail("missing topics") }
            return .subscribed(ref: ref, topics: try items.map {
                guard case .bool(let recovered)? = $0["recovered"] else { throw fail("missing recovered") }
                return SubscribedTopic(topic: try topic($0["topic"]), epoch: try string($0["epoch"], "epoch"),
                    offset: try offset($0["offset"]), recovered: recovered)
            })
        case "unsubscribed":
            guard let items = value["topics"]?.arrayValue else { throw fail("missing topics") }
            return .unsubscribed(ref: ref, topics: try items.map { try topic($0) })
        case "pong":
            return .pong(ref: ref)
        case "error":
            guard let code = value["code"]?.stringValue.flatMap(ProtocolErrorCode.init(rawValue:)) else { throw fail("bad code") }
            let topics = try value["topics"]?.arrayValue.map { try $0.map { try topic($0) } }
            return .error(ProtocolError(code, ref: ref, try string(value["message"], "message"), topics: topics))
        default:
            throw fail("unknown type")
        }
    }
}
