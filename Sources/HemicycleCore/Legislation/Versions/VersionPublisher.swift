/// Publishing a bill's versions, as one pure step over the stored versions and comments: version 1 is simply
/// published; version n + 1 is matched to version n (`ProvisionMatcher`), takes its keys (`ProvisionMatching.keyedTree`,
/// reserving every key an earlier version used), is published, version n is superseded, and every comment and the
/// marker are carried to it (`BillCommentBoard.carryForward`). Either all of it happens or nothing does.
public enum VersionPublisher {
    /// The matching of a draft `draft` against the published version `current`, with keys carried forward: what the
    /// clerk previews (matched, renumbered, moved, added, deleted, uncertain).
    public static func matching(current: BillVersion, draft: BillVersion) -> ProvisionMatching {
        ProvisionMatcher.match(old: current.provisions, new: draft.provisions)
    }

    /// Publishes the newest version of `versions`, a draft, at `now`. With a published version before it, the
    /// matching must be settled (`ProvisionMatching.isSettled`) unless `acceptUncertain`; comments are then carried.
    /// - Returns: the board's effects (carried comments, counts, the marker) and the matching (nil for version 1).
    public static func publishLatest(
        versions: inout [BillVersion], board: inout BillCommentBoard, acceptUncertain: Bool, at now: Timestamp
    ) throws(VersionPublishError) -> (effects: [BillCommentEffect], matching: ProvisionMatching?) {
        guard var draft = versions.last else { throw .noDraft }
        guard draft.state == .draft else { throw .noDraft }
        guard let currentIndex = versions.lastIndex(where: { $0.state == .published }) else {
            do { try draft.publish(at: now) } catch { throw .version(error) }
            versions[versions.count - 1] = draft
            return ([], nil)
        }
        var current = versions[currentIndex]
        let matching = Self.matching(current: current, draft: draft)
        guard matching.isSettled || acceptUncertain else { throw .uncertainMatches(matching.uncertain.count) }
        let reserved = Set(versions.dropLast().flatMap { $0.provisions.provisions.map(\.key) })
        let keyed = matching.keyedTree(reserving: reserved, version: draft.number)
        let document = draft.document
        do {
            try draft.replace(BillDocument(title: document.title, longTitle: document.longTitle, preamble: document.preamble, provisions: keyed))
            try draft.publish(at: now)
            try current.supersede()
        } catch {
            throw .version(error)
        }
        versions[currentIndex] = current
        versions[versions.count - 1] = draft
        let effects = board.carryForward(matching: matching, into: keyed, version: draft.number)
        return (effects, matching)
    }
}

/// Why a version could not be published. Nothing changes when one is thrown.
public enum VersionPublishError: Error, Sendable, Equatable {
    /// The newest version is not a draft.
    case noDraft
    /// The clerk has not confirmed this many uncertain matches.
    case uncertainMatches(Int)
    case version(BillVersionError)

    public var code: String {
        switch self {
        case .noDraft: "no_draft"
        case .uncertainMatches: "uncertain_matches"
        case .version(let error): error.code
        }
    }

    public var message: String {
        switch self {
        case .noDraft: "There is no draft version to publish."
        case .uncertainMatches(let n): "\(n) provisions are matched to the previous version with uncertainty; confirm them first."
        case .version(let error): error.message
        }
    }
}
