import Foundation
import HemicycleCore
@testable import HemicyclePostgres
import HemicyclePostgresTesting
import HemicycleStorage
import Logging
import Testing

/// What only PostgreSQL does: several nodes (two store instances on one database) share the outbox, the scheduled
/// jobs and the signature counts; migrations refuse a newer schema; URLs are parsed strictly.
@Suite(.enabled(if: TestCluster.isAvailable || TestCluster.required, Comment(rawValue: TestCluster.absentReason)))
struct PostgresStoreTests {
    let now = StoreConformanceTests.now

    /// Two nodes on one new database (the first migrates and seeds it).
    func twoNodes() async throws -> (PostgresStore, PostgresStore, PostgresURL) {
        let url = try await TestCluster.newDatabase()
        let a = try await PostgresStore.open(url: url, poolSize: 4, connectTimeout: TestCluster.connectTimeout, logger: Logger(label: "node-a"))
        let b = try await PostgresStore.open(url: url, poolSize: 4, connectTimeout: TestCluster.connectTimeout, logger: Logger(label: "node-b"))
        try await a.migrate()
        try await b.migrate()
        _ = try await a.seedDemoIfEmpty(.standard(now: now, responseThreshold: 50, debateThreshold: 100))
        #expect(try await b.seedDemoIfEmpty(.standard(now: now)) == false, "the second node does not seed again")
        return (a, b, url)
    }

    func at(_ seconds: Int64) -> Timestamp { Timestamp(millisecondsSince1970: now.millisecondsSince1970 + seconds * 1000) }

    @Test func eachMessageIsTakenByOneNodeAndALapsedLeaseFreesIt() async throws {
        let (a, b, _) = try await twoNodes()
        for n in 0..<10 { try await a.enqueue(OutgoingMail(to: "r\(n)@example.org", subject: "S", body: "B"), now: at(Int64(n))) }
        let takenByA = try await a.dueMail(now: at(20), limit: 6)
        let takenByB = try await b.dueMail(now: at(20), limit: 10)
        #expect(takenByA.count == 6)
        #expect(takenByB.count == 4, "B gets only what A does not hold")
        #expect(Set(takenByA.map(\.id)).isDisjoint(with: takenByB.map(\.id)))
        // A node sees again what it holds (a retry of its own loop), in the contract's order.
        #expect(try await a.dueMail(now: at(21), limit: 10).map(\.id) == takenByA.map(\.id))
        // A sends three; the other three stay held by A until its lease ends (A died mid-send, say).
        try await a.markSent(Array(takenByA.prefix(3).map(\.id)), at: at(22))
        #expect(try await b.dueMail(now: at(23), limit: 10).map(\.id) == takenByB.map(\.id))
        let afterLease = at(20 + PostgresStore.outboxLeaseMilliseconds / 1000 + 1)
        let retaken = try await b.dueMail(now: afterLease, limit: 10)
        #expect(Set(retaken.map(\.id)) == Set(takenByA.suffix(3).map(\.id) + takenByB.map(\.id)), "the lapsed lease frees A's unsent mail, never the sent")
        // A failure ends the lease at once: the retry is anyone's when due.
        try await b.markFailed(takenByB[0].id, error: "down", retryAt: afterLease)
        #expect(try await a.dueMail(now: afterLease, limit: 10).map(\.id) == [takenByB[0].id])
        try await a.close()
        try await b.close()
    }

    @Test func nodesRacingForTheOutboxNeverTakeTheSameMessage() async throws {
        let (a, b, _) = try await twoNodes()
        for n in 0..<200 { try await a.enqueue(OutgoingMail(to: "r\(n)@example.org", subject: "S", body: "B"), now: at(0)) }
        async let fromA: [[Int64]] = withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<5 { group.addTask { try await a.dueMail(now: at(1), limit: 30).map(\.id) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        async let fromB: [[Int64]] = withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<5 { group.addTask { try await b.dueMail(now: at(1), limit: 30).map(\.id) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let idsA = Set(try await fromA.flatMap { $0 }), idsB = Set(try await fromB.flatMap { $0 })
        #expect(idsA.isDisjoint(with: idsB), "no message is held by both nodes")
        #expect(idsA.count + idsB.count >= 30)
        try await a.close()
        try await b.close()
    }

    @Test func aScheduledJobRunsOnOneNodeAtATime() async throws {
        let (a, b, _) = try await twoNodes()
        let inside = try await a.exclusively("close-petitions") {
            // While A runs it, B skips it; another job is free.
            let skipped = try await b.exclusively("close-petitions") { true }
            let other = try await b.exclusively("anonymise") { true }
            return (skipped, other)
        }
        #expect(inside?.0 == nil, "B did not run the job A was running")
        #expect(inside?.1 == true, "a different job runs on B meanwhile")
        #expect(try await b.exclusively("close-petitions") { 7 } == 7, "once A is done, B runs it")
        // A job that throws releases its lock.
        await #expect(throws: StoreError.self) { _ = try await a.exclusively("anonymise") { () async throws -> Int in throw StoreError(.corrupt, "boom") } }
        #expect(try await b.exclusively("anonymise") { 1 } == 1)
        try await a.close()
        try await b.close()
    }

    @Test func twoNodesSigningTheSamePetitionKeepOneTrueCount() async throws {
        let (a, b, _) = try await twoNodes()
        func batch(_ range: Range<Int>) throws -> [PendingSignature] { try range.map { try StoreConformanceTests.signature($0) } }
        // Overlapping batches: signers 50..<100 sign through both nodes at once; each must count once.
        async let first = a.commitSignatures(try batch(0..<100), now: now)
        async let second = b.commitSignatures(try batch(50..<150), now: now)
        let results = try await [first, second]
        let accepted = results.flatMap(\.outcomes).filter { if case .accepted = $0 { true } else { false } }.count
        #expect(accepted == 150)
        #expect(results.flatMap(\.outcomes).filter { $0 == .duplicate }.count == 50)
        #expect(try await a.petition(.init(1))?.signatureCount == 150)
        #expect(try await b.storedSignatureCount(.init(1)) == 150)
        #expect(try await a.tallies(of: .init(1)).reduce(0) { $0 + $1.count } == 150)
        let thresholds = results.flatMap(\.changes).flatMap(\.thresholdsReached).map(\.name)
        #expect(thresholds.sorted() == ["debate", "response"], "each threshold is reached once, by one node")
        try await a.close()
        try await b.close()
    }

    /// Decides `command` by `actor` as the hearings service does: inside `withSitting` on `store`, on what the command
    /// reads of the stored state, with the core's `HearingRoom`; the effects are stored in the same transaction.
    /// `beforeDeciding` runs between the reads and the decision (a slow node).
    func decide(
        _ command: HearingCommand, by actor: HearingActor, on store: PostgresStore, at time: Timestamp,
        beforeDeciding: @escaping @Sendable () async throws -> Void = {}
    ) async throws -> [HearingEffect] {
        var staffID: StaffMember.ID?
        if case .staff(let member) = actor { staffID = member.id }
        let actingStaff = staffID
        return try await store.withSitting(.init(1)) { reads in
            let sitting = try #require(try await reads.sitting())
            let questions = try await reads.questions(command.questions)
            var claims: [QuestionClaim] = []
            if let claimed = command.claimedQuestion { claims = try await reads.claims(on: [claimed], now: time) }
            try await beforeDeciding()
            var room = HearingRoom(sitting: sitting, questions: questions, claims: claims, votesPerAddress: 3, reasonCodes: ["offensive"])
            let effects = try room.handle(command, by: actor, at: time)
            var write = HearingWrite()
            for effect in effects {
                switch effect {
                case .questionChanged(let question, _): write.questions.append(question)
                case .logged(let entry): write.moderation.append(entry)
                case .audited(let action, let subject, _): write.audit.append(AuditEntry(at: time, staffID: actingStaff, action: action, subject: subject))
                case .claimed(let claim): write.claims.append(claim)
                case .claimEnded(let question): write.claimsEnded.append(question)
                default: Issue.record("unexpected effect \(effect)")
                }
            }
            return (effects, write)
        }
    }

    func outcome<T: Sendable>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// Two nodes, each with its own store on one database, take two moderators' conflicting actions on one question at
    /// the same moment: the sitting's advisory lock orders them, the second decides on what the first stored, and
    /// gets the conflict a single node gives (409 at the edge); the stored state is the winner's alone.
    @Test func twoNodesRacingOnOneQuestionHaveOneWinner() async throws {
        let (a, b, _) = try await twoNodes()
        let question = try await a.insertQuestion(Question(id: .init(1), sittingID: .init(1), participant: "p1", text: "Why?", submittedAt: now), log: [])
        let ann = HearingActor.staff(StaffMember(id: .init(1), email: "ann@example.org", name: "Ann", role: .moderator, sittings: [.init(1)]))
        let bob = HearingActor.staff(StaffMember(id: .init(2), email: "bob@example.org", name: "Bob", role: .moderator, sittings: [.init(1)]))
        let time = now
        // Both read "submitted, unclaimed" if their transactions overlapped: each waits a while after its reads.
        let slow: @Sendable () async throws -> Void = { try await Task.sleep(for: .milliseconds(200)) }
        async let first = outcome { try await decide(.moderate(question.id, .approve), by: ann, on: a, at: time, beforeDeciding: slow) }
        async let second = outcome { try await decide(.moderate(question.id, .approve), by: bob, on: b, at: time, beforeDeciding: slow) }
        let outcomes = await [first, second]
        #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1, "one approval wins")
        let conflicts = outcomes.compactMap { outcome -> HearingError? in
            guard case .failure(let error) = outcome else { return nil }
            return error as? HearingError
        }
        #expect(conflicts.map(\.code) == ["question_state_conflict"] && conflicts.first?.kind == .conflict,
                "the other decided on the approved question the winner stored")
        #expect(try await b.questions(in: .init(1)).first?.state == .approved)
        #expect(try await a.moderationLog(of: .init(1)).map(\.action) == ["approve"], "the loser stored nothing")
        #expect(try await a.auditLog(limit: 10).count == 1)

        // Claims: both nodes claim the question at once; one claim stands, the other moderator is told who holds it.
        let other = try await a.insertQuestion(Question(id: .init(1), sittingID: .init(1), participant: "p2", text: "How?", submittedAt: now), log: [])
        async let claimA = outcome { try await decide(.claim(other.id), by: ann, on: a, at: time, beforeDeciding: slow) }
        async let claimB = outcome { try await decide(.claim(other.id), by: bob, on: b, at: time, beforeDeciding: slow) }
        let claims = await [claimA, claimB]
        #expect(claims.filter { (try? $0.get()) != nil }.count == 1, "one claim wins")
        let refused = claims.compactMap { outcome -> HearingError? in
            guard case .failure(let error) = outcome else { return nil }
            return error as? HearingError
        }
        #expect(refused.map(\.code) == ["claimed_by_other"] && refused.first?.kind == .conflict)
        let holder = try await b.claims(in: .init(1), now: time).first { $0.question == other.id }
        let winnerID: StaffMember.ID = (try? claims[0].get()) != nil ? .init(1) : .init(2)
        #expect(holder?.claim.staffID == winnerID, "the stored claim is the winner's")
        try await a.close()
        try await b.close()
    }

    /// The advisory lock is per sitting and spans nodes: while node A holds sitting 1, node B's action on sitting 1
    /// waits for A's commit (and reads what A stored), and B's action on sitting 2 runs meanwhile.
    @Test func aSittingsLockHoldsAcrossNodesAndOnlyForThatSitting() async throws {
        let (a, b, _) = try await twoNodes()
        let question = try await a.insertQuestion(Question(id: .init(1), sittingID: .init(1), participant: "p1", text: "Why?", submittedAt: now), log: [])
        let other = try await a.createSitting(
            Sitting(id: .init(1), title: "Other", committee: "C", state: .scheduled, scheduledStart: now, streamURL: nil), audit: nil)
        let entered = AsyncStream.makeStream(of: Void.self), release = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await a.withSitting(.init(1)) { reads in
                var approved = try #require(try await reads.questions([question.id]).first)
                approved.state = .approved
                var write = HearingWrite()
                write.questions = [approved]
                entered.continuation.yield()
                for await _ in release.stream { break }
                return ((), write)
            }
        }
        for await _ in entered.stream { break }
        // B on sitting 2: not held up.
        let elsewhere = try await b.withSitting(other.id) { reads in (try await reads.sitting()?.title, HearingWrite()) }
        #expect(elsewhere == "Other")
        // B on sitting 1: waits; it must see A's approval once it runs.
        let waiter = Task { try await b.withSitting(.init(1)) { reads in (try await reads.questions([question.id]).first?.state, HearingWrite()) } }
        try await Task.sleep(for: .milliseconds(300))
        release.continuation.yield()
        try await holder.value
        #expect(try await waiter.value == .approved, "B decided on what A committed, not on what it could have read before")
        try await a.close()
        try await b.close()
    }

    @Test func aNewerSchemaIsRefusedBeforeAnythingChanges() async throws {
        let url = try await TestCluster.newDatabase()
        let store = try await PostgresStore.open(url: url, poolSize: 2, connectTimeout: TestCluster.connectTimeout, logger: Logger(label: "test"))
        try await store.migrate()
        #expect(try await store.schemaVersion() == PostgresStore.latestSchemaVersion)
        try await store.inTransaction { db in
            try await db.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', 0)", [.int(PostgresStore.latestSchemaVersion + 1)])
        }
        let error = await #expect(throws: StoreError.self) { try await store.migrate() }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("newer than this server knows") == true)
        try await store.close()
    }

    @Test func migratingTwiceAndTogetherAppliesEachVersionOnce() async throws {
        let url = try await TestCluster.newDatabase()
        let a = try await PostgresStore.open(url: url, poolSize: 2, connectTimeout: TestCluster.connectTimeout, logger: Logger(label: "a"))
        let b = try await PostgresStore.open(url: url, poolSize: 2, connectTimeout: TestCluster.connectTimeout, logger: Logger(label: "b"))
        async let one: Void = a.migrate()
        async let two: Void = b.migrate()
        _ = try await (one, two)
        try await a.migrate()
        let rows = try await a.read("SELECT count(*) AS n FROM schema_migrations")
        #expect(rows.first?.int("n") == PostgresMigrations.all.count)
        try await a.close()
        try await b.close()
    }

    @Test func sessionsCommitDurably() async throws {
        let store = try await TestCluster.openStore(poolSize: 2)
        // The test cluster's default is left as it is: the store sets it for its own sessions.
        #expect(try await store.read("SELECT current_setting('synchronous_commit') AS s").first?.string("s") == "on")
        try await store.close()
    }

    @Test func anUnreachableServerIsAClearError() async throws {
        let url = PostgresURL(user: "nobody", password: "secret-password", host: "127.0.0.1", port: 1, database: "none", tls: .disable)
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(url: url, connectTimeout: .seconds(2), logger: Logger(label: "test"))
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("postgres://nobody@127.0.0.1:1/none") == true)
        #expect(error?.message.contains("secret-password") == false, "the password is never in a message")
    }
}

/// `--database postgres://…` URLs.
@Suite struct PostgresURLTests {
    @Test func aFullURLParses() throws {
        let url = try PostgresURL(parsing: "postgres://hemi%40cycle:p%40ss@db.example:6543/parliament?sslmode=verify-full")
        #expect(url == PostgresURL(user: "hemi@cycle", password: "p@ss", host: "db.example", port: 6543, database: "parliament", tls: .verifyFull))
        #expect(try PostgresURL(parsing: "postgresql://u@h/d").port == 5432)
        #expect(try PostgresURL(parsing: "postgresql://u@h/d").tls == .prefer)
        #expect(try PostgresURL(parsing: "postgres://u@/d?host=/run/postgresql").socketFolder == "/run/postgresql")
        #expect(!url.description.contains("p@ss"), "the description leaves the password out")
    }

    @Test(arguments: [
        "mysql://u@h/d", "postgres://h/d", "postgres://u@h/", "postgres://u@h", "postgres://u@h/d?sslmode=sometimes", "postgres://u@h/d?options=-c",
        "postgres://u@h/d?host=relative", "postgres://u@h:70000/d", "postgres://u@h/d/e", "not a url",
    ])
    func badURLsAreRefused(_ text: String) {
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL(parsing: text) }
    }
}
