/// What the `crash` scenario's writers were told by the server, and the checks after each restart.
///
/// A write is **acknowledged** when its success answer arrived (201 for a signature or a question, 200 for a
/// moderation action or a vote). A request whose answer never came (the server died under it) is **in doubt**: it
/// may or may not have been committed, so the checks accept either, but never twice. After a restart, in-doubt
/// signatures and votes are sent again (201/200: it had not been stored; 409 `duplicate_signature`/`already_voted`:
/// it had) and so become acknowledged; in-doubt questions and moderation actions are looked up in what the restarted
/// server shows (`resolve`). Then `verify` compares everything acknowledged since the first start with what the server
/// shows: every acknowledged write must be there exactly once, and counts must equal their rows.
public struct CrashLedger: Sendable {
    /// A question this run asked, as acknowledged: its text and its last acknowledged state.
    public struct Question: Sendable, Equatable {
        public var text: String
        public var state: String

        public init(text: String, state: String) {
            self.text = text
            self.state = state
        }
    }

    /// One participant's vote on one question (voters are numbered by the scenario).
    public struct Vote: Hashable, Sendable {
        public var voter: Int
        public var question: Int64

        public init(voter: Int, question: Int64) {
            self.voter = voter
            self.question = question
        }
    }

    /// email → name.
    public private(set) var signatures: [String: String] = [:]
    public private(set) var signaturesInDoubt: [String: String] = [:]
    /// Acknowledged since the last one-by-one check (each is signed again and must be refused as a duplicate).
    public private(set) var signaturesToRecheck: [(email: String, name: String)] = []
    /// The highest `signature_count` a 201 carried.
    public private(set) var highestCount: Int64 = -1
    public private(set) var questions: [Int64: Question] = [:]
    /// Texts of questions whose submission is in doubt.
    public private(set) var questionsInDoubt: Set<String> = []
    /// question → the state its moderation action in doubt would give it.
    public private(set) var statesInDoubt: [Int64: String] = [:]
    /// Questions with an acknowledged moderation action (one action per question in this scenario: one log entry).
    public private(set) var moderated: Set<Int64> = []
    /// Approved questions in the order their approval was acknowledged (what voters vote on).
    public private(set) var approvedOrder: [Int64] = []
    public private(set) var votes: Set<Vote> = []
    public private(set) var votesInDoubt: Set<Vote> = []

    public init() {}

    /// Acknowledged writes so far: signatures, questions, moderation actions and votes.
    public var acknowledged: Int { signatures.count + questions.count + moderated.count + votes.count }
    public var inDoubt: Int { signaturesInDoubt.count + questionsInDoubt.count + statesInDoubt.count + votesInDoubt.count }

    // MARK: - What the writers were told

    public mutating func signatureAcknowledged(email: String, name: String, count: Int64?) {
        signaturesInDoubt[email] = nil
        if signatures.updateValue(name, forKey: email) == nil { signaturesToRecheck.append((email, name)) }
        if let count { highestCount = max(highestCount, count) }
    }

    public mutating func signatureInDoubt(email: String, name: String) {
        signaturesInDoubt[email] = name
    }

    /// Hands over the signatures to check one by one, and forgets them (each is checked once).
    public mutating func takeSignaturesToRecheck() -> [(email: String, name: String)] {
        defer { signaturesToRecheck = [] }
        return signaturesToRecheck
    }

    public mutating func takeSignaturesInDoubt() -> [(email: String, name: String)] {
        defer { signaturesInDoubt = [:] }
        return signaturesInDoubt.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public mutating func questionAcknowledged(id: Int64, text: String, state: String) {
        questions[id] = Question(text: text, state: state)
        if state == "approved" { approvedOrder.append(id) }
    }

    public mutating func questionInDoubt(text: String) {
        questionsInDoubt.insert(text)
    }

    public mutating func moderationAcknowledged(question: Int64, state: String) {
        statesInDoubt[question] = nil
        questions[question]?.state = state
        moderated.insert(question)
        if state == "approved" { approvedOrder.append(question) }
    }

    public mutating func moderationInDoubt(question: Int64, state: String) {
        statesInDoubt[question] = state
    }

    public mutating func voteAcknowledged(_ vote: Vote) {
        votesInDoubt.remove(vote)
        votes.insert(vote)
    }

    public mutating func voteInDoubt(_ vote: Vote) {
        votesInDoubt.insert(vote)
    }

    public mutating func takeVotesInDoubt() -> [Vote] {
        defer { votesInDoubt = [] }
        return votesInDoubt.sorted { ($0.voter, $0.question) < ($1.voter, $1.question) }
    }

    /// The next approved question `voter` has not voted on, from position `cursor` of the approval order (advanced).
    public func nextToVote(voter: Int, cursor: inout Int) -> Int64? {
        while cursor < approvedOrder.count {
            let question = approvedOrder[cursor]
            cursor += 1
            let vote = Vote(voter: voter, question: question)
            if !votes.contains(vote) && !votesInDoubt.contains(vote) { return question }
        }
        return nil
    }

    // MARK: - After a restart

    /// What the restarted server shows, read through its public views and open data (and the moderator's list).
    public struct Observation: Sendable {
        /// `GET /petitions/{id}/count.json`: `signature_count`.
        public var signatureCount: Int64
        /// `GET /petitions/{id}/integrity.json`: `now.counted`, the signature rows that count.
        public var countedRows: Int64
        /// `GET /api/v1/sittings/{id}/questions` as the sitting's moderator: every question, in every state.
        public var questions: [Int64: ObservedQuestion]
        /// `GET /sittings/{id}/moderation-log.json`: entries per question.
        public var logEntries: [Int64: Int]
        /// `GET /api/v1/sittings/{id}`: `counts`, questions per state.
        public var sittingCounts: [String: Int]
        /// Each voter's `GET /api/v1/sittings/{id}/questions`: the questions it shows `voted: true` on.
        public var votedBy: [Int: Set<Int64>]

        public init(
            signatureCount: Int64, countedRows: Int64, questions: [Int64: ObservedQuestion], logEntries: [Int64: Int],
            sittingCounts: [String: Int], votedBy: [Int: Set<Int64>]
        ) {
            self.signatureCount = signatureCount
            self.countedRows = countedRows
            self.questions = questions
            self.logEntries = logEntries
            self.sittingCounts = sittingCounts
            self.votedBy = votedBy
        }
    }

    public struct ObservedQuestion: Sendable, Equatable {
        public var text: String
        public var state: String
        public var votes: Int

        public init(text: String, state: String, votes: Int) {
            self.text = text
            self.state = state
            self.votes = votes
        }
    }

    /// What the checks found.
    public struct Verdict: Sendable, Equatable {
        /// Acknowledged writes missing (or showing an earlier state): the target is 0.
        public var lost = 0
        /// Writes there more than once (a count above its acknowledged writes, a question or log entry twice).
        public var duplicated = 0
        /// Counts that do not equal their rows (count.json against the counted rows, a sitting's per-state counts
        /// against its questions, a question's votes against the voters who voted it).
        public var mismatched = 0
        /// What each finding was, for the report (at most 20).
        public var problems: [String] = []

        public init() {}

        public var isClean: Bool { lost == 0 && duplicated == 0 && mismatched == 0 }

        mutating func note(_ problem: String) {
            if problems.count < 20 { problems.append(problem) }
        }

        public mutating func add(_ other: Verdict) {
            lost += other.lost
            duplicated += other.duplicated
            mismatched += other.mismatched
            for problem in other.problems { note(problem) }
        }
    }

    /// Settles the questions and moderation actions in doubt from what the server shows: a question in doubt found
    /// once becomes acknowledged (found twice, it was stored twice: a duplicate); a moderation action in doubt whose
    /// state shows was committed. Returns the duplicates found.
    public mutating func resolve(with observation: Observation) -> Verdict {
        var verdict = Verdict()
        if !questionsInDoubt.isEmpty {
            var byText: [String: [Int64]] = [:]
            for (id, question) in observation.questions where questionsInDoubt.contains(question.text) {
                byText[question.text, default: []].append(id)
            }
            for text in questionsInDoubt {
                let ids = byText[text] ?? []
                if ids.count > 1 {
                    verdict.duplicated += ids.count - 1
                    verdict.note("a question in doubt was stored \(ids.count) times: \(ids.sorted())")
                }
                if let id = ids.min(), let seen = observation.questions[id] {
                    questions[id] = Question(text: text, state: seen.state)
                    if seen.state != "submitted" { moderated.insert(id) }
                    if seen.state == "approved" { approvedOrder.append(id) }
                }
            }
            questionsInDoubt = []
        }
        for (id, state) in statesInDoubt where observation.questions[id]?.state == state {
            moderationAcknowledged(question: id, state: state)
        }
        statesInDoubt = [:]
        return verdict
    }

    /// Everything acknowledged since the first start against what the server shows now (in doubt settled first).
    public func verify(_ observation: Observation) -> Verdict {
        var verdict = Verdict()
        // Signatures: counted once each, and the count is its rows.
        let acknowledgedSignatures = Int64(signatures.count)
        if observation.signatureCount < acknowledgedSignatures {
            verdict.lost += Int(acknowledgedSignatures - observation.signatureCount)
            verdict.note("count.json \(observation.signatureCount) < \(acknowledgedSignatures) acknowledged signatures")
        } else if observation.signatureCount > acknowledgedSignatures {
            verdict.duplicated += Int(observation.signatureCount - acknowledgedSignatures)
            verdict.note("count.json \(observation.signatureCount) > \(acknowledgedSignatures) acknowledged signatures")
        }
        if observation.countedRows != observation.signatureCount {
            verdict.mismatched += 1
            verdict.note("count.json \(observation.signatureCount) but \(observation.countedRows) counted rows")
        }
        // Questions: each there with its text and its last acknowledged state; ours never twice.
        var ours: [String: Int] = [:]
        for (_, seen) in observation.questions { ours[seen.text, default: 0] += 1 }
        for (id, question) in questions.sorted(by: { $0.key < $1.key }) {
            guard let seen = observation.questions[id] else {
                verdict.lost += 1
                verdict.note("question \(id) is missing")
                continue
            }
            if seen.text != question.text {
                verdict.lost += 1
                verdict.note("question \(id) has another text")
            } else if seen.state != question.state {
                verdict.lost += 1
                verdict.note("question \(id) is \(seen.state), acknowledged \(question.state)")
            }
            if let times = ours[question.text], times > 1 {
                verdict.duplicated += times - 1
                verdict.note("question \(id)'s text is stored \(times) times")
            }
            // One moderation action per question here: one entry in the public log, or none before it.
            let entries = observation.logEntries[id] ?? 0
            let expected = moderated.contains(id) ? 1 : 0
            if entries < expected {
                verdict.lost += 1
                verdict.note("question \(id): its moderation is not in the public log")
            } else if entries > expected {
                verdict.duplicated += entries - expected
                verdict.note("question \(id): \(entries) log entries, \(expected) acknowledged")
            }
        }
        // The sitting's per-state counts are its questions.
        var tallies: [String: Int] = [:]
        for (_, seen) in observation.questions { tallies[seen.state, default: 0] += 1 }
        for state in Set(tallies.keys).union(observation.sittingCounts.keys).sorted() {
            let counted = observation.sittingCounts[state] ?? 0, rows = tallies[state] ?? 0
            if counted != rows {
                verdict.mismatched += 1
                verdict.note("the sitting counts \(counted) \(state), its questions \(rows)")
            }
        }
        // Votes: each acknowledged one there; a question's votes are the voters who voted it, and no more than were
        // acknowledged.
        var acknowledgedOn: [Int64: Int] = [:]
        for vote in votes {
            acknowledgedOn[vote.question, default: 0] += 1
            if observation.votedBy[vote.voter]?.contains(vote.question) != true {
                verdict.lost += 1
                verdict.note("voter \(vote.voter)'s vote on question \(vote.question) is missing")
            }
        }
        var votersOn: [Int64: Int] = [:]
        for (_, voted) in observation.votedBy { for question in voted { votersOn[question, default: 0] += 1 } }
        for id in questions.keys.sorted() {
            guard let seen = observation.questions[id] else { continue }
            if seen.votes != votersOn[id] ?? 0 {
                verdict.mismatched += 1
                verdict.note("question \(id) counts \(seen.votes) votes, \(votersOn[id] ?? 0) voters voted it")
            }
            let acknowledged = acknowledgedOn[id] ?? 0
            if seen.votes > acknowledged {
                verdict.duplicated += seen.votes - acknowledged
                verdict.note("question \(id) counts \(seen.votes) votes, \(acknowledged) acknowledged")
            }
        }
        return verdict
    }
}
