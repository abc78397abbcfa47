import ArgumentParser
import Foundation
import HemicycleApp
import HemicycleCore
import HemicycleStorage

/// `hemicycle bills …`: clerks import draft legislation (Protocol/LEGISLATION.md §2 and §9).
struct BillsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bills", abstract: "Import and publish draft legislation, and set its comment limits.", subcommands: [BillsImport.self, BillsPublish.self, BillsSettings.self]
    )
}

/// `hemicycle bills import --file F [--format akn|text] [--bill ID] [--title T] [--committee C] [--days N] [--publish]`.
struct BillsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a bill (a new bill, or the next version of --bill) as a draft, show its preview, and optionally publish it.",
        discussion: """
            The file is an Akoma Ntoso subset (--format akn, the default for .xml) or numbered text (--format text). A bad \
            file is refused with its line and the reason, and nothing is stored. Importing again replaces a draft that is \
            not published yet. With --bill, the preview shows how the new version's provisions match the published one's.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The bill's file.")
    var file: String
    @Option(help: "akn (Akoma Ntoso XML) or text (numbered headings); by default from the file's extension.")
    var format: String?
    @Option(help: "The bill this is the next version of (none: a new bill).")
    var bill: Int64?
    @Option(help: "The title of a new bill (default: the file's short title).")
    var title: String?
    @Option(help: "The committee that marks up a new bill.")
    var committee: String = "Committee"
    @Option(help: "Days the comment window stays open, from now.")
    var days: Int = 30
    @Flag(help: "Publish at once (comments on the previous version are carried to it).")
    var publish = false
    @Flag(help: "With --publish: accept the uncertain matches of the preview.")
    var acceptUncertain = false

    func run() async throws {
        guard (1...3650).contains(days) else { throw ValidationError("--days must be between 1 and 3650.") }
        let document = try BillFile.read(file, format: format)
        FileHandle.standardOutput.write(Data(BillFile.preview(document).utf8))
        let store = try await CommandStore.open(database)
        do {
            let now = SystemClock().now()
            guard let window = CommentWindow(opens: now, closes: now.adding(days: Int64(days))) else { throw ValidationError("Bad window.") }
            let billID: Bill.ID
            if let bill {
                billID = Bill.ID(bill)
                guard try await store.bill(billID) != nil else { throw ValidationError("There is no bill \(bill).") }
            } else {
                let name = title ?? document.title ?? "Untitled bill"
                guard case .success(let cleanTitle) = QuestionText.validate(name, maxLength: 300),
                    case .success(let cleanCommittee) = QuestionText.validate(committee, maxLength: 200)
                else { throw ValidationError("Give a title and a committee of 1 to 300 characters, without < or >.") }
                billID = try await store.createBill(
                    Bill(id: Bill.ID(1), title: cleanTitle, committee: cleanCommittee),
                    audit: AuditEntry(at: now, staffID: nil, action: "bill_created", subject: "bill", details: "{\"via\":\"command line\"}")).id
            }
            let publish = self.publish, acceptUncertain = self.acceptUncertain
            let (report, _) = try await store.withBill(billID) { state -> String in
                var draft = BillVersion(billID: state.bill.id, number: (state.latest?.number ?? 0) + 1, document: document, window: window)
                if let latest = state.latest, latest.state == .draft { draft = BillVersion(billID: state.bill.id, number: latest.number, document: document, window: window) }
                state.put(draft)
                var lines = ["Bill \(state.bill.id), version \(draft.number): draft stored."]
                if let current = state.current {
                    lines.append(BillFile.matchingPreview(VersionPublisher.matching(current: current, draft: draft)))
                }
                if publish {
                    do throws(VersionPublishError) {
                        _ = try VersionPublisher.publishLatest(versions: &state.versions, board: &state.board, acceptUncertain: acceptUncertain, at: now)
                    } catch {
                        throw ValidationError("Not published (nothing stored): \(error.message)")
                    }
                    state.newAudit.append(AuditEntry(at: now, staffID: nil, action: "bill_version_published", subject: "bill:\(state.bill.id)",
                                                     details: "{\"version\":\(draft.number),\"via\":\"command line\"}"))
                    lines.append("Published: open for comments until \(window.closes.iso8601). A running server shows it within 30 seconds.")
                } else {
                    lines.append("Not published: run `hemicycle bills publish --bill \(state.bill.id)` when the preview is right.")
                }
                return lines.joined(separator: "\n") + "\n"
            }
            try await store.close()
            FileHandle.standardOutput.write(Data(report.utf8))
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// `hemicycle bills publish --bill ID [--days N] [--accept-uncertain]`: publishes the bill's draft.
struct BillsPublish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "publish", abstract: "Publish a bill's draft version.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The bill.")
    var bill: Int64
    @Option(help: "Days the comment window stays open, from now (default: the draft's window).")
    var days: Int?
    @Flag(help: "Accept the uncertain matches of the preview.")
    var acceptUncertain = false

    func run() async throws {
        if let days, !(1...3650).contains(days) { throw ValidationError("--days must be between 1 and 3650.") }
        let store = try await CommandStore.open(database)
        do {
            let now = SystemClock().now(), days = self.days, acceptUncertain = self.acceptUncertain
            guard try await store.bill(Bill.ID(bill)) != nil else { throw ValidationError("There is no bill \(bill).") }
            let (message, _) = try await store.withBill(Bill.ID(bill)) { state -> String in
                if let days, var draft = state.latest, draft.state == .draft, let window = CommentWindow(opens: now, closes: now.adding(days: Int64(days))) {
                    try draft.setWindow(window)
                    state.put(draft)
                }
                let result: (effects: [BillCommentEffect], matching: ProvisionMatching?)
                do throws(VersionPublishError) {
                    result = try VersionPublisher.publishLatest(versions: &state.versions, board: &state.board, acceptUncertain: acceptUncertain, at: now)
                } catch {
                    throw ValidationError("Not published (nothing stored): \(error.message)")
                }
                let number = state.current?.number ?? 0
                state.newAudit.append(AuditEntry(at: now, staffID: nil, action: "bill_version_published", subject: "bill:\(state.bill.id)",
                                                 details: "{\"version\":\(number),\"via\":\"command line\"}"))
                let carried = result.effects.filter { if case .carried = $0 { true } else { false } }.count
                return "Bill \(state.bill.id), version \(number) published; \(carried) comments carried to it. A running server shows it within 30 seconds.\n"
            }
            try await store.close()
            FileHandle.standardOutput.write(Data(message.utf8))
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// `hemicycle bills settings BILL [--moderation pre|post] [--max-comment-length N] … [--days N | --close-now]`: a clerk
/// (or IT) changes a bill's comment limits, moderation and comment window; without an option it shows them. A bad
/// value is refused with the reason and a non-zero exit, and nothing changes (Protocol/LEGISLATION.md §6).
struct BillsSettings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show or change a bill's comment limits, moderation and comment window.",
        discussion: """
            Each option changes one setting; the others stay as they are. Without an option, the settings are shown. \
            A running server applies the change within 30 seconds (new limits start with empty counters).
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The bill.")
    var bill: Int64
    @Option(help: "pre (a moderator approves each comment first) or post (comments are public at once).")
    var moderation: String?
    @Option(help: "Most characters in a comment (20 to 10000).")
    var maxCommentLength: Int?
    @Option(help: "Most characters in a proposed rewording (20 to 20000).")
    var maxProposedTextLength: Int?
    @Option(help: "Comments a participant may send per minute (1 to 600).")
    var commentsPerMinute: Int?
    @Option(help: "Supports and opposes a participant may give per second (1 to 100).")
    var stancesPerSecond: Int?
    @Option(help: "Comments per minute from one address, an IPv4 address or IPv6 /64 (1 to 100000).")
    var ipCommentsPerMinute: Int?
    @Option(help: "Supports and opposes per second from one address (1 to 100000).")
    var ipStancesPerSecond: Int?
    @Option(help: "yes or no: whether a comment may be sent without a name.")
    var allowAnonymous: String?
    @Option(help: "The comment window of the published version (else the draft) closes this many days from now (1 to 3650).")
    var days: Int?
    @Flag(help: "Close the comment window of the published version (else the draft) now.")
    var closeNow = false

    /// The change the options ask for, or a refusal naming the option.
    func change() throws -> BillSettingsChange {
        var change = BillSettingsChange(
            maxCommentLength: maxCommentLength, maxProposedTextLength: maxProposedTextLength, commentsPerMinute: commentsPerMinute,
            stancesPerSecond: stancesPerSecond, ipCommentsPerMinute: ipCommentsPerMinute, ipStancesPerSecond: ipStancesPerSecond)
        if let moderation {
            guard let mode = HearingSettings.Moderation(rawValue: moderation) else { throw ValidationError("--moderation must be pre or post.") }
            change.moderation = mode
        }
        if let allowAnonymous {
            switch allowAnonymous {
            case "yes": change.allowAnonymous = true
            case "no": change.allowAnonymous = false
            default: throw ValidationError("--allow-anonymous must be yes or no.")
            }
        }
        // The core's bounds, checked here too so that a bad value is refused before the database is opened.
        do throws(BillSettingsError) { _ = try change.applied(to: BillSettings()) } catch { throw Self.refusal(error) }
        return change
    }

    func validate() throws {
        if let days, !(1...3650).contains(days) { throw ValidationError("--days must be between 1 and 3650.") }
        if days != nil && closeNow { throw ValidationError("Give --days or --close-now, not both.") }
        _ = try change()
    }

    /// A core refusal in the words of the command line (`max_comment_length` is `--max-comment-length`).
    static func refusal(_ error: BillSettingsError) -> ValidationError {
        var message = error.message
        if case .outOfRange(let setting, _, _) = error {
            message = message.replacingOccurrences(of: setting, with: "--" + setting.replacingOccurrences(of: "_", with: "-"))
        }
        return ValidationError("\(message) Nothing was changed (\(error.code)).")
    }

    static func describe(_ state: BillState) -> String {
        let s = state.bill.settings
        var lines = [
            "Bill \(state.bill.id): \(state.bill.title)",
            "  moderation: \(s.moderation.rawValue)", "  max comment length: \(s.maxCommentLength)",
            "  max proposed text length: \(s.maxProposedTextLength)", "  comments per minute: \(s.commentsPerMinute) per participant, \(s.ipCommentsPerMinute) per address",
            "  stances per second: \(s.stancesPerSecond) per participant, \(s.ipStancesPerSecond) per address",
            "  anonymous comments: \(s.allowAnonymous ? "yes" : "no")",
        ]
        if let version = state.current ?? state.latest {
            lines.append("  version \(version.number) (\(version.state.label)): comments from \(version.window.opens.iso8601) until \(version.window.closes.iso8601)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func run() async throws {
        let change = try change()
        let store = try await CommandStore.open(database)
        do {
            let now = SystemClock().now(), id = Bill.ID(bill)
            guard try await store.bill(id) != nil else { throw ValidationError("There is no bill \(bill).") }
            let closes: Timestamp? = closeNow ? now : days.map { now.adding(days: Int64($0)) }
            let (changed, state) = try await store.withBill(id) { state -> Bool in
                guard !change.isEmpty || closes != nil else { return false }
                do throws(BillSettingsError) { try state.changeSettings(change, closes: closes, at: now) } catch { throw Self.refusal(error) }
                return true
            }
            try await store.close()
            let note = changed ? "Changed. A running server applies it within 30 seconds.\n" : ""
            FileHandle.standardOutput.write(Data((Self.describe(state) + note).utf8))
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// Reading a bill file and describing it for the clerk.
enum BillFile {
    static func read(_ path: String, format: String?) throws -> BillDocument {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("Cannot read \(path).") }
        let chosen = format ?? (path.lowercased().hasSuffix(".xml") ? "akn" : "text")
        do {
            switch chosen {
            case "akn": return try AkomaNtosoImporter.read(Array(data))
            case "text": return try PlainTextBillImporter.read(Array(data))
            default: throw ValidationError("--format must be akn or text.")
            }
        } catch let error as BillImportError {
            throw ValidationError("\(path) was refused, nothing was stored: \(error.description) (\(error.code.rawValue)).")
        }
    }

    /// The outline a clerk checks before publishing: title, counts, then one line per provision.
    static func preview(_ document: BillDocument) -> String {
        var lines = ["Title: \(document.title ?? "(none)")", "\(document.provisions.count) provisions:"]
        for provision in document.provisions.provisions {
            let indent = String(repeating: "  ", count: provision.depth + 1)
            let text = provision.quotableText.prefix(70)
            lines.append("\(indent)\(provision.label)\(provision.heading.map { " \($0)" } ?? "") [\(provision.eId)] \(text)\(provision.quotableText.count > 70 ? "…" : "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func matchingPreview(_ matching: ProvisionMatching) -> String {
        var lines = ["Matched to the published version:"]
        for match in matching.matches {
            var notes: [String] = [match.basis.rawValue, match.certainty.rawValue]
            if match.renumbered { notes.append("renumbered") }
            if match.moved { notes.append("moved") }
            if match.textChanged { notes.append("text changed") }
            lines.append("  \(match.old) -> \(match.new) (\(notes.joined(separator: ", ")))")
        }
        for eId in matching.added { lines.append("  added: \(eId)") }
        for eId in matching.deleted { lines.append("  deleted: \(eId) (its comments stay, at bill level)") }
        if !matching.isSettled { lines.append("  \(matching.uncertain.count) uncertain: publish with --accept-uncertain once checked.") }
        return lines.joined(separator: "\n")
    }
}
