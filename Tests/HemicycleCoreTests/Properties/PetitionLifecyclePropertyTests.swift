import HemicycleCore
import PropertyBased
import Testing

/// Random sequences of lifecycle actions and signatures on one petition (issue 17): a refused action changes
/// nothing, a final state is final, the count never goes backwards, and each threshold is reached once, when the count
/// reaches it.
@Suite struct PetitionLifecyclePropertyTests {
    static let actions: [PetitionAction] = [
        .creatorConfirmed, .sponsorsReached, .publish(days: 30), .reject(PetitionRejection(code: "duplicate")), .hide,
        .flag, .close, .abandon,
    ]

    static let allowed: [PetitionState: Set<PetitionState>] = [
        .pending: [.validated, .abandoned], .validated: [.sponsored, .abandoned],
        .sponsored: [.open, .rejected, .hidden, .flagged], .flagged: [.open, .rejected, .hidden],
        .open: [.rejected, .hidden, .closed],
    ]

    static func fresh() -> Petition {
        Petition(id: .init(1), action: "A", background: "B", additionalDetails: "", state: .pending, signatureCount: 0,
                 creatorName: "C", createdAt: Timestamp(millisecondsSince1970: 0), updatedAt: Timestamp(millisecondsSince1970: 0),
                 openedAt: nil, closedAt: nil, closingAt: nil,
                 thresholds: [Threshold(name: "response", signatures: 10), Threshold(name: "debate", signatures: 40)])
    }

    @Test func randomLifecyclesKeepTheirInvariants() async {
        // Each number: below 8 an action, else a batch of (n - 7) signatures counted while the petition is open.
        var ended: Set<PetitionState> = [], thresholdsReached = 0
        await propertyCheck(count: 300, input: Gen.int(in: 0...14).array(of: 0...60)) { steps in
            var petition = Self.fresh()
            var now = Timestamp(millisecondsSince1970: 0)
            var reached: [String: Int] = [:]
            for step in steps {
                now = Timestamp(millisecondsSince1970: now.millisecondsSince1970 + 60_000)
                if step >= 8 {
                    guard petition.state.acceptsSignatures else { continue }
                    let before = petition.signatureCount
                    let count = before + (step - 7)
                    for threshold in petition.thresholdsCrossed(by: count, at: now) {
                        reached[threshold.name, default: 0] += 1
                        thresholdsReached += 1
                        #expect(count >= threshold.signatures && before < threshold.signatures,
                                "\(threshold.name) is reached by the signature that crosses it")
                        if let i = petition.thresholds.firstIndex(where: { $0.name == threshold.name }) {
                            petition.thresholds[i] = threshold
                        }
                    }
                    petition.signatureCount = count
                    #expect(petition.signatureCount > before, "the count never goes backwards")
                    continue
                }
                let action = Self.actions[step]
                let before = petition
                do {
                    try petition.apply(action, at: now)
                } catch {
                    #expect(petition == before, "a refused \(action.name) changes nothing in \(before.state)")
                    continue
                }
                #expect(!before.state.isFinal, "a final state (\(before.state)) accepted \(action.name)")
                #expect(Self.allowed[before.state]?.contains(petition.state) == true,
                        "\(before.state) -> \(petition.state) by \(action.name) is not a documented transition")
                #expect(petition.signatureCount == before.signatureCount, "a lifecycle action changes no count")
                #expect(petition.thresholds == before.thresholds, "a lifecycle action reaches no threshold")
                #expect((petition.endedAt != nil) == petition.state.isFinal, "an ended petition says when it ended")
                #expect(petition.updatedAt >= before.updatedAt)
                if petition.state.isFinal { ended.insert(petition.state) }
            }
            #expect(reached.values.allSatisfy { $0 == 1 }, "each threshold is reached at most once: \(reached)")
        }
        // Only what every batch of 300 sequences reaches (an abandoned draft is a few steps away); a closed petition
        // needs a long chain of steps and is not reached by every batch.
        #expect(!ended.isEmpty, "the sequences reached a final state (\(ended); thresholds reached \(thresholdsReached))")
    }
}
