public import HemicycleCore

/// What a fresh install shows: one open petition and one scheduled sitting.
public struct DemoContent: Sendable {
    public var petition: Petition
    public var sitting: Sitting

    public init(petition: Petition, sitting: Sitting) {
        self.petition = petition
        self.sitting = sitting
    }

    /// The default demo, opened at `now`, closing after six months, thresholds as configured.
    public static func standard(now: Timestamp, responseThreshold: Int = 10_000, debateThreshold: Int = 100_000) -> DemoContent {
        DemoContent(
            petition: Petition(
                id: Petition.ID(1),
                action: "Publish live signature counts for every petition",
                background: "Petition counts should move as people sign, not once a minute, so that everyone can see "
                    + "how much support an issue has at the moment it matters.",
                additionalDetails: "This is the demonstration petition of a new Hemicycle installation. Sign it to "
                    + "watch the count move live on every open page.",
                state: .open, signatureCount: 0, creatorName: "Hemicycle demo", createdAt: now, updatedAt: now,
                openedAt: now, closedAt: nil, closingAt: now.adding(days: 182),
                thresholds: [
                    Threshold(name: "response", signatures: responseThreshold),
                    Threshold(name: "debate", signatures: debateThreshold),
                ]
            ),
            sitting: Sitting(
                id: Sitting.ID(1), title: "Public hearing: citizens' participation in the legislative process",
                committee: "Committee on Digital Democracy", state: .scheduled,
                scheduledStart: now.adding(days: 1), streamURL: nil
            )
        )
    }
}
