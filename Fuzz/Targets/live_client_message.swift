/// The `/live` client message decoder (PROTOCOL.md §4): any bytes of a text frame give a message or a protocol error,
/// never a crash or a hang; a decoded message re-encoded and decoded again is the same message.
import HemicycleCore

func fuzzOne(_ bytes: [UInt8]) {
    switch ClientMessage.decode(bytes) {
    case .failure(let error):
        // An error frame is always sendable: its code is one of the protocol's, its ref within the limit.
        check((error.ref?.utf8.count ?? 0) <= ClientMessage.maxRefLength, "an error's ref is over the limit")
    case .success(let message):
        check((message.ref?.utf8.count ?? 0) <= ClientMessage.maxRefLength, "a ref over the limit was accepted")
        if case .subscribe(_, let topics, let resume) = message {
            check(!topics.isEmpty, "a subscribe without topics was accepted")
            for key in resume.keys { check(topics.contains(key), "a resume key not in topics was accepted") }
        }
        // The parsed JSON, written again, parses to the same value (the server's writer and reader agree).
        if let value = try? JSONValue.parse(bytes) {
            let written = JSONWriter.bytes(value)
            check((try? JSONValue.parse(written)) == value, "JSON written again does not read back the same")
        }
    }
}
