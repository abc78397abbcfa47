/// Where the staff login sends a person once they are in: the `next` they came with when it is a path on this site,
/// `/staff` otherwise.
///
/// The rule is strict because browsers are lenient: they drop tabs and newlines from URLs (`/\t/evil.example` becomes
/// `//evil.example`, another site), read `\` as `/`, and follow `//host` and `scheme:` anywhere. So `next` must start
/// with `/` followed by a character that is neither `/` nor `\`, and every character must be printable ASCII other
/// than `\` (no control characters, no whitespace, nothing a `Location` header would carry raw); anything else,
/// including a bare `/`, becomes `/staff`. `next` is the decoded query or form value, so `/%09/evil.example` arrives
/// here as `/\t/evil.example` and is refused.
public enum LoginRedirect {
    public static let fallback = "/staff"
    /// Longer paths are not ours.
    public static let maxLength = 1024

    /// `next` when it is a safe path on this site, `/staff` otherwise.
    public static func target(_ next: String?) -> String {
        guard let next, isSafe(next) else { return fallback }
        return next
    }

    public static func isSafe(_ next: String) -> Bool {
        let bytes = Array(next.utf8)
        guard bytes.count >= 2, bytes.count <= maxLength, bytes[0] == UInt8(ascii: "/") else { return false }
        guard bytes[1] != UInt8(ascii: "/"), bytes[1] != UInt8(ascii: "\\") else { return false }
        // 0x21...0x7E: printable ASCII without the space; no control characters, DEL or anything non-ASCII.
        return bytes.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") }
    }
}
