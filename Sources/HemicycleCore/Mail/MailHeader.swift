/// Builds every header field of the mail the server sends: the one place where text meets the header syntax.
///
/// Contracts: a value with CR, LF or any other control character (or a Unicode line separator) is refused with
/// `MailHeaderError`, never cleaned up, so a title such as `Fix it\r\nBcc: x@y` can never add a header. Non-ASCII text
/// (and ASCII text that looks like an encoded-word) is written as RFC 2047 `=?UTF-8?B?…?=` encoded-words of at most
/// 75 characters, each holding whole characters, on lines of at most 76 characters. Plain ASCII is folded at spaces
/// to lines of at most 78 characters where it can be; unfolding gives back the exact value. The result has no
/// trailing CRLF.
public enum MailHeader {
    /// RFC 2047 §2: an encoded-word is at most 75 characters.
    public static let maxEncodedWordLength = 75
    /// RFC 2047 §2: a line holding an encoded-word is at most 76 characters.
    public static let maxEncodedLineLength = 76
    /// RFC 5322 §2.1.1: the recommended line length.
    public static let maxLineLength = 78

    /// An unstructured field such as `Subject`.
    public static func unstructured(_ name: String, _ value: String) throws(MailHeaderError) -> String {
        try check(name: name)
        guard SingleLineText.isSingleLine(value) else { throw MailHeaderError(.controlCharacter, header: name) }
        if isPlainASCII(value), !value.contains("=?") {
            let folded = fold(name, value.split(separator: " ", omittingEmptySubsequences: false).map(String.init), width: maxLineLength)
            // A word too long for any line (RFC 5322's hard limit is 998) is encoded instead.
            if !folded.split(separator: "\r\n").contains(where: { $0.utf8.count > 998 }) { return folded }
        }
        return fold(name, encodedWords(value, firstLineUsed: name.utf8.count + 2), width: maxEncodedLineLength)
    }

    /// An address field with one mailbox (`From`, `To`, `Reply-To`).
    public static func mailbox(_ name: String, _ mailbox: Mailbox) throws(MailHeaderError) -> String {
        try check(name: name)
        guard Mailbox.isPlainAddress(mailbox.address) else { throw MailHeaderError(.invalidAddress, header: name) }
        guard let displayName = mailbox.displayName else { return "\(name): \(mailbox.address)" }
        guard SingleLineText.isSingleLine(displayName) else { throw MailHeaderError(.controlCharacter, header: name) }
        let phrase: [String]
        if isPlainASCII(displayName), !displayName.contains("=?") {
            let atoms = displayName.split(separator: " ", omittingEmptySubsequences: true)
            if atoms.allSatisfy({ $0.unicodeScalars.allSatisfy(isAtext) }) {
                phrase = atoms.map(String.init)
            } else {
                var quoted = "\""
                for scalar in displayName.unicodeScalars {
                    if scalar == "\"" || scalar == "\\" { quoted += "\\" }
                    quoted.unicodeScalars.append(scalar)
                }
                phrase = [quoted + "\""]
            }
        } else {
            phrase = encodedWords(displayName, firstLineUsed: name.utf8.count + 2)
        }
        return fold(name, phrase + ["<\(mailbox.address)>"], width: maxEncodedLineLength)
    }

    /// A field whose value the server makes itself (`Message-ID`, `Date`, the MIME fields): printable ASCII only.
    public static func token(_ name: String, _ value: String) throws(MailHeaderError) -> String {
        try check(name: name)
        guard value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
            throw MailHeaderError(.controlCharacter, header: name)
        }
        return "\(name): \(value)"
    }

    // MARK: - Encoded-words

    /// `text` as encoded-words: the first fits on the header's first line after `firstLineUsed` characters, the others
    /// on lines of their own (after one space). Each holds whole characters (whole scalars when one character is
    /// longer than a word can hold).
    static func encodedWords(_ text: String, firstLineUsed: Int) -> [String] {
        let overhead = "=?UTF-8?B?".utf8.count + "?=".utf8.count
        func capacity(lineUsed: Int) -> Int {
            let room = min(maxEncodedWordLength, maxEncodedLineLength - lineUsed) - overhead
            return max(0, room / 4) * 3
        }
        let later = capacity(lineUsed: 1)
        var limit = capacity(lineUsed: firstLineUsed)
        // A header name too long to leave room on its line (none the server uses): words of the usual size.
        if limit < 6 { limit = later }
        var words: [[UInt8]] = []
        var current: [UInt8] = []
        func flush() {
            words.append(current)
            current = []
            limit = later
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if current.count + bytes.count <= limit {
                current += bytes
            } else if !current.isEmpty, bytes.count <= later {
                flush()
                current = bytes
            } else {
                // Longer than a word holds (combining marks, long emoji sequences): split between its scalars.
                for scalar in character.unicodeScalars {
                    let scalarBytes = Array(String(scalar).utf8)
                    if !current.isEmpty, current.count + scalarBytes.count > limit { flush() }
                    current += scalarBytes
                }
            }
        }
        if !current.isEmpty || words.isEmpty { words.append(current) }
        return words.map { "=?UTF-8?B?\(base64($0))?=" }
    }

    /// `Name:` and the pieces, each after one space, starting a new line (CRLF and the space) before a piece that
    /// would pass `width`. Never before the first piece, so unfolding gives `Name: ` and the pieces joined by spaces.
    static func fold(_ name: String, _ pieces: [String], width: Int) -> String {
        var out = "\(name):"
        var lineLength = out.utf8.count
        for (index, piece) in pieces.enumerated() {
            if index > 0, lineLength + 1 + piece.utf8.count > width {
                out += "\r\n"
                lineLength = 0
            }
            out += " " + piece
            lineLength += 1 + piece.utf8.count
        }
        if pieces.isEmpty { out += " " }
        return out
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index], b1 = index + 1 < bytes.count ? bytes[index + 1] : 0, b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Checks

    /// RFC 5322 §2.2: a field name is printable ASCII without a colon.
    private static func check(name: String) throws(MailHeaderError) {
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != ":" }) else {
            throw MailHeaderError(.invalidName, header: String(name.prefix(40)))
        }
    }

    private static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    }

    /// RFC 5322 `atext`: what a display name may hold without quotes.
    private static func isAtext(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
            || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(s)
    }
}
