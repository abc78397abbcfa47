import Foundation
import NIOCore
import NIOHTTP1

/// One trigger sent to the server: when, and the count value that includes it.
public struct TriggerRecord: Sendable {
    public var sentAt: UInt64
    public var ackedAt: UInt64
    public var status: Int
    /// Hemicycle: the `signature_count` of the 201. Peers: nil until the coordinator numbers the triggers.
    public var value: Int64?
}

/// Sends count changes to the server over one keep-alive connection: a signature with a fresh email for Hemicycle,
/// `POST /trigger` for the peers.
public final class Triggerer: @unchecked Sendable {
    private let connection: HTTPConnection
    private let kind: ServerKind
    private let petition: Int
    private let run: String
    private let name: String
    private var sequence = 0

    public init(connection: HTTPConnection, kind: ServerKind, petition: Int, name: String) {
        self.connection = connection
        self.kind = kind
        self.petition = petition
        self.name = name
        self.run = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
    }

    public static func connect(
        host: String, port: Int, group: any EventLoopGroup, kind: ServerKind, petition: Int, name: String
    ) async throws -> Triggerer {
        Triggerer(connection: try await HTTPConnection.connect(host: host, port: port, group: group),
                  kind: kind, petition: petition, name: name)
    }

    /// Sends one trigger and waits for its answer. Not safe to call concurrently on one `Triggerer`.
    public func fire() async throws -> TriggerRecord {
        try await send().get()
    }

    /// Sends one trigger without waiting for the answer (pipelined behind earlier ones, answered in order).
    /// Call from one task at a time.
    public func send() -> EventLoopFuture<TriggerRecord> {
        sequence += 1
        let sentAt = MonotonicClock.nanos()
        let response: EventLoopFuture<HTTPConnection.Response>
        switch kind {
        case .hemicycle:
            // A postcode of the demo's sample regions (Protocol/examples/regions), so that signing also maps each
            // signature to its constituency and updates the per-area counts, as real signers do.
            let postcode = Self.samplePostcodes[sequence % Self.samplePostcodes.count]
            let body = #"{"name":"Load \#(name) \#(sequence)","email":"load-\#(run)-\#(name)-\#(sequence)@example.org","postcode":"\#(postcode)"}"#
            response = connection.start(.POST, "/api/v1/petitions/\(petition)/signatures", json: body)
        case .peer:
            response = connection.start(.POST, "/trigger")
        }
        return response.map { response in Self.record(response, sentAt: sentAt) }
    }

    static let samplePostcodes = [
        "SW1A 0AA", "SW1A 1AA", "EC1A 1BB", "WC1E 6BT", "NW1 2DB", "OX4 1AA", "OX4 2HN", "BN1 1EE", "BN2 0JA", "EH9 1PR",
        "EH10 4BF", "CF24 0AA", "CF24 3AT", "ZZ1 1ZZ",
    ]

    private static func record(_ response: HTTPConnection.Response, sentAt: UInt64) -> TriggerRecord {
        let ackedAt = MonotonicClock.nanos()
        var value: Int64?
        if response.status == 201 {
            value = response.body.utf8.withContiguousStorageIfAvailable { FrameScan.count(in: UnsafeRawBufferPointer($0)) } ?? nil
        }
        return TriggerRecord(sentAt: sentAt, ackedAt: ackedAt, status: response.status, value: value)
    }

    public func close() async { await connection.close() }
}
