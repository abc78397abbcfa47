import HemicycleCore
import HemicycleHub
import HemicycleStorage

/// Keeps the hub's petition and sitting topics in step with the store: declares them at start, and after each
/// committed signature batch publishes the new count (conflated) and any threshold reached (never dropped).
struct LivePetitions: Sendable {
    let hub: any LiveBroker
    let store: any HemicycleStore
    let areas: LiveAreas

    /// Declares the topics of every open or closed petition (sittings are `HearingService`'s), read a page at a time by
    /// state: drafts are never read, and rejected or hidden petitions have left /live.
    func declareAll() async throws {
        var query = PetitionQuery(states: [.open, .closed], order: .oldest)
        while true {
            let page = try await store.petitions(query, limit: PetitionQuery.maxLimit, offset: 0)
            for petition in page {
                await hub.declare(petition.topic, snapshot: PetitionJSON.liveSnapshot(petition))
                try await areas.declare(petition.id)
            }
            guard page.count == PetitionQuery.maxLimit, let last = page.last else { return }
            query.idAbove = last.id
        }
    }

    /// Several nodes, after this one listened again following a loss of the database: each petition's stored count
    /// that differs from the one its topic holds is published again (through the broker, so every node sends it), for
    /// a count committed whose event never reached the shared log. Returns the petitions whose count differed.
    @discardableResult
    func caughtUp() async -> [Petition.ID] {
        var differed: [Petition.ID] = []
        var query = PetitionQuery(states: [.open, .closed], order: .oldest)
        while let page = try? await store.petitions(query, limit: PetitionQuery.maxLimit, offset: 0) {
            for petition in page {
                let held = await hub.state(of: petition.topic)?.data["signature_count"]?.intValue
                guard let held, held != Int64(petition.signatureCount) else { continue }
                differed.append(petition.id)
                await hub.publish(petition.topic, event: "count", data: .object([("signature_count", .int(Int64(petition.signatureCount)))]),
                                  delivery: .conflated)
            }
            guard page.count == PetitionQuery.maxLimit, let last = page.last else { return differed }
            query.idAbove = last.id
        }
        return differed
    }

    /// Publishes one batch's changes, in commit order (the committer awaits this before answering its callers).
    /// Thresholds are published from the batch result itself (no store read that could fail and lose them).
    func published(_ result: SignatureBatchResult) async {
        await areas.changed(result.changes.map(\.petitionID))
        for change in result.changes {
            let topic = Topic.petition(change.petitionID)
            let count: JSONValue = .object([("signature_count", .int(Int64(change.signatureCount)))])
            if !change.thresholdsReached.isEmpty {
                let current = await hub.state(of: topic)?.data["thresholds"]?.arrayValue ?? []
                let updated: [JSONValue] = current.map { entry in
                    guard let name = entry["name"]?.stringValue,
                        let reached = change.thresholdsReached.first(where: { $0.name == name })
                    else { return entry }
                    return entry.setting("reached_at", to: PetitionJSON.time(reached.reachedAt))
                }
                let patch = count.setting("thresholds", to: .array(updated))
                for threshold in change.thresholdsReached {
                    let data: JSONValue = .object([
                        ("name", .string(threshold.name)), ("signatures", .int(Int64(threshold.signatures))),
                        ("reached_at", PetitionJSON.time(threshold.reachedAt)), ("signature_count", .int(Int64(change.signatureCount))),
                    ])
                    await hub.publish(topic, event: "threshold", data: data, delivery: .reliable, snapshotPatch: patch)
                }
            }
            await hub.publish(topic, event: "count", data: count, delivery: .conflated)
        }
    }
}
