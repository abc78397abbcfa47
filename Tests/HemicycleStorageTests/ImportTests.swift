import Foundation
import HemicycleCore
import HemicyclePostgres
import HemicyclePostgresTesting
import HemicycleSQLite
import HemicycleStorage
import Logging
import Testing

/// `hemicycle import`: a parliament moves from SQLite to PostgreSQL without losing a row.
@Suite(.enabled(if: TestCluster.isAvailable || TestCluster.required, Comment(rawValue: TestCluster.absentReason)))
struct ImportTests {
    let now = StoreConformanceTests.now

    func signature(_ name: String, _ email: String, postcode: String? = nil) throws -> ValidSignature {
        try SignatureRequest(name: name, email: email, postcode: postcode).validated().get()
    }

    func mail(_ to: String, _ kind: OutgoingMail.Kind = .other) -> OutgoingMail {
        OutgoingMail(to: to, subject: "Subject", body: "Body", kind: kind, recipientKey: "key-\(to)")
    }

    /// A SQLite store with data in every table.
    func filledSQLite() async throws -> SQLiteStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hemicycle-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("hemicycle.sqlite").path, logger: Logger(label: "test"))
        try await store.migrate()
        _ = try await store.seedDemoIfEmpty(.standard(now: now, responseThreshold: 2, debateThreshold: 50))
        _ = try await store.importRegions(RegionData(
            regions: [NamedArea(code: "R1", name: "North")], constituencies: [Constituency(code: "C1", name: "Alpha", regionCode: "R1", member: "Ann")],
            postcodes: [("AB12CD", "C1")], countries: [NamedArea(code: "GB", name: "United Kingdom")]))
        // Signatures: counted (one with a constituency), held, and pending with its token and mail.
        _ = try await store.commitSignatures([
            PendingSignature(petitionID: .init(1), signature: try signature("Ada", "ada@x.org", postcode: "AB1 2CD"), address: "203.0.113.7"),
            PendingSignature(petitionID: .init(1), signature: try signature("Bo", "bo@x.org")),
            PendingSignature(petitionID: .init(1), signature: try signature("Cy", "cy@spam.test")),
            PendingSignature(petitionID: .init(1), signature: try signature("Di", "di@x.org"), held: true),
            PendingSignature(petitionID: .init(1), signature: try signature("Ed", "ed@x.org"), confirmation: .init(
                tokenHash: "tok-ed", expiresAt: now.adding(days: 7), mail: mail("ed@x.org", .signature))),
        ], now: now)
        let staff = try await store.createStaff(
            StaffMember(id: .init(1), email: "mo@example.org", name: "Mo", role: .moderator, sittings: [.init(1)]), passwordHash: "bcrypt-hash",
            audit: AuditEntry(at: now, staffID: nil, action: "staff_created", subject: ""))
        _ = try await store.invalidate(
            SignatureFilter(petition: .init(1), emailDomain: "spam.test"), reason: "spam", condition: "domain spam.test", staffID: staff.id,
            audit: AuditEntry(at: now, staffID: staff.id, action: "invalidate", subject: ""), now: now)
        // A petition with its creator and a supporter.
        let draft = Petition(id: .init(0), action: "Fix the trains", background: "B", additionalDetails: "", state: .pending, signatureCount: 0,
                             creatorName: nil, createdAt: now, updatedAt: now, openedAt: nil, closedAt: nil, closingAt: nil,
                             thresholds: [Threshold(name: "response", signatures: 10)])
        let created = try await store.createPetition(draft, creator: try signature("Fay", "fay@x.org"), sponsorToken: "sponsor-token",
                                                     token: EmailToken(hash: "tok-fay", purpose: .creator, subject: 0, expiresAt: now.adding(days: 1)),
                                                     mail: mail("fay@x.org", .creator))
        try await store.addSupporter(created.id, signature: try signature("Gus", "gus@x.org"),
                                     token: EmailToken(hash: "tok-gus", purpose: .supporter, subject: 0, expiresAt: now.adding(days: 1)),
                                     mail: mail("gus@x.org", .supporter), now: now)
        // Mail in each state.
        let due = try await store.dueMail(now: now, limit: 10)
        try await store.markSent([due[0].id], at: now)
        try await store.markFailed(due[1].id, error: "down", retryAt: now.adding(days: 1))
        // A hearing: a sitting, questions with votes (one held), the log and a note.
        let sitting = try await store.createSitting(Sitting(
            id: .init(0), title: "Second", committee: "Health", state: .scheduled, scheduledStart: now, streamURL: "https://stream.example/2",
            agenda: ["One"], witnesses: ["Two"]), audit: nil)
        let question = try await store.insertQuestion(
            Question(id: .init(0), sittingID: sitting.id, participant: "p1", text: "Why?", name: "Ana", region: "Wales", submittedAt: now),
            log: [ModerationLogEntry(sittingID: sitting.id, questionID: .init(0), action: "published", state: "approved", at: now)])
        var write = HearingWrite()
        write.votesAdded = [.init(question: question.id, participant: "v1"), .init(question: question.id, participant: "v2", held: true, address: "tag")]
        // A moderator's claim, live for an hour (moved with the rest: every node reads claims from the store).
        write.claims = [QuestionClaim(question: question.id, claim: ModerationClaims.Claim(staffID: staff.id, staffName: "Mo", until: now.adding(.seconds(3600))))]
        try await store.commitHearing(write)
        _ = try await store.addNote(
            BackstageNote(id: .init(0), sittingID: sitting.id, questionID: question.id, text: "Note", authorID: staff.id, authorName: "Mo", createdAt: now),
            audit: nil)
        // Draft legislation: a bill with its version, a published comment with a stance, the log, the marker, a frozen
        // report and its staff.
        let document = try PlainTextBillImporter.read(Array("Section 1 Breaks\n(1) A chatbot shall advise a break after 3 hours.\n".utf8))
        var version = BillVersion(billID: .init(1), number: 1, document: document, window: try #require(CommentWindow(opens: now, closes: now.adding(days: 30))))
        try version.publish(at: now)
        #expect(try await store.seedDemoBillIfEmpty(Bill(id: .init(1), title: "Breaks Act", committee: "Health"), version: version))
        let clause = try #require(document.provisions.provisions.last?.eId)
        _ = try await store.withBill(.init(1)) { state in
            guard let current = state.current else { return }
            let id = state.takeCommentID()
            for effect in try state.board.submit(
                BillCommentDraft(participant: "p1", kind: .comment, text: "Too long.", eId: clause, quote: TextQuoteSelector(exact: "3 hours")),
                id: id, version: current, settings: state.bill.settings, at: now)
            + state.board.apply(.approve, to: id, settings: state.bill.settings, at: now)
            + state.board.apply(.take(.support, participant: "p2"), to: id, settings: state.bill.settings, at: now)
            + state.board.moveMarker(to: clause, in: current, at: now) {
                if case .logged(let entry) = effect { state.newLog.append(entry) }
            }
            state.newReports.append(FrozenBillReport(id: .init(0), billID: .init(1), version: 1, frozenAt: now, json: "{\"a\": 1}", sha256: "ab", frozenBy: staff.id))
        }
        try await store.setStaffBills(of: staff.id, bills: [.init(1)], audit: nil)
        try await store.createSession(tokenHash: "session-hash", staff: staff.id, expiresAt: now.adding(days: 1))
        _ = try await store.secret(named: "server-key") { "the-secret" }
        return store
    }

    @Test func everyRowOfEveryTableArrivesAndTheStoreReadsTheSame() async throws {
        let source = try await filledSQLite()
        do {
            try await copiesEveryRow(from: source)
        } catch {
            // A SQLite store must be closed before it is freed, also when the test fails half-way.
            try? await source.close()
            throw error
        }
        try await source.close()
    }

    func copiesEveryRow(from source: SQLiteStore) async throws {
        var tables: [TableRows] = []
        for table in TableRows.tables { tables.append(try await source.tableRows(table)) }
        for table in tables { #expect(!table.rows.isEmpty, "the fixture fills \(table.table)") }

        let target = try await TestCluster.openStore(poolSize: 4)
        try await target.migrate()
        let copied = try await target.importTables(tables)
        for table in tables {
            #expect(copied[table.table] == table.rows.count)
            var arrived = try await target.tableRows(table.table)
            // Columns only PostgreSQL has (the outbox's claims) are left out of the comparison: all NULL.
            let extra = arrived.columns.indices.filter { !table.columns.contains(arrived.columns[$0]) }
            for index in extra { #expect(arrived.rows.allSatisfy { $0[index] == .null }) }
            arrived = TableRows(table: arrived.table, columns: arrived.columns.enumerated().filter { !extra.contains($0.offset) }.map(\.element),
                                rows: arrived.rows.map { $0.enumerated().filter { !extra.contains($0.offset) }.map(\.element) })
            #expect(arrived.normalised == table.normalised, "\(table.table) arrives row for row")
        }

        // The store serves the same petition, sitting, record and secrets.
        for id in [Petition.ID(1), Petition.ID(2)] { #expect(try await target.petition(id) == (try await source.petition(id))) }
        #expect(try await target.sittings() == (try await source.sittings()))
        for sitting in try await source.sittings() {
            #expect(try await target.questions(in: sitting.id) == (try await source.questions(in: sitting.id)))
            #expect(try await target.moderationLog(of: sitting.id) == (try await source.moderationLog(of: sitting.id)))
            #expect(try await target.notes(in: sitting.id) == (try await source.notes(in: sitting.id)))
            #expect(try await target.claims(in: sitting.id, now: now) == (try await source.claims(in: sitting.id, now: now)))
        }
        #expect(try await target.tallies(of: .init(1)) == (try await source.tallies(of: .init(1))))
        #expect(try await target.outboxEntries(limit: 100) == (try await source.outboxEntries(limit: 100)))
        #expect(try await target.invalidations(limit: 10) == (try await source.invalidations(limit: 10)))
        #expect(try await target.secret(named: "server-key") { "another" } == "the-secret")
        #expect(try await target.session(tokenHash: "session-hash") == (try await source.session(tokenHash: "session-hash")))
        #expect(try await target.staff(email: "mo@example.org")?.passwordHash == "bcrypt-hash")
        // The bill, its versions, comments, stances and marker (the next comment id is each backend's own business).
        let (copiedBill, sourceBill) = (try #require(try await target.billState(.init(1))), try #require(try await source.billState(.init(1))))
        #expect(copiedBill.bill == sourceBill.bill && copiedBill.versions == sourceBill.versions && copiedBill.board == sourceBill.board)
        #expect(copiedBill.board.comments.first?.value.supports == 1 && copiedBill.board.marker != nil)
        #expect(try await target.billModerationLog(of: .init(1)) == (try await source.billModerationLog(of: .init(1))))
        #expect(try await target.frozenReports(of: .init(1)) == (try await source.frozenReports(of: .init(1))), "the frozen bytes")
        let moderator = try #require(try await target.staff(email: "mo@example.org")?.member.id)
        #expect(try await target.staffBills(of: moderator) == [.init(1)])

        // Ids continue after the largest: a new petition does not collide.
        let next = try await target.createPetition(
            Petition(id: .init(0), action: "After", background: "", additionalDetails: "", state: .pending, signatureCount: 0, creatorName: nil,
                     createdAt: now, updatedAt: now, openedAt: nil, closedAt: nil, closingAt: nil, thresholds: []),
            creator: try signature("Hal", "hal@x.org"), sponsorToken: "t2", token: EmailToken(hash: "tok-hal", purpose: .creator, subject: 0, expiresAt: now),
            mail: mail("hal@x.org", .creator))
        #expect(next.id == .init(3))

        // A second import into the same (now not empty) database is refused and changes nothing.
        let refused = await #expect(throws: StoreError.self) { _ = try await target.importTables(tables) }
        #expect(refused?.code == .conflict)
        #expect(try await target.tableRows("petitions").rows.count == 3)
        try await target.close()
    }
}
