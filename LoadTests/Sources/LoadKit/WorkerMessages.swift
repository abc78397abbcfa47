import Foundation

/// A command from the coordinator to a worker process, one JSON object per line on the worker's standard input.
///
/// `status`, `await {value, timeout_ms}`, `cut`, `stop_reading {every}`, `clear`, `dump {path}`,
/// `rejoined {value: the restart's monotonic nanoseconds, timeout_ms}` (viewers that rejoin), `exit`.
public struct WorkerCommand: Codable, Sendable {
    public var cmd: String
    public var value: Int64?
    public var timeoutMs: Int?
    public var every: Int?
    public var path: String?

    public init(_ cmd: String, value: Int64? = nil, timeoutMs: Int? = nil, every: Int? = nil, path: String? = nil) {
        self.cmd = cmd
        self.value = value
        self.timeoutMs = timeoutMs
        self.every = every
        self.path = path
    }
}

/// An event from a worker process, one JSON object per line on its standard output.
///
/// `ready` (all viewers subscribed or failed), `status`, `awaited`, `back` (after a cut), `stopped_reading`,
/// `cleared`, `dumped`, `rejoined` (every lost viewer back after a restart: `times` in ms from the restart, `count`
/// back with a snapshot whose counts were `low`…`high`, `resumed` from the history, `behind` not back), `error`;
/// `exited` is made up by the coordinator when the worker's output ends.
public struct WorkerEvent: Codable, Sendable {
    public var event: String
    public var ok: Bool?
    public var ms: Double?
    public var value: Int64?
    public var behind: Int?
    public var count: Int?
    public var path: String?
    public var message: String?
    public var stats: FleetStats?
    public var times: [Double]?
    public var resumed: Int?
    public var low: Int64?
    public var high: Int64?

    public init(event: String) {
        self.event = event
    }
}

/// The line codec both sides use.
public enum WorkerLines {
    public static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var data = (try? encoder.encode(value)) ?? Data(#"{"event":"error","message":"encoding failed"}"#.utf8)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    public static func decode<T: Decodable>(_ type: T.Type, from line: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: line)
    }
}
