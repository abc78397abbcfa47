import Foundation
public import HemicycleCore
public import HemicycleStorage
import Testing

/// The `BillStore` contracts, on every backend: bills, versions with their provisions, comments with anchors, states
/// and stances, the marker, the moderation log, frozen reports, staff assignments; one transaction per `withBill`.
public struct BillStoreConformance {
    public init() {}

    let now = StoreConformance.now

    static let text = """
        Title: Rail Fares Act
        Section 1. Fares
        (1) A fare may not rise by more than 3 percent a year.
        (2) Children under 5 travel free.
        Section 2. Tickets
        Every ticket is valid for 3 hours on any train.
        """

    static let textV2 = """
        Title: Rail Fares Act
        Section 1. Fares
        (1) A fare may not rise by more than 2 percent a year.
        Section 2. Tickets
        Every ticket is valid for 3 hours on any train.
        """

    func window() throws -> CommentWindow {
        try #require(CommentWindow(opens: now, closes: now.adding(days: 30)))
    }

    func settings() -> BillSettings {
        var settings = BillSettings()
        settings.maxCommentLength = 500
        settings.allowAnonymous = false
        settings.rejectionReasons = [RejectionReason(code: "off_topic", text: ["en": "Off topic.", "fr": "Hors sujet."])]
        return settings
    }

    /// A bill with version 1 published (two sections), as the service makes it.
    func publishedBill(_ store: any HemicycleStore) async throws -> Bill {
        let bill = try await store.createBill(
            Bill(id: .init(99), title: "Rail Fares Act", committee: "Transport", settings: settings()),
            audit: AuditEntry(at: now, staffID: nil, action: "bill_created", subject: "bill"))
        let document = try PlainTextBillImporter.read(Self.text)
        let window = try window(), now = now
        _ = try await store.withBill(bill.id) { state in
            var version = BillVersion(billID: state.bill.id, number: 1, document: document, window: window)
            try version.publish(at: now)
            state.put(version)
        }
        return bill
    }

    func draft(_ participant: String, _ eId: String, quote: String? = nil, kind: BillCommentKind = .comment) -> BillCommentDraft {
        BillCommentDraft(
            participant: participant, kind: kind, text: "Comment by \(participant)", proposedText: kind == .rewording ? "New words." : nil,
            eId: EId(eId) ?? EId(parent: nil, kind: .section, component: "1"), quote: quote.map { TextQuoteSelector(exact: $0) },
            name: "Name \(participant)", region: "Wales")
    }

    func billsRoundTripWithTheirSettings(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        #expect(try await store.bills().isEmpty)
        let bill = try await publishedBill(store)
        #expect(bill.id != .init(99), "the store assigns the id")
        #expect(try await store.bill(bill.id) == bill)
        #expect(try await store.bill(bill.id)?.settings == settings())
        #expect(try await store.bills() == [bill])
        #expect(try await store.bill(.init(12345)) == nil)
        #expect(try await store.billState(.init(12345)) == nil)
        #expect(try await store.auditLog(limit: 10).first?.subject == "bill:\(bill.id)")
        let state = try #require(try await store.billState(bill.id))
        #expect(state.versions.count == 1)
        #expect(state.current?.state == .published)
        #expect(state.current?.provisions == (try PlainTextBillImporter.read(Self.text)).provisions, "the provision tree comes back whole")
        #expect(state.current?.document.title == "Rail Fares Act")
        #expect(state.current?.window == (try window()))
        #expect(state.current?.publishedAt == now)
        await #expect(throws: StoreError(.notFound, "")) { _ = try await store.withBill(.init(12345)) { _ in } }
    }

    func commentsStancesMarkerAndLogRoundTrip(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let bill = try await publishedBill(store)
        let now = now, settings = settings()
        let a = draft("p1", "sec_1__subsec_1", quote: "3 percent"), b = draft("p2", "sec_2", kind: .rewording)
        let (ids, stored) = try await store.withBill(bill.id) { state -> [BillComment.ID] in
            let version = try #require(state.current)
            _ = try state.board.moveMarker(to: EId("sec_1"), in: version, at: now)
            let first = state.takeCommentID(), second = state.takeCommentID()
            _ = try state.board.submit(a, id: first, version: version, settings: settings, at: now)
            _ = try state.board.submit(b, id: second, version: version, settings: settings, at: now)
            for effect in try state.board.apply(.approve, to: first, settings: settings, at: now) {
                if case .logged(let entry) = effect { state.newLog.append(entry) }
            }
            _ = try state.board.apply(.approve, to: second, settings: settings, at: now)
            _ = try state.board.apply(.take(.support, participant: "p3"), to: first, settings: settings, at: now)
            _ = try state.board.apply(.take(.oppose, participant: "p4"), to: first, settings: settings, at: now)
            _ = try state.board.apply(.take(.support, participant: "p3"), to: second, settings: settings, at: now)
            _ = try state.board.apply(.edit(text: "Edited by a moderator"), to: second, settings: settings, at: now)
            return [first, second]
        }
        #expect(ids[0] != ids[1])
        let read = try #require(try await store.billState(bill.id))
        #expect(read.board == stored.board, "what withBill returns is what is stored")
        let first = try #require(read.board[ids[0]])
        #expect(first.anchor.quote?.exact == "3 percent")
        #expect(first.anchor.position != nil)
        #expect(first.supporters == ["p3"])
        #expect(first.opposers == ["p4"])
        #expect(first.state == .published)
        #expect(first.discussion?.eId.rawValue == "sec_1", "written while its section was discussed")
        #expect(first.name == "Name p1")
        let second = try #require(read.board[ids[1]])
        #expect(second.text == "Edited by a moderator")
        #expect(second.originalText == "Comment by p2")
        #expect(second.proposedText == "New words.")
        #expect(read.board.marker?.eId.rawValue == "sec_1")
        #expect(try await store.billOfComment(ids[0]) == bill.id)
        #expect(try await store.billOfComment(.init(987_654)) == nil)
        #expect(try await store.billModerationLog(of: bill.id).map(\.action) == ["approve"])
        // Switching sides, clearing, clearing the marker.
        _ = try await store.withBill(bill.id) { state in
            _ = try state.board.apply(.take(.oppose, participant: "p3"), to: ids[0], settings: settings, at: now)
            _ = try state.board.apply(.clearStance(participant: "p4"), to: ids[0], settings: settings, at: now)
            _ = try state.board.apply(.reject(reasonCode: "off_topic"), to: ids[1], settings: settings, at: now)
            _ = try state.board.moveMarker(to: nil, in: try #require(state.current), at: now)
        }
        let after = try #require(try await store.billState(bill.id))
        #expect(after.board[ids[0]]?.supporters == [])
        #expect(after.board[ids[0]]?.opposers == ["p3"])
        #expect(after.board[ids[1]]?.state == .rejected(reasonCode: "off_topic"))
        #expect(after.board[ids[1]]?.supporters == ["p3"], "a rejected comment keeps its rows")
        #expect(after.board.marker == nil)
    }

    func aFailedBodyStoresNothing(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let bill = try await publishedBill(store)
        let before = try #require(try await store.billState(bill.id))
        let now = now, settings = settings(), ok = draft("p1", "sec_2"), bad = draft("p2", "sec_9")
        await #expect(throws: BillCommentError.self) {
            _ = try await store.withBill(bill.id) { state in
                let version = try #require(state.current)
                _ = try state.board.submit(ok, id: state.takeCommentID(), version: version, settings: settings, at: now)
                _ = try state.board.moveMarker(to: EId("sec_2"), in: version, at: now)
                state.newLog.append(BillModerationLogEntry(billID: state.bill.id, commentID: .init(1), action: "approve", state: "published", at: now))
                _ = try state.board.submit(bad, id: state.takeCommentID(), version: version, settings: settings, at: now)
            }
        }
        let after = try #require(try await store.billState(bill.id))
        #expect(after.board == before.board, "neither the first comment nor the marker was stored")
        #expect(try await store.billModerationLog(of: bill.id).isEmpty)
    }

    func commentIDsAreUniqueAcrossBillsAndRaces(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let one = try await publishedBill(store), two = try await publishedBill(store)
        let now = now, settings = settings()
        let ids = try await withThrowingTaskGroup(of: BillComment.ID.self) { group in
            for n in 0..<12 {
                let bill = n.isMultiple(of: 2) ? one.id : two.id
                let comment = draft("p\(n)", "sec_2")
                group.addTask {
                    try await store.withBill(bill) { state in
                        let id = state.takeCommentID()
                        _ = try state.board.submit(comment, id: id, version: try #require(state.current), settings: settings, at: now)
                        return id
                    }.0
                }
            }
            var ids: [BillComment.ID] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        #expect(Set(ids).count == 12, "every comment has its own id")
        #expect(try await store.billState(one.id)?.board.comments.count == 6)
        #expect(try await store.billState(two.id)?.board.comments.count == 6)
        // Concurrent stances on one comment: every one is stored (one transaction at a time per bill).
        let target = try #require(try await store.billState(one.id)?.board.comments.keys.min())
        _ = try await store.withBill(one.id) { state in _ = try state.board.apply(.approve, to: target, settings: settings, at: now) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<10 {
                group.addTask {
                    _ = try await store.withBill(one.id) { state in
                        _ = try state.board.apply(.take(.support, participant: "s\(n)"), to: target, settings: settings, at: now)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.billState(one.id)?.board[target]?.supports == 10)
    }

    func newVersionsCarryCommentsAndReportsAreAppended(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let bill = try await publishedBill(store)
        let now = now, settings = settings(), comment = draft("p1", "sec_1__subsec_1", quote: "3 percent")
        let (id, _) = try await store.withBill(bill.id) { state in
            let id = state.takeCommentID()
            _ = try state.board.submit(comment, id: id, version: try #require(state.current), settings: settings, at: now)
            return id
        }
        let v2 = try PlainTextBillImporter.read(Self.textV2), window = try window()
        _ = try await store.withBill(bill.id) { state in
            var old = try #require(state.current)
            let matching = ProvisionMatcher.match(old: old.provisions, new: v2.provisions)
            let keyed = matching.keyedTree(version: 2)
            var next = BillVersion(
                billID: state.bill.id, number: 2,
                document: BillDocument(title: v2.title, longTitle: v2.longTitle, preamble: v2.preamble, provisions: keyed), window: window)
            try next.publish(at: now)
            try old.supersede()
            state.put(old)
            state.put(next)
            _ = state.board.carryForward(matching: matching, into: keyed, version: 2)
            state.newReports.append(FrozenBillReport(
                id: .init(0), billID: state.bill.id, version: 2, frozenAt: now, json: "{\"a\":1}", sha256: String(repeating: "a", count: 64), frozenBy: nil))
        }
        let state = try #require(try await store.billState(bill.id))
        #expect(state.versions.map(\.state) == [.superseded, .published])
        #expect(state.current?.number == 2)
        let carried = try #require(state.board[id])
        #expect(carried.anchor.quote?.exact == "3 percent", "the original anchor is never rewritten")
        #expect(carried.carried.count == 1)
        #expect(carried.anchorStatus == .moved)
        #expect(carried.currentAnchor?.version == 2)
        let reports = try await store.frozenReports(of: bill.id)
        #expect(reports.count == 1)
        #expect(reports.first?.json == "{\"a\":1}")
        #expect(reports.first?.id != .init(0), "the store assigns the report's id")
        #expect(try await store.frozenReports(of: .init(12345)).isEmpty)
    }

    func staffAssignmentsAndTheDemoBill(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let document = try PlainTextBillImporter.read(Self.text)
        var version = BillVersion(billID: .init(1), number: 1, document: document, window: try window())
        try version.publish(at: now)
        #expect(try await store.seedDemoBillIfEmpty(Bill(id: .init(1), title: "Demo", committee: "C"), version: version))
        #expect(try await store.seedDemoBillIfEmpty(Bill(id: .init(1), title: "Again", committee: "C"), version: version) == false)
        #expect(try await store.bill(.init(1))?.title == "Demo")
        #expect(try await store.billState(.init(1))?.current?.provisions == document.provisions)
        let next = try await store.createBill(Bill(id: .init(1), title: "Second", committee: "C"), audit: nil)
        #expect(next.id == .init(2), "ids continue after the seeded bill")
        let member = try await store.createStaff(
            StaffMember(id: .init(1), email: "mod@example.org", name: "Mod", role: .moderator), passwordHash: "x", audit: nil)
        #expect(try await store.staffBills(of: member.id).isEmpty)
        try await store.setStaffBills(of: member.id, bills: [.init(1), .init(2)], audit: nil)
        #expect(try await store.staffBills(of: member.id) == [.init(1), .init(2)])
        try await store.setStaffBills(of: member.id, bills: [.init(2)], audit: nil)
        #expect(try await store.staffBills(of: member.id) == [.init(2)])
        await #expect(throws: StoreError(.notFound, "")) { try await store.setStaffBills(of: member.id, bills: [.init(77)], audit: nil) }
        await #expect(throws: StoreError(.notFound, "")) { try await store.setStaffBills(of: .init(999), bills: [.init(1)], audit: nil) }
        #expect(try await store.staffBills(of: member.id) == [.init(2)], "a refused assignment changes nothing")
    }

    /// `hemicycle bills settings`: a change to the settings and the window is stored whole, with its audit entry; a
    /// refused one (a value out of bounds, a window closing before it opens) stores nothing.
    func settingsChangesAreStoredWholeOrNotAtAll(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let bill = try await publishedBill(store)
        let now = now, later = now.adding(days: 90)
        let change = BillSettingsChange(moderation: .post, commentsPerMinute: 600, ipCommentsPerMinute: 100_000, allowAnonymous: true)
        let (_, returned) = try await store.withBill(bill.id) { state in try state.changeSettings(change, closes: later, at: now) }
        let stored = try #require(try await store.billState(bill.id))
        #expect(stored.bill == returned.bill)
        #expect(stored.bill.settings.moderation == .post)
        #expect(stored.bill.settings.commentsPerMinute == 600)
        #expect(stored.bill.settings.ipCommentsPerMinute == 100_000)
        #expect(stored.bill.settings.allowAnonymous == true)
        #expect(stored.bill.settings.maxCommentLength == 500, "a setting not named stays as it was")
        #expect(stored.bill.settings.rejectionReasons == settings().rejectionReasons)
        #expect(stored.current?.window.closes == later)
        #expect(stored.current?.window.opens == (try window()).opens)
        let audit = try await store.auditLog(limit: 1).first
        #expect(audit?.action == "bill_settings_changed")
        #expect(audit?.details.contains("\"comments_per_minute\":600") == true)

        for (bad, closes) in [(BillSettingsChange(commentsPerMinute: 601, stancesPerSecond: 2), Timestamp?.none),
                              (BillSettingsChange(maxCommentLength: 19), nil),
                              (BillSettingsChange(ipStancesPerSecond: 0), nil),
                              (BillSettingsChange(stancesPerSecond: 2), now.adding(days: -1))] {
            await #expect(throws: BillSettingsError.self) {
                _ = try await store.withBill(bill.id) { state in try state.changeSettings(bad, closes: closes, at: now) }
            }
            let after = try #require(try await store.billState(bill.id))
            #expect(after.bill == stored.bill, "a refused change stores nothing")
            #expect(after.versions == stored.versions)
            #expect(try await store.auditLog(limit: 1).first == audit)
        }
    }

    /// Every case of this part of the suite.
    public static let cases: [StoreConformance.Case] = [
        .init("BillStoreConformance.billsRoundTripWithTheirSettings") { try await BillStoreConformance().billsRoundTripWithTheirSettings($0) },
        .init("BillStoreConformance.commentsStancesMarkerAndLogRoundTrip") { try await BillStoreConformance().commentsStancesMarkerAndLogRoundTrip($0) },
        .init("BillStoreConformance.aFailedBodyStoresNothing") { try await BillStoreConformance().aFailedBodyStoresNothing($0) },
        .init("BillStoreConformance.commentIDsAreUniqueAcrossBillsAndRaces") { try await BillStoreConformance().commentIDsAreUniqueAcrossBillsAndRaces($0) },
        .init("BillStoreConformance.newVersionsCarryCommentsAndReportsAreAppended") {
            try await BillStoreConformance().newVersionsCarryCommentsAndReportsAreAppended($0)
        },
        .init("BillStoreConformance.settingsChangesAreStoredWholeOrNotAtAll") {
            try await BillStoreConformance().settingsChangesAreStoredWholeOrNotAtAll($0)
        },
        .init("BillStoreConformance.staffAssignmentsAndTheDemoBill") { try await BillStoreConformance().staffAssignmentsAndTheDemoBill($0) },
    ]
}
