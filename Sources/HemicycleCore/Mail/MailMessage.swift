/// One message of the outbox as the mail command receives it on standard input (RFC 5322, CRLF line ends, a UTF-8
/// plain-text body). One message has one recipient, given both here (`To`) and to the command as an argument; the
/// command never reads recipients from the headers.
public struct MailMessage: Sendable, Equatable {
    public var from: Mailbox
    /// The one recipient; must follow `EmailAddress`.
    public var to: String
    public var subject: String
    /// The `Message-ID` without its angle brackets (`outbox-12-1764400000000@hemicycle`).
    public var messageID: String
    public var date: Timestamp
    public var body: String

    public init(from: Mailbox, to: String, subject: String, messageID: String, date: Timestamp, body: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.messageID = messageID
        self.date = date
        self.body = body
    }

    /// RFC 5321 §4.5.3.1.6: a line of text is at most 998 octets before its CRLF.
    public static let maxBodyLineBytes = 998

    /// The message's text. Every header goes through `MailHeader`; the body's line ends become CRLF and a line longer
    /// than `maxBodyLineBytes` is broken (between characters) so that the 8bit transfer encoding stays valid.
    /// - Throws: `MailHeaderError` when a header would not be exactly one field (a control character in the subject,
    ///   a recipient outside `EmailAddress`, a malformed message id).
    public func rendered() throws(MailHeaderError) -> String {
        guard EmailAddress.isValid(to) else { throw MailHeaderError(.invalidAddress, header: "To") }
        let idParts = messageID.split(separator: "@", omittingEmptySubsequences: false)
        guard idParts.count == 2, !idParts[0].isEmpty, !idParts[1].isEmpty,
            messageID.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"<>()[]\\,;:\"".unicodeScalars.contains($0) })
        else { throw MailHeaderError(.invalidAddress, header: "Message-ID") }
        let headers = [
            try MailHeader.mailbox("From", from),
            try MailHeader.mailbox("To", Mailbox(address: to)),
            try MailHeader.unstructured("Subject", subject),
            try MailHeader.token("Date", date.rfc5322),
            try MailHeader.token("Message-ID", "<\(messageID)>"),
            // RFC 3834: automatic mail, so that vacation responders do not answer it.
            try MailHeader.token("Auto-Submitted", "auto-generated"),
            try MailHeader.token("MIME-Version", "1.0"),
            try MailHeader.token("Content-Type", "text/plain; charset=utf-8"),
            try MailHeader.token("Content-Transfer-Encoding", "8bit"),
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + Self.bodyLines(body).joined(separator: "\r\n") + "\r\n"
    }

    /// The body's lines (split at CRLF, CR or LF), each at most `maxBodyLineBytes` octets.
    static func bodyLines(_ body: String) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineBytes = 0
        var previousWasCR = false
        for scalar in body.unicodeScalars {
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            if scalar == "\r" || scalar == "\n" {
                lines.append(line)
                line = ""
                lineBytes = 0
                continue
            }
            let size = String(scalar).utf8.count
            if lineBytes + size > maxBodyLineBytes {
                lines.append(line)
                line = ""
                lineBytes = 0
            }
            line.unicodeScalars.append(scalar)
            lineBytes += size
        }
        lines.append(line)
        return lines
    }
}
