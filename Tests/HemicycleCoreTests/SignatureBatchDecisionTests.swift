import HemicycleCore
import Testing

/// The batch decision every store writes: refusals, the household rule in batch order, what counts now, thresholds
/// and tallies.
@Suite struct SignatureBatchDecisionTests {
    let now = Timestamp(millisecondsSince1970: 1_000)

    func petition(_ id: Int64, _ state: PetitionState = .open, count: Int = 0, thresholds: [Threshold] = []) -> Petition {
        Petition(id: .init(id), action: "A", background: "B", additionalDetails: "", state: state, signatureCount: count, creatorName: "C",
                 createdAt: Timestamp(millisecondsSince1970: 0), updatedAt: Timestamp(millisecondsSince1970: 0),
                 openedAt: nil, closedAt: nil, closingAt: nil, thresholds: thresholds)
    }

    func item(_ petition: Int64, _ name: String, _ email: String, postcode: String? = nil, country: String? = nil, counts: Bool = true) throws
        -> SignatureBatchDecision.Item
    {
        let signature = try SignatureRequest(name: name, email: email, postcode: postcode, country: country).validated().get()
        return SignatureBatchDecision.Item(petitionID: .init(petition), signature: signature, counts: counts)
    }

    func read(_ petitions: Petition..., names: [String: Set<String>] = [:]) -> [Petition.ID: SignatureBatchDecision.PetitionRead] {
        Dictionary(uniqueKeysWithValues: petitions.map { ($0.id, SignatureBatchDecision.PetitionRead(petition: $0, signedNames: names)) })
    }

    @Test func aMissingOrClosedPetitionRefusesItsSignaturesAndCountsNothing() throws {
        let batch = [try item(1, "Ada", "a@example.org"), try item(2, "Bob", "b@example.org"), try item(3, "Cy", "c@example.org")]
        let decision = SignatureBatchDecision(batch, petitions: read(petition(2, .closed, count: 7), petition(3)), constituencies: [:], now: now)
        #expect(decision.refusals[0] == .notFound)
        #expect(decision.refusals[1] == .notOpen(.closed))
        #expect(decision.refusals[2] == nil, "admitted")
        #expect(decision.admissions.map(\.index) == [2])
        // The closed petition is still in the change list (a store locks and checks every row the outcome rests on),
        // with nothing counted and its count unchanged.
        #expect(decision.petitions.map(\.petitionID) == [.init(2), .init(3)])
        #expect(decision.petitions[0].counted == 0 && decision.petitions[0].newCount == 7)
        #expect(decision.countChanges.map(\.petitionID) == [.init(3)])
    }

    @Test func theHouseholdRuleRunsInBatchOrderOnWhatIsStoredAndWhatTheBatchAdmitted() throws {
        let batch = [
            try item(1, "Charles Babbage", "home@example.org"),  // a second name for an email that signed once: admitted
            try item(1, "Lord Byron", "home@example.org"),  // a third name: refused
            try item(1, "ADA  lovelace", "home@example.org"),  // the stored name again: duplicate
            try item(1, "Mary", "mary@example.org"),
            try item(1, "mary", "mary@example.org"),  // the same name twice in one batch: the second is a duplicate
        ]
        let decision = SignatureBatchDecision(batch, petitions: read(petition(1), names: ["home@example.org": ["ada lovelace"]]), constituencies: [:], now: now)
        #expect(decision.refusals == [nil, .householdLimit, .duplicate, nil, .duplicate])
        #expect(decision.admissions.map(\.index) == [0, 3])
        #expect(decision.petitions.first?.counted == 2)
        #expect(decision.petitions.first?.newCount == 2)
    }

    @Test func onlySignaturesThatCountNowMoveTheCountThresholdsAndTallies() throws {
        let thresholds = [Threshold(name: "response", signatures: 2), Threshold(name: "debate", signatures: 100)]
        let batch = [
            try item(1, "Ada", "a@example.org", postcode: "SW1A 1AA", country: "GB"),
            try item(1, "Bob", "b@example.org", postcode: "sw1a1aa", country: "GB"),
            try item(1, "Cy", "c@example.org", country: "FR", counts: false),  // held or waiting for its confirmation
            try item(1, "Di", "d@example.org", postcode: "ZZ1 1ZZ"),  // a postcode the table does not know, no country
        ]
        let decision = SignatureBatchDecision(batch, petitions: read(petition(1, count: 0, thresholds: thresholds)),
                                              constituencies: ["SW1A1AA": "E1"], now: now)
        #expect(decision.admissions.map(\.constituency) == ["E1", "E1", nil, nil])
        let change = try #require(decision.petitions.first)
        #expect(change.counted == 3)
        #expect(change.newCount == 3)
        #expect(change.crossed == [Threshold(name: "response", signatures: 2, reachedAt: now)], "crossed once, stamped now")
        #expect(change.tallies.entries == [
            TallyDeltas.Entry(country: "", constituency: "", delta: 1),
            TallyDeltas.Entry(country: "GB", constituency: "E1", delta: 2),
        ], "the uncounted French signature is in no tally")
        #expect(decision.outcome(of: batch[0], held: false, signatureID: 10) == .accepted(signatureID: 10, count: 3))
        #expect(decision.outcome(of: batch[2], held: false, signatureID: 12) == .awaitingConfirmation(signatureID: 12))
        #expect(decision.outcome(of: batch[2], held: true, signatureID: 12) == .held(signatureID: 12))
    }

    @Test func aThresholdAlreadyReachedIsNotCrossedAgainAndNothingCountedCrossesNothing() throws {
        let reached = [Threshold(name: "response", signatures: 1, reachedAt: Timestamp(millisecondsSince1970: 5))]
        let counted = SignatureBatchDecision([try item(1, "Ada", "a@example.org")], petitions: read(petition(1, count: 4, thresholds: reached)),
                                             constituencies: [:], now: now)
        #expect(counted.petitions.first?.crossed == [])
        let unreached = [Threshold(name: "response", signatures: 1)]
        let uncounted = SignatureBatchDecision([try item(1, "Ada", "a@example.org", counts: false)],
                                               petitions: read(petition(1, count: 4, thresholds: unreached)), constituencies: [:], now: now)
        #expect(uncounted.petitions.first?.crossed == [], "a count that did not move crosses nothing, even one already past")
        #expect(uncounted.countChanges.isEmpty)
    }

    @Test func tallyDeltasSumPerAreaAndLeaveOutWhatCancels() {
        var deltas = TallyDeltas()
        deltas.add(country: "GB", constituency: "E2", 1)
        deltas.add(country: "GB", constituency: nil, 2)
        deltas.add(country: "GB", constituency: "E2", -1)
        deltas.add(country: nil, constituency: nil, -3)
        #expect(deltas.entries == [
            TallyDeltas.Entry(country: "", constituency: "", delta: -3),
            TallyDeltas.Entry(country: "GB", constituency: "", delta: 2),
        ])
    }
}
