import HemicycleCore
import HemicycleStorage

/// Petitions in the UK Parliament petitions JSON shape (Protocol/… and ../shared/reference/uk-petitions-api.md),
/// key for key, so that existing petition-map clients read Hemicycle unchanged. Signers' data never appears.
enum PetitionJSON {
    /// The public state name: the UK API shows `open`, `closed` and `rejected` only.
    static func publicState(_ state: PetitionState) -> String? {
        switch state {
        case .open: "open"
        case .closed: "closed"
        case .rejected: "rejected"
        default: nil
        }
    }

    /// Whether a petition in this state has live topics (`petition:{id}`, `petition:{id}:areas`): open and closed
    /// ones. A rejected or hidden petition's topics end (`PetitionLifecycle.reflect`): its text was not, or is no
    /// longer, for live display.
    static func isLive(_ state: PetitionState) -> Bool { state == .open || state == .closed }

    static func time(_ t: Timestamp?) -> JSONValue { t.map { .string($0.iso8601) } ?? .null }

    /// `GET /petitions/{id}.json`.
    /// - Parameter areas: the `signatures_by_*` arrays (empty when nil).
    static func document(_ petition: Petition, baseURL: String, areas: (countries: JSONValue, constituencies: JSONValue, regions: JSONValue)? = nil) -> JSONValue {
        var attributes = attributes(petition)
        if let areas {
            attributes = attributes.setting("signatures_by_country", to: areas.countries).setting("signatures_by_constituency", to: areas.constituencies)
                .setting("signatures_by_region", to: areas.regions)
        }
        return .object([
            ("links", .object([("self", .string("\(baseURL)/petitions/\(petition.id).json"))])),
            ("data", .object([("type", "petition"), ("id", .int(petition.id.rawValue)), ("attributes", attributes)])),
        ])
    }

    /// The attributes of a petition in the list (`/petitions.json`): the same without the per-area counts.
    static func listAttributes(_ p: Petition) -> JSONValue {
        let drop: Set<String> = ["signatures_by_country", "signatures_by_constituency", "signatures_by_region", "other_parliamentary_business"]
        return .object((attributes(p).objectValue ?? []).filter { !drop.contains($0.0) })
    }

    /// `GET /petitions/{id}/count.json`, as the UK site shapes it.
    static func count(_ p: Petition) -> JSONValue {
        .object([
            ("signature_count", .int(Int64(p.signatureCount))),
            ("response_threshold_reached_at", time(p.thresholds.first { $0.name == "response" }?.reachedAt)),
            ("government_response_at", time(p.governmentResponse?.createdAt)),
            ("debate_threshold_reached_at", time(p.thresholds.first { $0.name == "debate" }?.reachedAt)),
            ("scheduled_debate_date", .null), ("debate_outcome_at", .null), ("debated", .bool(p.debate != nil)),
        ])
    }

    /// The store query of a public `state` filter of `/petitions.json` (the UK site's values), or nil for an unknown
    /// one. Every answer is among the public states: drafts are never read for open data.
    static func query(filter: String, now: Timestamp) -> PetitionQuery? {
        let live: Set<PetitionState> = [.open, .closed]
        switch filter {
        case "all": return PetitionQuery(states: PetitionQuery.publicStates)
        case "open": return PetitionQuery(states: [.open])
        case "closed": return PetitionQuery(states: [.closed])
        case "rejected": return PetitionQuery(states: [.rejected])
        case "recent": return PetitionQuery(states: [.open], openedSince: now.adding(days: -7))
        case "awaiting_response": return PetitionQuery(states: live, reached: .response, hasGovernmentResponse: false)
        case "with_response": return PetitionQuery(states: PetitionQuery.publicStates, hasGovernmentResponse: true)
        case "awaiting_debate": return PetitionQuery(states: live, reached: .debate, hasDebate: false)
        case "debated": return PetitionQuery(states: PetitionQuery.publicStates, hasDebate: true)
        case "not_debated": return PetitionQuery(states: [])  // a "not debated" outcome is not recorded yet
        default: return nil
        }
    }

    static let stateFilters = ["all", "open", "recent", "closed", "rejected", "awaiting_response", "with_response", "awaiting_debate", "debated", "not_debated"]

    static func attributes(_ p: Petition) -> JSONValue {
        let state = publicState(p.state) ?? "open"
        let reached = { (name: String) in time(p.thresholds.first { $0.name == name }?.reachedAt) }
        var pairs: [(String, JSONValue)] = [
            ("action", .string(p.action)), ("background", .string(p.background)),
            ("additional_details", .string(p.additionalDetails)), ("committee_note", .null),
            ("state", .string(state)), ("signature_count", .int(Int64(p.signatureCount))),
        ]
        if p.state == .open { pairs.append(("closing_date", p.closingAt.map { .string($0.date) } ?? .null)) }
        let response = p.governmentResponse, debate = p.debate
        pairs += [
            ("created_at", time(p.createdAt)), ("updated_at", time(p.updatedAt)), ("rejected_at", time(p.rejectedAt)),
            ("opened_at", time(p.openedAt)), ("closed_at", time(p.closedAt)),
            ("moderation_threshold_reached_at", time(p.moderationThresholdReachedAt ?? p.openedAt)),
            ("response_threshold_reached_at", reached("response")),
            ("government_response_at", time(response?.createdAt)), ("debate_threshold_reached_at", reached("debate")),
            ("debate_scheduled_on", .null), ("scheduled_debate_date", .null), ("debate_outcome_at", .null),
            ("creator_name", p.state == .open ? (p.creatorName.map { .string($0) } ?? .null) : .null),
            ("rejection", p.rejection.map { r in
                .object([("code", .string(r.code)), ("details", r.details.map { .string($0) } ?? .null)])
            } ?? .null),
            ("government_response", response.map { r in
                .object([
                    ("responded_on", .string(r.respondedOn)), ("summary", .string(r.summary)), ("details", .string(r.details)),
                    ("created_at", time(r.createdAt)), ("updated_at", time(r.updatedAt)),
                ])
            } ?? .null),
            ("debate", debate.map { d in
                .object([
                    ("debated_on", .string(d.debatedOn)), ("transcript_url", d.transcriptURL.map { .string($0) } ?? .null),
                    ("video_url", d.videoURL.map { .string($0) } ?? .null), ("debate_pack_url", .null), ("public_engagement_url", .null),
                    ("debate_summary_url", .null), ("overview", d.overview.map { .string($0) } ?? .null),
                ])
            } ?? .null),
            ("departments", .array([])), ("topics", .array([])),
            ("signatures_by_country", .array([])), ("signatures_by_constituency", .array([])),
            ("signatures_by_region", .array([])), ("other_parliamentary_business", .array([])),
        ]
        return .object(pairs)
    }

    /// The live `state` event (Protocol/PROTOCOL.md §6.1): the new state and the stamps that go with it.
    static func stateEvent(_ p: Petition) -> JSONValue {
        .object([
            ("id", .int(p.id.rawValue)), ("state", .string(p.state.rawValue)), ("opened_at", time(p.openedAt)), ("closed_at", time(p.closedAt)),
            ("rejected_at", time(p.rejectedAt)),
            ("rejection", p.rejection.map { r in .object([("code", .string(r.code)), ("details", r.details.map { .string($0) } ?? .null)]) } ?? .null),
        ])
    }

    /// The live topic's snapshot data (Protocol/PROTOCOL.md, topic `petition:{id}`).
    static func liveSnapshot(_ p: Petition) -> JSONValue {
        .object([
            ("id", .int(p.id.rawValue)), ("action", .string(p.action)), ("state", .string(p.state.rawValue)),
            ("signature_count", .int(Int64(p.signatureCount))),
            ("thresholds", .array(p.thresholds.map {
                .object([("name", .string($0.name)), ("signatures", .int(Int64($0.signatures))), ("reached_at", time($0.reachedAt))])
            })),
        ])
    }
}
