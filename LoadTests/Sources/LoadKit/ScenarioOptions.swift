/// What every scenario needs to know about the server under test and the generator.
public struct ScenarioOptions: Sendable {
    public var host: String
    public var port: Int
    public var kind: ServerKind
    /// A name for the report (`hemicycle`, `node-ws`, `c-epoll`).
    public var label: String
    public var petition: Int
    public var viewers: Int
    public var viewersPerProcess: Int
    public var sources: [String]
    public var maxInFlight: Int
    /// The server's process id, to read its RSS (with its children) from /proc.
    public var serverPID: Int32?

    public init(
        host: String, port: Int, kind: ServerKind, label: String, petition: Int, viewers: Int,
        viewersPerProcess: Int, sources: [String], maxInFlight: Int, serverPID: Int32?
    ) {
        self.host = host
        self.port = port
        self.kind = kind
        self.label = label
        self.petition = petition
        self.viewers = viewers
        self.viewersPerProcess = viewersPerProcess
        self.sources = sources
        self.maxInFlight = maxInFlight
        self.serverPID = serverPID
    }

    /// Viewers watch this sitting instead of the petition (the `questions` scenario).
    public var sitting: Int?

    /// Viewers read this bill instead (the `legislation` scenario).
    public var bill: Int?

    public var topic: String { bill.map { "bill:\($0)" } ?? sitting.map { "sitting:\($0)" } ?? "petition:\(petition)" }

    /// Parses `127.0.0.2-127.0.0.40,127.0.1.1` into single addresses (ranges vary the last octet).
    public static func parseSources(_ text: String) -> [String] {
        text.split(separator: ",").flatMap { part -> [String] in
            let bounds = part.split(separator: "-")
            guard bounds.count == 2, let dot = bounds[0].lastIndex(of: "."),
                let first = Int(bounds[0][bounds[0].index(after: dot)...]),
                let last = Int(bounds[1].split(separator: ".").last ?? "")
            else { return [String(part)] }
            let prefix = bounds[0][...dot]
            return (first...max(first, last)).map { "\(prefix)\($0)" }
        }
    }

    var baseParameters: [String: String] {
        ["viewers": String(viewers), "kind": kind.rawValue, "port": String(port)]
    }
}
