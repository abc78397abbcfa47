import HemicycleCore

/// One event of a `LivePublication.batch`.
struct LiveBatchEvent: Sendable {
    var event: String
    var data: JSONValue
}
