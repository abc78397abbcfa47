/// Why a mail header, and so the whole message, was not built. Nothing is ever sent with a header the builder refused.
public struct MailHeaderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The header's name is not printable ASCII without a colon.
        case invalidName = "invalid_header_name"
        /// The value holds CR, LF or another control character (a line break would start a new header).
        case controlCharacter = "header_control_character"
        /// An address is not one plain `local@domain` (a recipient must also follow `EmailAddress`).
        case invalidAddress = "invalid_mail_address"
    }

    public let code: Code
    /// The header concerned (`Subject`, `To`, …).
    public let header: String

    public init(_ code: Code, header: String) {
        self.code = code
        self.header = header
    }

    public var description: String { "\(code.rawValue) in \(header)" }
}
