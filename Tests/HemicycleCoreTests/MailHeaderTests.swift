@testable import HemicycleCore
import Foundation
import Testing

/// The header builder: nothing a citizen types can add a header, and non-ASCII text is valid RFC 2047.
@Suite struct MailHeaderTests {
    static let from = try! Mailbox(parsing: "Petitions <petitions@parliament.example>")

    func message(subject: String, to: String = "ada@example.org") -> MailMessage {
        MailMessage(from: Self.from, to: to, subject: subject, messageID: "outbox-1-2@hemicycle", date: Timestamp(millisecondsSince1970: 1_553_158_800_123),
                    body: "Hello\nworld")
    }

    /// Decodes the encoded-words of an unfolded header value (B encoding, UTF-8), as a mail program shows it.
    func decoded(_ value: String) -> String {
        var out = ""
        var position = value.startIndex
        var previousWasWord = false
        for match in value.matches(of: /=\?UTF-8\?B\?([A-Za-z0-9+\/=]*)\?=/) {
            let between = value[position..<match.range.lowerBound]
            // RFC 2047 §6.2: whitespace between two encoded-words is not part of the text.
            if !(previousWasWord && between.allSatisfy { $0 == " " }) { out += between }
            out += String(decoding: Data(base64Encoded: String(match.1)) ?? Data(), as: UTF8.self)
            position = match.range.upperBound
            previousWasWord = true
        }
        return out + value[position...]
    }

    func unfolded(_ header: String) -> String { header.replacingOccurrences(of: "\r\n", with: "") }

    @Test(arguments: [
        "Fix the roads\nBcc: someone@elsewhere.example",
        "Fix the roads\r\nBcc: someone@elsewhere.example",
        "Fix the roads\rBcc: x@y.example",
        "Tab\tinside",
        "NUL\u{0}inside",
        "NEL\u{85}Bcc: x@y.example",
        "Line\u{2028}separator",
        "Paragraph\u{2029}separator",
        "DEL\u{7F}",
    ])
    func controlCharactersAreRefusedInEveryHeader(_ value: String) {
        #expect(throws: MailHeaderError(.controlCharacter, header: "Subject")) { try MailHeader.unstructured("Subject", value) }
        #expect(throws: MailHeaderError(.controlCharacter, header: "Subject")) { try message(subject: value).rendered() }
        #expect(throws: MailHeaderError.self) { try Mailbox(displayName: value, address: "a@b.example") }
    }

    @Test func aBccInjectionNeverBecomesAHeader() throws {
        #expect(throws: MailHeaderError.self) { try message(subject: "Confirm your petition: Fix the roads\nBcc: someone@elsewhere.example").rendered() }
        // The same text on one line stays inside the Subject.
        let text = try message(subject: "Confirm your petition: Fix the roads Bcc: someone@elsewhere.example").rendered()
        let head = String(text[..<text.range(of: "\r\n\r\n")!.lowerBound])
        let fields = head.components(separatedBy: "\r\n").filter { !$0.hasPrefix(" ") }
        #expect(fields.map { String($0.prefix { $0 != ":" }) } == ["From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"])
        #expect(!fields.contains { $0.lowercased().hasPrefix("bcc") })
    }

    @Test(arguments: ["root,other@example.org", "a<b>@example.org", "a@b.example\r\nBcc: x@y.example", "a b@example.org", "nobody", "x@localhost"])
    func aRecipientOutsideTheGrammarIsRefused(_ to: String) {
        #expect(throws: MailHeaderError.self) { try message(subject: "S", to: to).rendered() }
    }

    @Test func asciiSubjectsStayReadableAndFoldAtSpaces() throws {
        #expect(try MailHeader.unstructured("Subject", "Confirm your signature") == "Subject: Confirm your signature")
        let long = String(repeating: "word ", count: 40) + "end"
        let header = try MailHeader.unstructured("Subject", long)
        #expect(header.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= MailHeader.maxLineLength })
        #expect(header.components(separatedBy: "\r\n").dropFirst().allSatisfy { $0.hasPrefix(" ") }, "continuation lines start with a space")
        #expect(unfolded(header) == "Subject: " + long, "unfolding gives back the exact text")
        #expect(try MailHeader.unstructured("Subject", "two  spaces") == "Subject: two  spaces")
    }

    @Test func textThatLooksLikeAnEncodedWordIsEncoded() throws {
        let header = try MailHeader.unstructured("Subject", "=?UTF-8?B?QmNjOiB4?= trick")
        #expect(header.hasPrefix("Subject: =?UTF-8?B?"))
        #expect(decoded(String(unfolded(header).dropFirst("Subject: ".count))) == "=?UTF-8?B?QmNjOiB4?= trick")
    }

    @Test(arguments: [
        "Pétition : réparer les routes",
        "Заменить все дороги в городе новыми и сделать велосипедные дорожки вдоль каждой",
        String(repeating: "é", count: 200),
        "👩‍👩‍👧‍👦 family " + String(repeating: "🇫🇷", count: 30),
        "e" + String(repeating: "\u{301}", count: 60) + " combining",
        "中文标题：修复道路，还有更多的文字来测试换行和编码的正确性，中文标题：修复道路",
    ])
    func nonASCIIIsEncodedInWordsOfAtMost75Characters(_ subject: String) throws {
        let header = try MailHeader.unstructured("Subject", subject)
        let lines = header.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= MailHeader.maxEncodedLineLength }, "\(lines.map(\.utf8.count))")
        #expect(lines.allSatisfy { $0.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } }, "ASCII only")
        let words = unfolded(header).split(separator: " ").filter { $0.hasPrefix("=?") }
        #expect(!words.isEmpty)
        for word in words {
            #expect(word.count <= MailHeader.maxEncodedWordLength)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = word.dropFirst(10).dropLast(2)
            let bytes = try #require(Data(base64Encoded: String(payload)), "valid base64")
            #expect(String(data: bytes, encoding: .utf8) != nil, "each word holds whole characters")
        }
        #expect(decoded(String(unfolded(header).dropFirst("Subject: ".count))) == subject)
    }

    @Test func base64MatchesFoundation() {
        for text in ["", "a", "ab", "abc", "abcd", "é", "Pétition", "\u{1F600}x"] {
            #expect(MailHeader.base64(Array(text.utf8)) == Data(text.utf8).base64EncodedString())
        }
    }

    @Test func mailboxesAreQuotedOrEncoded() throws {
        #expect(try MailHeader.mailbox("From", Mailbox(parsing: "Hemicycle <no-reply@localhost>")) == "From: Hemicycle <no-reply@localhost>")
        #expect(try MailHeader.mailbox("From", Mailbox(parsing: "no-reply@localhost")) == "From: no-reply@localhost")
        #expect(try MailHeader.mailbox("From", Mailbox(parsing: "\"Petitions, Parliament\" <p@parliament.example>")) == #"From: "Petitions, Parliament" <p@parliament.example>"#)
        let encoded = try MailHeader.mailbox("From", Mailbox(parsing: "Assemblée nationale <petitions@an.example>"))
        #expect(encoded.hasPrefix("From: =?UTF-8?B?") && encoded.hasSuffix(" <petitions@an.example>"))
        #expect(decoded(String(unfolded(encoded).dropFirst(6))) == "Assemblée nationale <petitions@an.example>")
        for bad in ["a,b@x.example", "Name <a@b.example>, Other <c@d.example>", "<>", "Name <no at sign>", "x@y\r\nBcc: z@w.example"] {
            #expect(throws: MailHeaderError.self) { try Mailbox(parsing: bad) }
        }
        #expect(throws: MailHeaderError(.invalidName, header: "Bad Name")) { try MailHeader.unstructured("Bad Name", "x") }
    }

    @Test func theMessageHasOneOfEachHeaderAndACRLFBody() throws {
        let text = try message(subject: "Confirm your signature").rendered()
        #expect(text.hasPrefix("From: Petitions <petitions@parliament.example>\r\nTo: ada@example.org\r\nSubject: Confirm your signature\r\n"))
        #expect(text.contains("\r\nDate: Thu, 21 Mar 2019 09:00:00 +0000\r\n"))
        #expect(text.contains("\r\nMessage-ID: <outbox-1-2@hemicycle>\r\n"))
        #expect(text.hasSuffix("\r\n\r\nHello\r\nworld\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"), "no bare CR")
        #expect(throws: MailHeaderError.self) { try MailMessage(from: Self.from, to: "a@b.example", subject: "s", messageID: "no-at", date: .init(millisecondsSince1970: 0), body: "").rendered() }
    }

    @Test func longBodyLinesAreBrokenBetweenCharacters() {
        let lines = MailMessage.bodyLines("a\r\nb\rc\n" + String(repeating: "é", count: 1200))
        #expect(lines.prefix(3) == ["a", "b", "c"])
        #expect(lines.dropFirst(3).allSatisfy { $0.utf8.count <= MailMessage.maxBodyLineBytes })
        #expect(lines.dropFirst(3).joined() == String(repeating: "é", count: 1200))
    }

    @Test func datesAreRFC5322() {
        #expect(Timestamp(millisecondsSince1970: 0).rfc5322 == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(Timestamp(millisecondsSince1970: 951_782_400_000).rfc5322 == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(Timestamp(millisecondsSince1970: 1_764_400_000_000).rfc5322 == "Sat, 29 Nov 2025 07:06:40 +0000")
    }
}
