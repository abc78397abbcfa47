/// The HTML form decoder (`FormURLEncoded`, compiled in from Sources/HemicycleApp/HTTP/FormURLEncoded.swift): any
/// body decodes to fields, never a crash or a hang; `parse` keeps the last of each key that `pairs` lists; a field
/// escaped and decoded again is itself.
import Foundation

func fuzzOne(_ bytes: [UInt8]) {
    let body = String(decoding: bytes, as: UTF8.self)
    let pairs = FormURLEncoded.pairs(body)
    let fields = FormURLEncoded.parse(body)
    var last: [String: String] = [:]
    for (key, value) in pairs {
        check(!key.isEmpty, "an empty key was kept")
        last[key] = value
    }
    check(last == fields, "parse and pairs disagree")
    for (key, value) in fields {
        let encoded = FormURLEncoded.escape(key) + "=" + FormURLEncoded.escape(value)
        let again = FormURLEncoded.parse(encoded)
        check(again == [key: value], "a field escaped and parsed again changed: \(key.debugDescription)")
    }
}
