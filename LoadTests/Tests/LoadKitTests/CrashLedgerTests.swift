import LoadKit
import Testing

@Suite struct CrashLedgerTests {
    typealias Observed = CrashLedger.ObservedQuestion

    /// A ledger with two signatures, an approved question voted by voter 0, a rejected one, and one still waiting.
    private func ledger() -> CrashLedger {
        var ledger = CrashLedger()
        ledger.signatureAcknowledged(email: "a@example.org", name: "A", count: 1)
        ledger.signatureAcknowledged(email: "b@example.org", name: "B", count: 2)
        ledger.questionAcknowledged(id: 10, text: "ten", state: "submitted")
        ledger.moderationAcknowledged(question: 10, state: "approved")
        ledger.questionAcknowledged(id: 11, text: "eleven", state: "submitted")
        ledger.moderationAcknowledged(question: 11, state: "rejected")
        ledger.questionAcknowledged(id: 12, text: "twelve", state: "submitted")
        ledger.voteAcknowledged(.init(voter: 0, question: 10))
        return ledger
    }

    /// What a server that kept everything shows for `ledger()`.
    private func faithful() -> CrashLedger.Observation {
        .init(
            signatureCount: 2, countedRows: 2,
            questions: [10: Observed(text: "ten", state: "approved", votes: 1), 11: Observed(text: "eleven", state: "rejected", votes: 0),
                        12: Observed(text: "twelve", state: "submitted", votes: 0)],
            logEntries: [10: 1, 11: 1], sittingCounts: ["approved": 1, "rejected": 1, "submitted": 1],
            votedBy: [0: [10], 1: []])
    }

    @Test func everythingThereOnceIsClean() {
        let verdict = ledger().verify(faithful())
        #expect(verdict.isClean, "\(verdict.problems)")
        #expect(ledger().acknowledged == 2 + 3 + 2 + 1)
    }

    @Test func aSignatureMissingFromTheCountIsLost() {
        var seen = faithful()
        seen.signatureCount = 1
        seen.countedRows = 1
        let verdict = ledger().verify(seen)
        #expect(verdict.lost == 1 && verdict.duplicated == 0 && verdict.mismatched == 0)
    }

    @Test func aCountAboveItsRowsIsAMismatchAndACountAboveTheAcknowledgedADuplicate() {
        var seen = faithful()
        seen.signatureCount = 3
        let verdict = ledger().verify(seen)
        #expect(verdict.duplicated == 1 && verdict.mismatched == 1 && verdict.lost == 0)
    }

    @Test func aModerationBackToSubmittedIsLostAndItsLogEntryToo() {
        var seen = faithful()
        seen.questions[11]?.state = "submitted"
        seen.logEntries[11] = nil
        seen.sittingCounts = ["approved": 1, "submitted": 2]
        let verdict = ledger().verify(seen)
        #expect(verdict.lost == 2 && verdict.mismatched == 0, "\(verdict.problems)")
    }

    @Test func aMissingQuestionAndAMissingVoteAreLost() {
        var seen = faithful()
        seen.questions[12] = nil
        seen.sittingCounts["submitted"] = 0
        seen.votedBy[0] = []
        seen.questions[10]?.votes = 0
        let verdict = ledger().verify(seen)
        #expect(verdict.lost == 2 && verdict.mismatched == 0, "\(verdict.problems)")
    }

    @Test func countsUnequalToTheirRowsAreMismatches() {
        var seen = faithful()
        seen.sittingCounts["approved"] = 2
        seen.questions[10]?.votes = 2  // one voter voted it
        let verdict = ledger().verify(seen)
        #expect(verdict.mismatched == 2 && verdict.duplicated == 1 && verdict.lost == 0, "\(verdict.problems)")
    }

    @Test func aDoubledLogEntryIsADuplicate() {
        var seen = faithful()
        seen.logEntries[10] = 2
        #expect(ledger().verify(seen).duplicated == 1)
    }

    @Test func writesInDoubtAreSettledByWhatTheServerShows() {
        var ledger = ledger()
        ledger.questionInDoubt(text: "thirteen")
        ledger.questionInDoubt(text: "never stored")
        ledger.moderationInDoubt(question: 12, state: "approved")
        var seen = faithful()
        seen.questions[13] = Observed(text: "thirteen", state: "submitted", votes: 0)
        seen.questions[12]?.state = "approved"
        seen.logEntries[12] = 1
        seen.sittingCounts = ["approved": 2, "rejected": 1, "submitted": 1]
        let found = ledger.resolve(with: seen)
        #expect(found.isClean)
        #expect(ledger.questions[13] == .init(text: "thirteen", state: "submitted"))
        #expect(ledger.questions[12]?.state == "approved" && ledger.moderated.contains(12))
        #expect(ledger.inDoubt == 0)
        #expect(ledger.verify(seen).isClean, "\(ledger.verify(seen).problems)")
    }

    @Test func anInDoubtModerationNotCommittedKeepsTheEarlierState() {
        var ledger = ledger()
        ledger.moderationInDoubt(question: 12, state: "rejected")
        _ = ledger.resolve(with: faithful())
        #expect(ledger.questions[12]?.state == "submitted" && !ledger.moderated.contains(12))
        #expect(ledger.verify(faithful()).isClean)
    }

    @Test func aQuestionInDoubtStoredTwiceIsADuplicate() {
        var ledger = ledger()
        ledger.questionInDoubt(text: "twice")
        var seen = faithful()
        seen.questions[20] = Observed(text: "twice", state: "submitted", votes: 0)
        seen.questions[21] = Observed(text: "twice", state: "submitted", votes: 0)
        #expect(ledger.resolve(with: seen).duplicated == 1)
    }

    @Test func votersGetEachApprovedQuestionOnceAndSkipTheirVotesInDoubt() {
        var ledger = ledger()
        ledger.questionAcknowledged(id: 30, text: "thirty", state: "submitted")
        ledger.moderationAcknowledged(question: 30, state: "approved")
        ledger.voteInDoubt(.init(voter: 0, question: 30))
        var cursor = 0
        #expect(ledger.nextToVote(voter: 0, cursor: &cursor) == nil)  // 10 voted, 30 in doubt
        cursor = 0
        #expect(ledger.nextToVote(voter: 1, cursor: &cursor) == 10)
        #expect(ledger.nextToVote(voter: 1, cursor: &cursor) == 30)
        #expect(ledger.nextToVote(voter: 1, cursor: &cursor) == nil)
    }

    @Test func signaturesAreRecheckedOnceEach() {
        var ledger = ledger()
        #expect(ledger.takeSignaturesToRecheck().map { $0.email } == ["a@example.org", "b@example.org"])
        ledger.signatureAcknowledged(email: "a@example.org", name: "A", count: nil)  // a 409 on a retry
        #expect(ledger.takeSignaturesToRecheck().isEmpty)
        #expect(ledger.highestCount == 2)
    }
}

@Suite struct ReconnectBackoffTests {
    @Test func followsTheWebClientsRule() {
        let backoff = ReconnectBackoff()  // base 1 s, cap 30 s, as WebClient/js/constants.js
        #expect(backoff.ceilingMs(attempt: 0) == 1_000)
        #expect(backoff.ceilingMs(attempt: 1) == 2_000)
        #expect(backoff.ceilingMs(attempt: 4) == 16_000)
        #expect(backoff.ceilingMs(attempt: 5) == 30_000)
        #expect(backoff.ceilingMs(attempt: 500) == 30_000)
        #expect(backoff.delayMs(attempt: 1, random: 0.5) == 1_000)
        #expect(backoff.delayMs(attempt: 0, random: 0) == 0)
        #expect(backoff.delayMs(attempt: 0, random: 7) == 1_000)
    }
}

@Suite struct SplitMix64Tests {
    @Test func theSameSeedGivesTheSameMoments() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        let first = (0..<5).map { _ in a.nextUnit() }
        #expect(first == (0..<5).map { _ in b.nextUnit() })
        #expect(first.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(Set(first).count == 5)
    }
}
