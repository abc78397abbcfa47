/// A message from a client, parsed and checked for shape (not yet for permission or existence).
public enum ClientMessage: Sendable, Equatable {
    /// Subscribe to topics, optionally resuming each from a position. All-or-nothing.
    case subscribe(ref: String?, topics: [Topic], resume: [Topic: ResumePosition])
    /// Stop receiving topics. Topics not subscribed are ignored.
    case unsubscribe(ref: String?, topics: [Topic])
    /// Liveness check; answered by `pong`.
    case ping(ref: String?)

    /// The longest `ref` accepted.
    public static let maxRefLength = 64

    /// The message's `ref`, if it has one.
    public var ref: String? {
        switch self {
        case .subscribe(let ref, _, _), .unsubscribe(let ref, _), .ping(let ref): ref
        }
    }

    /// Parses one text frame's payload.
    /// - Returns: the message, or the protocol error to send back (with the `ref` when it could be read).
    public static func decode(_ bytes: some Collection<UInt8>) -> Result<ClientMessage, ProtocolError> {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            return .failure(ProtocolError(.malformedJSON, "The message is not valid JSON."))
        }
        return decode(value)
    }

    /// Interprets an already-parsed JSON value.
    public static func decode(_ value: JSONValue) -> Result<ClientMessage, ProtocolError> {
        guard case .object = value else {
            return .failure(ProtocolError(.malformedJSON, "The message must be a JSON object."))
        }
        var ref: String?
        if let refValue = value["ref"] {
            guard let text = refValue.stringValue, text.utf8.count <= maxRefLength else {
                return .failure(ProtocolError(.invalidMessage, "`ref` must be a string of at most \(maxRefLength) bytes."))
            }
            ref = text
        }
        guard let type = value["type"]?.stringValue else {
            return .failure(ProtocolError(.unknownType, ref: ref, "`type` must name a client message."))
        }
        switch type {
        case "ping":
            return .success(.ping(ref: ref))
        case "subscribe", "unsubscribe":
            guard let items = value["topics"]?.arrayValue, !items.isEmpty else {
                return .failure(ProtocolError(.invalidMessage, ref: ref, "`topics` must be a non-empty array of strings."))
            }
            var topics: [Topic] = []
            for item in items {
                guard let text = item.stringValue else {
                    return .failure(ProtocolError(.invalidMessage, ref: ref, "`topics` must contain only strings."))
                }
                guard let topic = Topic(text) else {
                    // Unsubscribing from something that is not a topic is a no-op, not an error.
                    if type == "unsubscribe" { continue }
                    return .failure(ProtocolError(.unknownTopic, ref: ref, "`\(text.prefix(64))` is not a topic."))
                }
                if !topics.contains(topic) { topics.append(topic) }
            }
            if type == "unsubscribe" { return .success(.unsubscribe(ref: ref, topics: topics)) }
            var resume: [Topic: ResumePosition] = [:]
            if let resumeValue = value["resume"], !resumeValue.isNull {
                guard let entries = resumeValue.objectValue else {
                    return .failure(ProtocolError(.invalidMessage, ref: ref, "`resume` must be an object keyed by topic."))
                }
                for (key, position) in entries {
                    guard let topic = Topic(key), topics.contains(topic) else {
                        return .failure(
                            ProtocolError(.invalidMessage, ref: ref, "`resume` names `\(key.prefix(64))`, which is not in `topics`.")
                        )
                    }
                    guard let epoch = position["epoch"]?.stringValue, let offset = position["offset"]?.intValue, offset >= 0
                    else {
                        return .failure(
                            ProtocolError(.invalidMessage, ref: ref, "Each `resume` entry needs a string `epoch` and an integer `offset` >= 0.")
                        )
                    }
                    resume[topic] = ResumePosition(epoch: epoch, offset: UInt64(offset))
                }
            }
            return .success(.subscribe(ref: ref, topics: topics, resume: resume))
        default:
            return .failure(ProtocolError(.unknownType, ref: ref, "Unknown message type `\(type.prefix(32))`."))
        }
    }

    /// The wire form, as a client would send it (used by test clients and the load generator).
    public var json: JSONValue {
        switch self {
        case .ping(let ref):
            return .object([("type", "ping")] + Self.refPair(ref))
        case .unsubscribe(let ref, let topics):
            return .object([("type", "unsubscribe"), ("topics", .array(topics.map { .string($0.description) }))] + Self.refPair(ref))
        case .subscribe(let ref, let topics, let resume):
            var pairs: [(String, JSONValue)] = [("type", "subscribe"), ("topics", .array(topics.map { .string($0.description) }))]
            if !resume.isEmpty {
                let entries = topics.compactMap { topic in
                    resume[topic].map { (topic.description, JSONValue.object([("epoch", .string($0.epoch)), ("offset", .int(Int64($0.offset)))])) }
                }
                pairs.append(("resume", .object(entries)))
            }
            return .object(pairs + Self.refPair(ref))
        }
    }

    static func refPair(_ ref: String?) -> [(String, JSONValue)] {
        ref.map { [("ref", JSONValue.string($0))] } ?? []
    }
}
