import Foundation
public import HemicycleCore
public import HemicycleStorage
import Testing

/// The outbox's contracts on every backend: signature confirmations first, nothing personal kept once mail is sent or
/// given up, per-recipient counts that outlive the erased address for the limit's window, and the retention sweep.
public struct OutboxConformance {
    public init() {}

    let now = StoreConformance.now

    func at(_ seconds: Int64) -> Timestamp { Timestamp(millisecondsSince1970: now.millisecondsSince1970 + seconds * 1000) }

    func mail(_ to: String, _ kind: OutgoingMail.Kind = .other, key: String? = nil) -> OutgoingMail {
        OutgoingMail(to: to, subject: "Subject for \(to)", body: "Body for \(to)", kind: kind, recipientKey: key)
    }

    func signatureConfirmationsGoOutBeforeAnythingElse(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        // A flood of other mail, queued first.
        for n in 0..<5 { try await store.enqueue(mail("flood\(n)@x.org", .creator), now: at(Int64(n))) }
        try await store.enqueue(mail("supporter@x.org", .supporter), now: at(5))
        try await store.enqueue(mail("signer1@x.org", .signature), now: at(6))
        try await store.enqueue(mail("signer2@x.org", .signature), now: at(7))
        let due = try await store.dueMail(now: at(10), limit: 3)
        #expect(due.map(\.mail.to) == ["signer1@x.org", "signer2@x.org", "flood0@x.org"])
        #expect(due.map(\.mail.kind) == [.signature, .signature, .creator])
        // A confirmation waiting for its retry does not block the others, and comes first again once due.
        try await store.markFailed(due[0].id, error: "down", retryAt: at(20))
        #expect(try await store.dueMail(now: at(10), limit: 2).map(\.mail.to) == ["signer2@x.org", "flood0@x.org"])
        #expect(try await store.dueMail(now: at(20), limit: 3).map(\.mail.to) == ["signer2@x.org", "signer1@x.org", "flood0@x.org"])
        // Within one priority, oldest due first.
        #expect(try await store.dueMail(now: at(20), limit: 10).suffix(6).map(\.mail.to) == ["flood0@x.org", "flood1@x.org", "flood2@x.org", "flood3@x.org", "flood4@x.org", "supporter@x.org"])
    }

    func sentMailKeepsNoRecipientSubjectOrBody(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        try await store.enqueue(mail("ada@x.org", .signature, key: "k-ada"), now: now)
        try await store.enqueue(mail("bo@x.org", .creator, key: "k-bo"), now: now)
        let due = try await store.dueMail(now: now, limit: 10)
        try await store.markSent([due[0].id], at: at(1))
        let entries = try await store.outboxEntries(limit: 10)
        #expect(entries.map(\.id) == due.map(\.id).sorted(by: >), "newest first")
        let sent = try #require(entries.first { $0.id == due[0].id })
        #expect(sent.state == .sent && sent.attempts == 1 && sent.finishedAt == at(1) && sent.kind == .signature)
        #expect(sent.recipient.isEmpty && sent.subject.isEmpty && sent.body.isEmpty, "\(sent)")
        #expect(sent.recipientKey == "k-ada", "the key stays for the per-recipient limit's window")
        let queued = try #require(entries.first { $0.id == due[1].id })
        #expect(queued.state == .queued && queued.recipient == "bo@x.org" && queued.body == "Body for bo@x.org")
        #expect(try await store.dueMail(now: at(1), limit: 10).map(\.id) == [due[1].id])
        // Marking sent again, or marking a sent mail failed or abandoned, changes nothing.
        try await store.markSent([due[0].id], at: at(2))
        try await store.markFailed(due[0].id, error: "late", retryAt: at(3))
        try await store.markAbandoned(due[0].id, error: "late", at: at(3))
        #expect(try await store.outboxEntries(limit: 10).first { $0.id == due[0].id } == sent)
    }

    func abandonedMailIsErasedAndNeverRetried(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        try await store.enqueue(mail("root,other@x.org"), now: now)
        let id = try #require(try await store.dueMail(now: now, limit: 10).first?.id)
        try await store.markAbandoned(id, error: "invalid_mail_address in To", at: at(1))
        #expect(try await store.dueMail(now: at(10_000), limit: 10).isEmpty)
        let entry = try #require(try await store.outboxEntries(limit: 1).first)
        #expect(entry.state == .abandoned && entry.finishedAt == at(1) && entry.lastError == "invalid_mail_address in To" && entry.attempts == 1)
        #expect(entry.recipient.isEmpty && entry.subject.isEmpty && entry.body.isEmpty)
    }

    func mailIsCountedPerRecipientKeyInAWindow(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        #expect(try await store.mailTally(recipientKey: "k", since: now) == MailTally(count: 0, oldest: nil))
        try await store.enqueue(mail("a@x.org", key: "k"), now: at(0))
        try await store.enqueue(mail("a@x.org", key: "k"), now: at(100))
        try await store.enqueue(mail("b@x.org", key: "other"), now: at(100))
        try await store.enqueue(mail("c@x.org"), now: at(100))
        let confirmation = PendingSignature.Confirmation(tokenHash: "t", expiresAt: at(1000), mail: mail("a@x.org", .signature, key: "k"))
        _ = try await store.commitSignatures([PendingSignature(
            petitionID: .init(1), signature: try SignatureRequest(name: "A", email: "a@x.org").validated().get(), confirmation: confirmation
        )], now: at(200))
        #expect(try await store.mailTally(recipientKey: "k", since: now) == MailTally(count: 3, oldest: now), "mail queued by signing counts too")
        #expect(try await store.mailTally(recipientKey: "k", since: at(1)) == MailTally(count: 2, oldest: at(100)))
        // Sent mail still counts (its address is gone, its key is not).
        try await store.markSent(try await store.dueMail(now: at(300), limit: 10).map(\.id), at: at(300))
        #expect(try await store.mailTally(recipientKey: "k", since: now).count == 3)
    }

    func theRetentionSweepAbandonsOldUnsentMailAndForgetsOldKeys(_ makeStore: StoreFactory) async throws {
        let store = try await StoreConformance.seeded(makeStore)
        defer { Task { try? await store.close() } }
        let day: Int64 = 86_400
        try await store.enqueue(mail("old@x.org", key: "k-old"), now: at(0))
        try await store.enqueue(mail("sent@x.org", key: "k-sent"), now: at(0))
        try await store.enqueue(mail("new@x.org", key: "k-new"), now: at(6 * day))
        let sentID = try #require(try await store.dueMail(now: at(0), limit: 10).first { $0.mail.to == "sent@x.org" }?.id)
        try await store.markSent([sentID], at: at(10))
        let oldID = try #require(try await store.dueMail(now: at(0), limit: 10).first?.id)
        try await store.markFailed(oldID, error: "refused by the relay", retryAt: at(3600))

        let first = try await store.pruneOutbox(unsentBefore: at(-1), keysBefore: at(-1), now: at(6 * day))
        #expect(first == OutboxPruning(abandoned: 0, keysForgotten: 0), "nothing is old enough yet")

        let sweep = try await store.pruneOutbox(unsentBefore: at(7 * day - 7 * day + 1), keysBefore: at(day), now: at(7 * day))
        #expect(sweep == OutboxPruning(abandoned: 1, keysForgotten: 2))
        let entries = try await store.outboxEntries(limit: 10)
        let old = try #require(entries.first { $0.id == oldID })
        #expect(old.state == .abandoned && old.recipient.isEmpty && old.body.isEmpty && old.recipientKey == nil)
        #expect(old.lastError == "refused by the relay", "the reason stays for the audit")
        #expect(old.finishedAt == at(7 * day))
        let new = try #require(entries.first { $0.recipientKey == "k-new" })
        #expect(new.state == .queued && new.recipient == "new@x.org", "recent mail is kept")
        #expect(try await store.dueMail(now: at(8 * day), limit: 10).map(\.mail.to) == ["new@x.org"])
        #expect(try await store.mailTally(recipientKey: "k-old", since: at(-day)).count == 0, "a forgotten key counts nothing")
        #expect(entries.count == 3, "rows stay as a count")
        #expect(try await store.pruneOutbox(unsentBefore: at(1), keysBefore: at(day), now: at(7 * day)) == OutboxPruning(abandoned: 0, keysForgotten: 0), "once")
    }

    /// Every case of this part of the suite.
    public static let cases: [StoreConformance.Case] = [
        .init("OutboxConformance.signatureConfirmationsGoOutBeforeAnythingElse") { try await OutboxConformance().signatureConfirmationsGoOutBeforeAnythingElse($0) },
        .init("OutboxConformance.sentMailKeepsNoRecipientSubjectOrBody") { try await OutboxConformance().sentMailKeepsNoRecipientSubjectOrBody($0) },
        .init("OutboxConformance.abandonedMailIsErasedAndNeverRetried") { try await OutboxConformance().abandonedMailIsErasedAndNeverRetried($0) },
        .init("OutboxConformance.mailIsCountedPerRecipientKeyInAWindow") { try await OutboxConformance().mailIsCountedPerRecipientKeyInAWindow($0) },
        .init("OutboxConformance.theRetentionSweepAbandonsOldUnsentMailAndForgetsOldKeys") { try await OutboxConformance().theRetentionSweepAbandonsOldUnsentMailAndForgetsOldKeys($0) },
    ]
}
