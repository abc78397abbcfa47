import Foundation

/// Parses an `application/x-www-form-urlencoded` body (the no-JavaScript form post). Later keys win.
enum FormURLEncoded {
    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in pairs(body) { fields[key] = value }
        return fields
    }

    /// Every key and value in order, repeated keys (a group of checkboxes) included.
    static func pairs(_ body: String) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            let key = decode(parts[0])
            guard !key.isEmpty else { continue }
            pairs.append((key, parts.count > 1 ? decode(parts[1]) : ""))
        }
        return pairs
    }

    /// Percent-encodes a query value (letters, digits and `-._~` stay as they are).
    static func escape(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
