/// Finds values in a JSON text frame without decoding it.
///
/// Written by hand on purpose: the generator reads every frame of up to 19,000 sockets on one core, so it must not
/// allocate or build a JSON tree per frame. It reads only the few fields the analysis needs, from servers whose
/// output shape is known (Hemicycle's `ServerMessage` and the peers' fixed frame).
public enum FrameScan {
    static let typeKey = Array(#""type":""#.utf8)
    static let countKey = Array(#"count":"#.utf8)
    static let offsetKey = Array(#""offset":"#.utf8)
    static let epochKey = Array(#""epoch":""#.utf8)
    static let recoveredTrue = Array(#""recovered":true"#.utf8)
    static let questionEvent = Array(#""event":"question","data":{"id":"#.utf8)
    static let stateKey = Array(#""state":""#.utf8)

    /// The position just after the first occurrence of `needle`, or nil.
    @inlinable
    static func end(of needle: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        let count = bytes.count, length = needle.count
        guard length > 0, count >= length else { return nil }
        let first = needle[0]
        var index = start
        while index <= count - length {
            if bytes[index] == first {
                var matched = 1
                while matched < length && bytes[index + matched] == needle[matched] { matched += 1 }
                if matched == length { return index + length }
            }
            index += 1
        }
        return nil
    }

    /// The message `type` (`event`, `snapshot`, `welcome`, `count`, ...), as bytes.
    public static func type(in bytes: UnsafeRawBufferPointer) -> ArraySlice<UInt8>? {
        guard let start = end(of: typeKey, in: bytes) else { return nil }
        var stop = start
        while stop < bytes.count && bytes[stop] != UInt8(ascii: "\"") { stop += 1 }
        return ArraySlice(bytes[start..<stop])
    }

    /// The integer after the first `count":` (matches `"count":` and `"signature_count":`).
    public static func count(in bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let start = end(of: countKey, in: bytes) else { return nil }
        return integer(at: start, in: bytes)
    }

    /// The integer after `"offset":`.
    public static func offset(in bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let start = end(of: offsetKey, in: bytes) else { return nil }
        return integer(at: start, in: bytes)
    }

    /// The string after `"epoch":"`.
    public static func epoch(in bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let start = end(of: epochKey, in: bytes) else { return nil }
        var stop = start
        while stop < bytes.count && bytes[stop] != UInt8(ascii: "\"") { stop += 1 }
        return Array(bytes[start..<stop])
    }

    /// Whether a `subscribed` message says `"recovered":true`.
    public static func recovered(in bytes: UnsafeRawBufferPointer) -> Bool {
        end(of: recoveredTrue, in: bytes) != nil
    }

    /// For a hearing `question` event: the question's id and state (`submitted`, `approved`, …), else nil.
    public static func question(in bytes: UnsafeRawBufferPointer) -> (id: Int64, state: ArraySlice<UInt8>)? {
        guard let start = end(of: questionEvent, in: bytes), let id = integer(at: start, in: bytes),
            let stateStart = end(of: stateKey, in: bytes, from: start)
        else { return nil }
        var stop = stateStart
        while stop < bytes.count && bytes[stop] != UInt8(ascii: "\"") { stop += 1 }
        return (id, ArraySlice(bytes[stateStart..<stop]))
    }

    static let commentEvent = Array(#""event":"comment","data":{"id":"#.utf8)
    static let markerEvent = Array(#""event":"marker","data":{"marker":{"eId":"sec_"#.utf8)

    /// For a bill `comment` event (`bill:{id}` and its moderation topic): the comment's id and state, else nil.
    public static func billComment(in bytes: UnsafeRawBufferPointer) -> (id: Int64, state: ArraySlice<UInt8>)? {
        guard let start = end(of: commentEvent, in: bytes), let id = integer(at: start, in: bytes),
            let stateStart = end(of: stateKey, in: bytes, from: start)
        else { return nil }
        var stop = stateStart
        while stop < bytes.count && bytes[stop] != UInt8(ascii: "\"") { stop += 1 }
        return (id, ArraySlice(bytes[stateStart..<stop]))
    }

    /// What a reader of `bill:{id}` logs for an event (`LegislationAnalysis`): a published comment's id, or
    /// `LegislationAnalysis.markerBase + N` for the marker moved to section N (`sec_N`); nil for anything else (counts,
    /// a marker cleared or on a provision below a section).
    public static func billValue(in bytes: UnsafeRawBufferPointer) -> Int64? {
        if let comment = billComment(in: bytes) { return comment.state.elementsEqual(published) ? comment.id : nil }
        guard let start = end(of: markerEvent, in: bytes), let section = integer(at: start, in: bytes) else { return nil }
        var stop = start
        while stop < bytes.count, bytes[stop] >= UInt8(ascii: "0"), bytes[stop] <= UInt8(ascii: "9") { stop += 1 }
        // `sec_2__subsec_a` is not a section.
        guard stop < bytes.count, bytes[stop] == UInt8(ascii: "\"") else { return nil }
        return LegislationAnalysis.markerBase + section
    }

    static let published = Array("published".utf8)
    static let approved = Array("approved".utf8)
    static let submitted = Array("submitted".utf8)

    static func integer(at start: Int, in bytes: UnsafeRawBufferPointer) -> Int64? {
        var index = start
        while index < bytes.count && bytes[index] == UInt8(ascii: " ") { index += 1 }
        var value: Int64 = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0"))
            index += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
