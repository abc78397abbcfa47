/// How the provisions of version n + 1 relate to those of version n: the matches (`ProvisionMatch`), what was deleted
/// and what was added. Made by `ProvisionMatcher.match`, settled by the clerk (`confirm`, `reject`, `pair`), then used
/// to carry keys (`keyedTree`) and comments (`AnchorCarrier`) forward.
///
/// Invariants: an old provision has at most one primary match (key, eId, similarity, clerk) and a new provision at
/// most one; split parts (one old, several new) and merges (several old, one new) come on top of primary matches.
///
/// Publishing version n + 1, in order: match the imported draft against version n; let the clerk settle every
/// uncertain match; `keyedTree(reserving: keys of every earlier version, version: n + 1)` and replace the draft's
/// provisions with it; publish the draft and supersede version n; `BillCommentBoard.carryForward` with the keyed tree.
public struct ProvisionMatching: Sendable, Equatable {
    public let old: ProvisionTree
    public let new: ProvisionTree
    /// Every match, in the new version's document order (then the old one's).
    public private(set) var matches: [ProvisionMatch]

    /// Builds a matching from `matches` (flags are recomputed); used by `ProvisionMatcher` and to restore a stored one.
    public init(old: ProvisionTree, new: ProvisionTree, matches: [ProvisionMatch]) {
        self.old = old
        self.new = new
        self.matches = matches
        refresh()
    }

    /// Old provisions with no match at all, in document order.
    public var deleted: [EId] {
        let matched = Set(matches.map(\.old))
        return old.provisions.map(\.eId).filter { !matched.contains($0) }
    }

    /// New provisions with no match at all, in document order.
    public var added: [EId] {
        let matched = Set(matches.map(\.new))
        return new.provisions.map(\.eId).filter { !matched.contains($0) }
    }

    /// The matches the clerk still has to confirm or reject.
    public var uncertain: [ProvisionMatch] { matches.filter { $0.certainty == .uncertain } }

    /// Whether no match is left uncertain (the version can be published).
    public var isSettled: Bool { uncertain.isEmpty }

    /// The primary match of old provision `eId`.
    public func primary(forOld eId: EId) -> ProvisionMatch? {
        matches.first { $0.old == eId && $0.isPrimary }
    }

    /// The primary match of new provision `eId`.
    public func primary(forNew eId: EId) -> ProvisionMatch? {
        matches.first { $0.new == eId && $0.isPrimary }
    }

    /// Where old provision `eId` went, most likely first: its primary match, then the parts it was split into, then
    /// the provision it was merged into. Empty when it was deleted.
    public func targets(forOld eId: EId) -> [EId] {
        let mine = matches.filter { $0.old == eId }
        return mine.filter(\.isPrimary).map(\.new) + mine.filter { $0.basis == .split }.map(\.new)
            + mine.filter { $0.basis == .merge }.map(\.new)
    }

    /// Confirms an uncertain match.
    public mutating func confirm(old oldEId: EId, new newEId: EId) throws(VersionMatchError) {
        guard let index = matches.firstIndex(where: { $0.old == oldEId && $0.new == newEId }) else {
            throw .noSuchMatch(old: oldEId, new: newEId)
        }
        matches[index].certainty = .certain
    }

    /// Removes a match (the clerk says these are not the same provision): the two become deleted and added unless
    /// other matches hold them.
    public mutating func reject(old oldEId: EId, new newEId: EId) throws(VersionMatchError) {
        guard let index = matches.firstIndex(where: { $0.old == oldEId && $0.new == newEId }) else {
            throw .noSuchMatch(old: oldEId, new: newEId)
        }
        matches.remove(at: index)
        refresh()
    }

    /// Pairs two provisions the matcher left apart (the clerk knows better); both must be without a primary match.
    public mutating func pair(old oldEId: EId, new newEId: EId) throws(VersionMatchError) {
        guard let oldProvision = old[oldEId] else { throw .unknownProvision(oldEId) }
        guard new[newEId] != nil else { throw .unknownProvision(newEId) }
        guard primary(forOld: oldEId) == nil else { throw .alreadyMatched(oldEId) }
        guard primary(forNew: newEId) == nil else { throw .alreadyMatched(newEId) }
        let score = TextSimilarity.similarity(WordBag(old.subtreeText(of: oldEId)), WordBag(new.subtreeText(of: newEId)))
        matches.append(ProvisionMatch(old: oldEId, oldKey: oldProvision.key, new: newEId, basis: .clerk, score: score, certainty: .certain))
        refresh()
    }

    /// The new tree with keys carried forward: a provision with a `wId` keeps it; one with a primary match takes the
    /// old provision's key; any other gets its eId as key, or `{eId}-v{version}` (then `-2`, `-3`…) when that key is
    /// taken in this version or appears in `reserved` (the keys of earlier versions, so a deleted clause's key is
    /// never given to a new one). The old tree's keys are always reserved.
    public func keyedTree(reserving reserved: Set<ProvisionKey> = [], version: Int) -> ProvisionTree {
        let reserved = reserved.union(old.provisions.map(\.key))
        var keys: [EId: ProvisionKey] = [:]
        var used = Set(new.provisions.filter(\.keyIsExplicit).map(\.key))
        for match in matches where match.isPrimary {
            guard let provision = new[match.new], !provision.keyIsExplicit, !used.contains(match.oldKey) else { continue }
            keys[match.new] = match.oldKey
            used.insert(match.oldKey)
        }
        for (index, provision) in new.provisions.enumerated() where !provision.keyIsExplicit && keys[provision.eId] == nil {
            var candidate = ProvisionKey(provision.eId)
            var attempt = 1
            while used.contains(candidate) || reserved.contains(candidate) {
                let suffix = attempt == 1 ? "-v\(version)" : "-v\(version)-\(attempt)"
                candidate = ProvisionKey(provision.eId.rawValue + suffix) ?? ProvisionKey("k\(index)\(suffix)") ?? candidate
                attempt += 1
            }
            keys[provision.eId] = candidate
            used.insert(candidate)
        }
        // Keys are unique by construction, so `rekeyed` cannot refuse them.
        return new.rekeyed(keys) ?? new
    }

    /// Recomputes `renumbered`, `moved` and `textChanged`, and keeps `matches` in document order.
    private mutating func refresh() {
        let primaryNewOfOld = Dictionary(matches.filter(\.isPrimary).map { ($0.old, $0.new) }, uniquingKeysWith: { first, _ in first })
        for index in matches.indices {
            guard let before = old[matches[index].old], let after = new[matches[index].new] else { continue }
            matches[index].renumbered = before.num != after.num
            matches[index].textChanged = before.heading != after.heading || before.quotableText != after.quotableText
            switch (before.parent, after.parent) {
            case (nil, nil):
                matches[index].moved = false
            case (let oldParent?, let newParent?):
                matches[index].moved = primaryNewOfOld[oldParent] != newParent
            default:
                matches[index].moved = true
            }
        }
        let newOrder = Dictionary(uniqueKeysWithValues: new.provisions.enumerated().map { ($1.eId, $0) })
        let oldOrder = Dictionary(uniqueKeysWithValues: old.provisions.enumerated().map { ($1.eId, $0) })
        matches.sort { a, b in
            let (na, nb) = (newOrder[a.new] ?? 0, newOrder[b.new] ?? 0)
            return na != nb ? na < nb : (oldOrder[a.old] ?? 0) < (oldOrder[b.old] ?? 0)
        }
    }
}
