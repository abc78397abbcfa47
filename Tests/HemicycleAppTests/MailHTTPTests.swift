import Foundation
import HTTPTypes
@testable import HemicycleApp
import HemicycleCore
import HemicycleStorage
import HemicycleTesting
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Mail that cannot be steered, over HTTP: one-line titles and names, one email grammar for every form and the API,
/// limits on starting petitions and on outbound mail, and a mail command that never reads recipients from headers.
@Suite struct MailHTTPTests {
    static let injection = "Fix the roads\nBcc: someone@elsewhere.example"

    func json(_ fields: [String: String]) -> String {
        JSONWriter.string(.object(fields.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
    }

    func form(_ fields: [String: String]) -> String {
        fields.map { "\($0.key)=\(FormURLEncoded.escape($0.value))" }.joined(separator: "&")
    }

    func create(_ email: String = "ada@example.org", action: String = "Plant more trees", name: String = "Ada Lovelace") -> String {
        json(["action": action, "background": "Cities need shade.", "name": name, "email": email])
    }

    /// A form page's CSRF token (the page also sets the participant cookie it is bound to).
    func csrf(_ browser: Browser, _ client: some TestClientProtocol, _ path: String) async throws -> String {
        let page = try await browser.send(client, .get, path)
        return String(try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1))
    }

    static func openPetition(_ id: Int64) -> Petition {
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        return Petition(
            id: .init(id), action: "Open petition \(id)", background: "B", additionalDetails: "", state: .open, signatureCount: 0, creatorName: nil,
            createdAt: now, updatedAt: now, openedAt: now, closedAt: nil, closingAt: now.adding(days: 30),
            thresholds: [Threshold(name: "response", signatures: 10_000), Threshold(name: "debate", signatures: 100_000)]
        )
    }

    /// The fixture with a mailer that waits an hour between rounds: the test reads the outbox as requests left it
    /// (inside `app.test`: the mailer sends what is left when the app stops).
    func quietApp(_ adjust: @escaping (inout AppConfiguration) -> Void = { _ in }) async throws -> (HemicycleApplication, InMemoryStore) {
        try await HearingFixture.make { configuration in
            configuration.mailInterval = .seconds(3600)
            adjust(&configuration)
        }
    }

    // MARK: - One line

    @Test func aTitleOrANameWithALineBreakIsRefusedAndNothingIsStoredOrMailed() async throws {
        let (app, store) = try await quietApp { $0.signatureConfirmation = .email }
        try await app.test(.router) { client in
            let browser = Browser()
            var response = try await browser.send(client, .post, "/api/v1/petitions", json: create(action: Self.injection))
            #expect(response.status == .unprocessableContent)
            #expect(response.json?["error"]?["fields"]?["action"] != nil, "\(response.text)")
            response = try await browser.send(client, .post, "/api/v1/petitions", json: create(name: "Ada\r\nBcc: x@elsewhere.example"))
            #expect(response.json?["error"]?["fields"]?["name"] != nil, "\(response.text)")
            response = try await browser.send(client, .post, "/api/v1/petitions/1/signatures", json: json(["name": "Ada\nBcc: x@elsewhere.example", "email": "ada@example.org"]))
            #expect(response.status == .unprocessableContent && response.json?["error"]?["fields"]?["name"] != nil, "\(response.text)")
            // The HTML form: the page again, with the field's error.
            let token = try await csrf(browser, client, "/petitions/new")
            response = try await browser.send(client, .post, "/petitions/new", form: form([
                "csrf_token": token, "action": Self.injection, "background": "B", "name": "Ada", "email": "ada@example.org",
            ]))
            #expect(response.status == .unprocessableContent, "\(response.text.prefix(300))")
            #expect(response.text.contains(SingleLineText.message))
            #expect(try await store.countPetitions(PetitionQuery(states: Set(PetitionState.allCases))) == 1, "only the demo")
            #expect(await store.outboxMail().isEmpty)
            #expect(try await store.storedSignatureCount(.init(1)) == 0)
        }
    }

    // MARK: - One email grammar

    @Test(arguments: ["root,other@example.org", "a<b>@example.org", "a@example.org\r\nBcc: x@elsewhere.example", "\"a\"@example.org", "a b@example.org"])
    func anEmailOutsideTheGrammarIsRefusedByEveryFormAndTheAPI(_ email: String) async throws {
        let (app, store) = try await quietApp { $0.signatureConfirmation = .email }
        let sponsored = try await store.createPetition(
            MailHTTPTests.openPetition(5).with(state: .validated), creator: try SignatureRequest(name: "Cy", email: "cy@example.org").validated().get(),
            sponsorToken: "sponsor-token", token: EmailToken(hash: "h", purpose: .creator, subject: 0, expiresAt: .init(millisecondsSince1970: Int64.max / 2)),
            mail: OutgoingMail(to: "cy@example.org", subject: "S", body: "B")
        )
        let mailBefore = await store.outboxMail().count
        try await app.test(.router) { client in
            let browser = Browser()
            var response = try await browser.send(client, .post, "/api/v1/petitions/1/signatures", json: json(["name": "Ada", "email": email]))
            #expect(response.status == .unprocessableContent && response.json?["error"]?["fields"]?["email"] != nil, "sign (JSON): \(response.text)")
            let signToken = try await csrf(browser, client, "/petitions/1")
            response = try await browser.send(client, .post, "/api/v1/petitions/1/signatures", form: form(["name": "Ada", "email": email, "csrf_token": signToken]))
            #expect(response.status == .unprocessableContent, "sign (form): \(response.status)")
            response = try await browser.send(client, .post, "/api/v1/petitions", json: create(email))
            #expect(response.status == .unprocessableContent && response.json?["error"]?["fields"]?["email"] != nil, "create (JSON): \(response.text)")
            let token = try await csrf(browser, client, "/petitions/new")
            response = try await browser.send(client, .post, "/petitions/new", form: form([
                "csrf_token": token, "action": "Plant trees", "background": "B", "name": "Ada", "email": email,
            ]))
            #expect(response.status == .unprocessableContent, "create (form): \(response.status)")
            response = try await browser.send(client, .post, "/api/v1/petitions/\(sponsored.id)/supporters",
                                              json: json(["token": "sponsor-token", "name": "Bo", "email": email]))
            #expect(response.status == .unprocessableContent && response.json?["error"]?["fields"]?["email"] != nil, "support (JSON): \(response.text)")
            let supportToken = try await csrf(browser, client, "/petitions/\(sponsored.id)/support/sponsor-token")
            response = try await browser.send(client, .post, "/petitions/\(sponsored.id)/support/sponsor-token", form: form([
                "csrf_token": supportToken, "name": "Bo", "email": email,
            ]))
            #expect(response.status == .unprocessableContent, "support (form): \(response.status)")
            #expect(await store.outboxMail().count == mailBefore, "nothing mailed")
        }
        #expect(try await store.countPetitions(PetitionQuery(states: Set(PetitionState.allCases))) == 2, "the demo and the sponsored one: nothing created")
        #expect(try await store.signatures(matching: SignatureFilter(petition: .init(1)), limit: 10).isEmpty, "nothing signed")
        #expect(try await store.signatures(matching: SignatureFilter(petition: sponsored.id), limit: 10).count == 1, "only the creator")
    }

    // MARK: - Starting petitions

    @Test func startingPetitionsIsLimitedPerAddressAndPerEmail() async throws {
        let (app, store) = try await quietApp {
            $0.petitions.createLimitsPerAddress = [PeriodLimit(count: 3, seconds: 3600)!]
            $0.petitions.createLimitsPerEmail = [PeriodLimit(count: 1, seconds: 86_400)!]
        }
        try await app.test(.router) { client in
            let browser = Browser()
            #expect(try await browser.send(client, .post, "/api/v1/petitions", json: create("ada@example.org")).status == .created)
            var refused = try await browser.send(client, .post, "/api/v1/petitions", json: create("ADA@example.org", action: "Another one"))
            #expect(refused.status == .tooManyRequests && refused.errorCode == "petition_limit", "one a day per email: \(refused.text)")
            #expect(Int(refused.headers[.retryAfter] ?? "") == 86_400)
            #expect(try await browser.send(client, .post, "/api/v1/petitions", json: create("bo@example.org")).status == .created)
            // A fresh browser (no cookies) from the same address counts with the others.
            #expect(try await Browser().send(client, .post, "/api/v1/petitions", json: create("cy@example.org")).status == .created)
            refused = try await Browser().send(client, .post, "/api/v1/petitions", json: create("dee@example.org"))
            #expect(refused.status == .tooManyRequests && refused.errorCode == "petition_limit", "three an hour per address")
            #expect(Int(refused.headers[.retryAfter] ?? "") == 1200)
            // The HTML form is limited the same way, with a page that says so.
            let token = try await csrf(browser, client, "/petitions/new")
            let page = try await browser.send(client, .post, "/petitions/new", form: form([
                "csrf_token": token, "action": "Plant trees", "background": "B", "name": "Eve", "email": "eve@example.org",
            ]))
            #expect(page.status == .tooManyRequests)
            #expect(page.headers[.retryAfter] != nil)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("Too many petitions"))
            #expect(await store.outboxMail().map(\.to) == ["ada@example.org", "bo@example.org", "cy@example.org"], "no mail for refused ones")
        }
        #expect(try await store.countPetitions(PetitionQuery(states: Set(PetitionState.allCases))) == 4, "the demo and three")
    }

    // MARK: - Outbound mail

    @Test func signaturesOverTheRecipientMailLimitAreHeldAndNotMailed() async throws {
        let (app, store) = try await quietApp {
            $0.signatureConfirmation = .email
            $0.mail.recipientLimit = PeriodLimit(count: 2, seconds: 86_400)
        }
        for id in [Int64(2), 3] { await store.put(Self.openPetition(id)) }
        try await app.test(.router) { client in
            let signer = Browser()
            for id in [1, 2] {
                let response = try await signer.send(client, .post, "/api/v1/petitions/\(id)/signatures", json: json(["name": "Ada", "email": "ada@example.org"]))
                #expect(response.json?["state"]?.stringValue == "pending_confirmation")
            }
            let held = try await signer.send(client, .post, "/api/v1/petitions/3/signatures", json: json(["name": "Ada", "email": "Ada@Example.org"]))
            #expect(held.status == .accepted)
            #expect(held.json?["state"]?.stringValue == "held", "kept for a moderator, not lost: \(held.text)")
            #expect(held.json?["message"]?.stringValue == PetitionController.heldMessage)
            // Another address is not affected.
            let other = try await signer.send(client, .post, "/api/v1/petitions/3/signatures", json: json(["name": "Bo", "email": "bo@example.org"]))
            #expect(other.json?["state"]?.stringValue == "pending_confirmation")
            // Creating and supporting with the same address: 429, nothing stored.
            let refused = try await signer.send(client, .post, "/api/v1/petitions", json: create("ada@example.org"))
            #expect(refused.status == .tooManyRequests && refused.errorCode == "mail_limit", "\(refused.text)")
            #expect(refused.headers[.retryAfter] != nil)
            #expect(!refused.text.contains("ada@example.org"))
            #expect(await store.outboxMail().map(\.to) == ["ada@example.org", "ada@example.org", "bo@example.org"])
        }
        #expect(try await store.outboxEntries(limit: 10).allSatisfy { $0.kind == .signature && $0.recipientKey != nil })
        #expect(try await !store.outboxEntries(limit: 10).contains { $0.recipientKey == "ada@example.org" }, "counted under a keyed hash, not the address")
        let heldRows = try await store.signatures(matching: SignatureFilter(petition: .init(3), states: [.held]), limit: 10)
        #expect(heldRows.map(\.email) == ["ada@example.org"], "the signature is stored, held")
        #expect(try await store.countPetitions(PetitionQuery(states: Set(PetitionState.allCases))) == 3, "no petition created")
    }

    @Test func supportersOverTheMailLimitGet429AndNothingIsStored() async throws {
        let (app, store) = try await quietApp { $0.mail.recipientLimit = PeriodLimit(count: 1, seconds: 86_400) }
        let sponsored = try await store.createPetition(
            Self.openPetition(5).with(state: .validated), creator: try SignatureRequest(name: "Cy", email: "cy@example.org").validated().get(),
            sponsorToken: "sponsor-token", token: EmailToken(hash: "h", purpose: .creator, subject: 0, expiresAt: .init(millisecondsSince1970: Int64.max / 2)),
            mail: OutgoingMail(to: "cy@example.org", subject: "S", body: "B")
        )
        try await app.test(.router) { client in
            let browser = Browser()
            var response = try await browser.send(client, .post, "/api/v1/petitions", json: create("bo@example.org"))
            #expect(response.status == .created)
            response = try await browser.send(client, .post, "/api/v1/petitions/\(sponsored.id)/supporters", json: json(["token": "sponsor-token", "name": "Bo", "email": "bo@example.org"]))
            #expect(response.status == .tooManyRequests && response.errorCode == "mail_limit", "\(response.text)")
            let token = try await csrf(browser, client, "/petitions/\(sponsored.id)/support/sponsor-token")
            response = try await browser.send(client, .post, "/petitions/\(sponsored.id)/support/sponsor-token", form: form([
                "csrf_token": token, "name": "Bo", "email": "bo@example.org",
            ]))
            #expect(response.status == .tooManyRequests && response.headers[.retryAfter] != nil)
        }
        // The creator's mail (queued before the app started, maybe sent since) and Bo's as a creator; none as a supporter.
        #expect(try await store.outboxEntries(limit: 10).map(\.kind.rawValue).sorted() == ["creator", "other"])
        #expect(try await store.signatures(matching: SignatureFilter(petition: sponsored.id), limit: 10).map(\.email) == ["cy@example.org"])
    }

    @Test func theMailCausedByOneAddressIsLimited() async throws {
        let (app, store) = try await quietApp {
            $0.signatureConfirmation = .email
            $0.mail.addressLimits = [PeriodLimit(count: 2, seconds: 3600)!]
        }
        try await app.test(.router) { client in
            var states: [String] = []
            for name in ["ada", "bo", "cy"] {
                // Fresh cookies each time: the limit is the address's.
                let response = try await Browser().send(client, .post, "/api/v1/petitions/1/signatures", json: json(["name": name, "email": "\(name)@example.org"]))
                states.append(response.json?["state"]?.stringValue ?? "\(response.status)")
            }
            #expect(states == ["pending_confirmation", "pending_confirmation", "held"])
            let refused = try await Browser().send(client, .post, "/api/v1/petitions", json: create("dee@example.org"))
            #expect(refused.status == .tooManyRequests && refused.errorCode == "mail_limit")
            #expect(await store.outboxMail().map(\.to) == ["ada@example.org", "bo@example.org"])
        }
        #expect(try await store.countPetitions(PetitionQuery(states: Set(PetitionState.allCases))) == 1)
    }

    // MARK: - The mail command

    @Test func theMailerPassesTheOneRecipientAsAnArgumentAndNeverSendsARefusedMessage() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await HearingFixture.store()
        // Queued before the server starts: other mail first, then a signature confirmation, then mail it must refuse.
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        for n in 0..<3 { try await store.enqueue(OutgoingMail(to: "other\(n)@example.org", subject: "Other \(n)", body: "B", kind: .creator), now: now) }
        try await store.enqueue(OutgoingMail(to: "signer@example.org", subject: "Confirm your signature", body: "B", kind: .signature), now: now)
        try await store.enqueue(OutgoingMail(to: "root,other@example.org", subject: "Old row", body: "B"), now: now)
        try await store.enqueue(OutgoingMail(to: "ada@example.org", subject: Self.injection, body: "B"), now: now)
        let (app, _) = try await TestApp.make(store: store) { configuration in
            configuration.mailInterval = .milliseconds(50)
            // Records the arguments and the message of each call, and the order of the calls.
            configuration.sendmailCommand = ["/bin/sh", "-c", "n=$(date +%s%N); printf '%s\\n' \"$@\" > \(dir.path)/$n-$$.args; cat > \(dir.path)/$n-$$.eml", "sh"]
        }
        try await app.test(.live) { _ in
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while ContinuousClock.now < deadline {
                if try await store.outboxEntries(limit: 10).allSatisfy({ $0.state != .queued }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let entries = try await store.outboxEntries(limit: 10)
        #expect(entries.filter { $0.state == .sent }.count == 4)
        #expect(entries.filter { $0.state == .abandoned }.count == 2, "the bad recipient and the two-line subject are never sent")
        #expect(entries.allSatisfy { $0.recipient.isEmpty && $0.body.isEmpty }, "nothing personal stays")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        let arguments = try files.filter { $0.hasSuffix(".args") }.map { try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
        #expect(arguments.count == 4)
        for text in arguments {
            let argv = text.split(separator: "\n").map(String.init)
            #expect(argv.count == 2 && argv[0] == "--" && EmailAddress.isValid(argv[1]), "one recipient after --: \(argv)")
        }
        let recipients: Set<String> = Set(arguments.compactMap { text -> String? in text.split(separator: "\n").last.map(String.init) })
        let expected: Set<String> = ["other0@example.org", "other1@example.org", "other2@example.org", "signer@example.org"]
        #expect(recipients == expected)
        let messages = try files.filter { $0.hasSuffix(".eml") }.map { try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
        for message in messages {
            let head = message.components(separatedBy: "\r\n\r\n")[0]
            let fields = head.components(separatedBy: "\r\n").filter { !$0.hasPrefix(" ") }.map { $0.prefix { $0 != ":" }.lowercased() }
            #expect(fields.filter { $0 == "to" }.count == 1 && !fields.contains("bcc") && !fields.contains("cc"), "\(fields)")
        }
        #expect(!messages.contains { $0.contains("elsewhere.example") || $0.contains("root,other") })
    }

    @Test func signatureConfirmationsAreSentBeforeOtherMail() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = InMemoryStore()
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        for n in 0..<3 { try await store.enqueue(OutgoingMail(to: "flood\(n)@example.org", subject: "Flood", body: "B", kind: .creator), now: now) }
        try await store.enqueue(OutgoingMail(to: "signer@example.org", subject: "Confirm your signature", body: "B", kind: .signature), now: now)
        let mailer = Mailer(
            store: store, command: ["/bin/sh", "-c", "printf '%s\\n' \"$2\" >> \(dir.path)/order; cat > /dev/null", "sh"],
            from: try Mailbox(parsing: "Petitions <p@example.org>"), logger: Logger(label: "test"), clock: ManualClock(at: now)
        )
        // One at a time, so the order is the outbox's.
        for _ in 0..<4 { await mailer.deliverDue(limit: 1) }
        let order = try String(contentsOf: dir.appendingPathComponent("order"), encoding: .utf8).split(separator: "\n")
        #expect(order == ["signer@example.org", "flood0@example.org", "flood1@example.org", "flood2@example.org"])
    }

    @Test func aCommandThatReadsRecipientsFromHeadersIsRefused() async throws {
        for command in [["/usr/sbin/sendmail", "-t", "-i"], ["/usr/sbin/sendmail", "-ti"], ["/usr/sbin/sendmail", "-it"], ["/usr/bin/msmtp", "--read-recipients"]] {
            #expect(Mailer.recipientsFromHeadersFlag(command) != nil, "\(command)")
            await #expect(throws: Mailer.CommandError.self) {
                _ = try await TestApp.make { $0.sendmailCommand = command }
            }
        }
        for command in [["/usr/sbin/sendmail", "-i"], ["/usr/bin/msmtp", "-C", "/etc/hemicycle/msmtprc", "-i"], ["/usr/bin/msmtp", "-C/etc/t", "-fbounce@x.org"],
                        ["/usr/sbin/t"], ["/bin/sh", "-c", "cat > /dev/null"]] {
            #expect(Mailer.recipientsFromHeadersFlag(command) == nil, "\(command)")
        }
        guard case .failure(let error) = Mailer.checkedCommand("/usr/sbin/sendmail -t -i") else {
            Issue.record("-t must be refused")
            return
        }
        #expect(error.message.contains("-t") && error.message.contains("after --"))
        #expect((try? Mailer.checkedCommand("/usr/bin/msmtp -C /etc/hemicycle/msmtprc -i").get()) == ["/usr/bin/msmtp", "-C", "/etc/hemicycle/msmtprc", "-i"])
        await #expect(throws: Mailer.CommandError.self) {
            _ = try await TestApp.make { $0.mailFrom = "Petitions <p@x.org>\r\nBcc: y@z.example" }
        }
        #expect(AppConfiguration().sendmailCommand == ["/usr/sbin/sendmail", "-i"], "the default reads no recipient from headers")
    }

    @Test func theSchedulerGivesUpMailThatKeepsFailingAfterTheRetentionPeriod() async throws {
        let store = try await HearingFixture.store()
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        try await store.enqueue(OutgoingMail(to: "old@example.org", subject: "Old", body: "Old body"), now: now.adding(days: -8))
        try await store.enqueue(OutgoingMail(to: "new@example.org", subject: "New", body: "New body"), now: now)
        let (app, _) = try await TestApp.make(store: store) { configuration in
            configuration.schedulerInterval = .milliseconds(50)
            configuration.sendmailCommand = ["/bin/false"]  // keeps failing
            configuration.mail.retentionDays = 7
        }
        try await app.test(.live) { _ in
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while ContinuousClock.now < deadline, try await store.outboxEntries(limit: 10).allSatisfy({ $0.state == .queued }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            let entries = try await store.outboxEntries(limit: 10)
            let old = try #require(entries.first { $0.createdAt < now })
            #expect(old.state == .abandoned && old.recipient.isEmpty && old.body.isEmpty)
            #expect(entries.contains { $0.recipient == "new@example.org" && $0.state == .queued }, "recent mail waits for its retry")
        }
    }
}

extension Petition {
    fileprivate func with(state: PetitionState) -> Petition {
        var copy = self
        copy.state = state
        copy.openedAt = nil
        copy.closingAt = nil
        return copy
    }
}

/// `hemicycle staff add` follows the same email grammar.
@Suite struct StaffEmailGrammarTests {
    @Test func staffAddedOnTheCommandLineFollowTheOneEmailGrammar() async throws {
        let store = InMemoryStore()
        for bad in ["root,other@example.org", "a<b>@example.org", "mo@localhost", "mo@example.org\nBcc: x@elsewhere.example"] {
            await #expect(throws: StaffAccounts.Refusal.self) {
                _ = try await StaffAccounts.add(store: store, email: bad, name: "Mo", role: "admin", sittings: [], password: "a long enough password", bcryptCost: 4)
            }
        }
        #expect(try await store.allStaff().isEmpty)
        let member = try await StaffAccounts.add(store: store, email: " Mo@Example.ORG ", name: "Mo", role: "admin", sittings: [], password: "a long enough password", bcryptCost: 4)
        #expect(member.email == "mo@example.org")
    }
}
