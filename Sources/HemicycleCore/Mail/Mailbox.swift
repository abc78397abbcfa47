/// One mailbox of a header: an optional display name and one address (`Petitions <petitions@parliament.example>`).
public struct Mailbox: Sendable, Equatable {
    /// What mail programs show; may be any one-line text (encoded by `MailHeader` when not plain ASCII).
    public let displayName: String?
    /// `local@domain`, plain ASCII, without spaces, quotes, brackets, commas or semicolons.
    public let address: String

    /// A mailbox from its parts; throws if either could change the header's meaning.
    public init(displayName: String? = nil, address: String) throws(MailHeaderError) {
        if let displayName, !SingleLineText.isSingleLine(displayName) { throw MailHeaderError(.controlCharacter, header: "mailbox") }
        guard Self.isPlainAddress(address) else { throw MailHeaderError(.invalidAddress, header: "mailbox") }
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
        self.address = address
    }

    /// Parses what an operator configures (`--mail-from`): `address`, `Name <address>` or `"Name" <address>`.
    public init(parsing text: String) throws(MailHeaderError) {
        let trimmed = text.trimmingSpaces
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
            try self.init(address: trimmed)
            return
        }
        var name = String(trimmed[..<open]).trimmingSpaces
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
        let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        // Angle brackets in the name mean more than one mailbox (`A <a@x>, B <b@y>`): a mistake, not a name.
        guard !name.contains("<"), !name.contains(">") else { throw MailHeaderError(.invalidAddress, header: "mailbox") }
        try self.init(displayName: name, address: address)
    }

    /// One `@` with text on both sides, printable ASCII only, none of the characters that separate or quote
    /// addresses. Lenient on the domain (`no-reply@localhost` is a fine sender); recipients are checked against the
    /// stricter `EmailAddress` as well.
    static func isPlainAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, address.utf8.count <= EmailAddress.maxLength else { return false }
        return address.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !",;:<>\"()[]\\".unicodeScalars.contains($0) }
    }
}
