/// What changed in a bill's text from one version to the next, clause by clause: for every provision of the newer
/// version a `ClauseChange` (unchanged, changed with its word diffs, or added), and the provisions of the older version
/// that are gone. Provisions are paired by key, which publishing carries from each provision to its primary match
/// (Protocol/LEGISLATION.md §4), so this reads the result of the matching the clerk settled and never guesses again.
///
/// Pure and cheap (one word diff per changed provision), so pages compute it when they are drawn.
public struct VersionChanges: Sendable, Equatable {
    /// The older version's number.
    public let from: Int
    /// The newer version's number.
    public let to: Int
    /// One per provision of the newer version, in its document order.
    public let clauses: [ClauseChange]
    /// The provisions of the older version whose key the newer one does not have, in the older document order.
    public let removed: [Provision]
    private let indexByKey: [ProvisionKey: Int]

    /// The changes from `old` (version `from`) to `new` (version `to`).
    public init(old: ProvisionTree, new: ProvisionTree, from: Int, to: Int) {
        self.from = from
        self.to = to
        var clauses: [ClauseChange] = []
        for provision in new.provisions {
            guard let before = old[key: provision.key] else {
                clauses.append(ClauseChange(
                    eId: provision.eId, key: provision.key, status: .added, previousEId: nil, previousLabel: nil,
                    heading: provision.heading.map { Redline(from: "", to: $0) }, text: Redline(from: "", to: provision.quotableText)))
                continue
            }
            let headingChanged = before.heading != provision.heading
            let textChanged = before.quotableText != provision.quotableText
            clauses.append(ClauseChange(
                eId: provision.eId, key: provision.key, status: headingChanged || textChanged ? .changed : .unchanged,
                previousEId: before.eId, previousLabel: before.label != provision.label ? before.label : nil,
                heading: headingChanged ? Redline(from: before.heading ?? "", to: provision.heading ?? "") : nil,
                text: textChanged ? Redline(from: before.quotableText, to: provision.quotableText) : nil))
        }
        self.clauses = clauses
        self.removed = old.provisions.filter { new[key: $0.key] == nil }
        self.indexByKey = Dictionary(uniqueKeysWithValues: clauses.enumerated().map { ($1.key, $0) })
    }

    /// The changes from version n − 1 to `version` (n ≥ 2) among `versions`; nil for version 1 or when version n − 1
    /// is not there.
    public init?(to version: BillVersion, in versions: [BillVersion]) {
        guard version.number > 1, let previous = versions.first(where: { $0.number == version.number - 1 }) else { return nil }
        self.init(old: previous.provisions, new: version.provisions, from: previous.number, to: version.number)
    }

    /// The change of the newer version's provision with `key`.
    public subscript(key key: ProvisionKey) -> ClauseChange? { indexByKey[key].map { clauses[$0] } }

    /// The provisions whose words changed, and those added.
    public var changed: [ClauseChange] { clauses.filter { $0.status != .unchanged } }

    /// Whether nothing was changed, added or removed (renumbering alone aside).
    public var isEmpty: Bool { changed.isEmpty && removed.isEmpty }

    /// The latest version in which the provision a comment is on changed, following the comment's carried anchors
    /// (`BillComment.carried`) through `versions`: its heading or text changed between the two versions of a carry, its
    /// passage was carried to another provision (a split or merge), or it was removed (the comment went to the bill as
    /// a whole). Nil when the provision never changed since the comment was written.
    public static func lastChange(of comment: BillComment, in versions: [BillVersion]) -> ClauseChangeNotice? {
        let byNumber = Dictionary(versions.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        for carry in comment.carried.reversed() {
            guard let to = carry.to else {
                return ClauseChangeNotice(version: carry.from.version + 1, eId: nil, removed: true)
            }
            guard carry.from.key == to.key,
                let before = byNumber[carry.from.version]?.provisions[key: carry.from.key],
                let after = byNumber[to.version]?.provisions[key: to.key]
            else {
                return ClauseChangeNotice(version: to.version, eId: to.eId, removed: false)
            }
            if before.heading != after.heading || before.quotableText != after.quotableText {
                return ClauseChangeNotice(version: to.version, eId: to.eId, removed: false)
            }
        }
        return nil
    }
}
