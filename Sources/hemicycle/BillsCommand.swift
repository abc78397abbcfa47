import ArgumentParser
import Foundation
import HemicycleApp
import HemicycleCore
import HemicycleStorage

/// `hemicycle bills …`: clerks import draft legislation (Protocol/LEGISLATION.md §2 and §9).
struct BillsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bills", abstract: "Import and publish draft legislation.", subcommands: [BillsImport.self, BillsPublish.self]
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
