/// The provisions of one version of a bill, in document order (a parent before its children, children in order),
/// with look-ups by eId and by key.
///
/// Invariants (checked by `init`, which the importers call): eIds and keys are unique; every parent comes before its
/// children and exists; depths follow parents. A tree that breaks them is refused with `nil`.
public struct ProvisionTree: Sendable, Equatable {
    /// Every provision, in document order.
    public let provisions: [Provision]
    private let indexByEId: [EId: Int]
    private let indexByKey: [ProvisionKey: Int]
    private let childIndices: [[Int]]
    private let parentIndices: [Int?]

    /// The empty tree.
    public init() {
        self.provisions = []
        self.indexByEId = [:]
        self.indexByKey = [:]
        self.childIndices = []
        self.parentIndices = []
    }

    /// Indexes `provisions` (in document order); nil when an eId or key repeats, a parent is missing or comes later,
    /// or a depth does not follow its parent.
    public init?(_ provisions: [Provision]) {
        var byEId: [EId: Int] = [:]
        var byKey: [ProvisionKey: Int] = [:]
        var children = Array(repeating: [Int](), count: provisions.count)
        var parents: [Int?] = []
        // The open ancestors of the provision being read: in document order a provision's parent is the last open
        // provision one level up, which makes every subtree contiguous.
        var open: [Int] = []
        for (index, provision) in provisions.enumerated() {
            guard byEId.updateValue(index, forKey: provision.eId) == nil,
                byKey.updateValue(index, forKey: provision.key) == nil,
                provision.depth >= 0, provision.depth <= open.count
            else { return nil }
            open.removeLast(open.count - provision.depth)
            if let parent = provision.parent {
                guard let parentIndex = open.last, provisions[parentIndex].eId == parent else { return nil }
                children[parentIndex].append(index)
                parents.append(parentIndex)
            } else {
                guard provision.depth == 0 else { return nil }
                parents.append(nil)
            }
            open.append(index)
        }
        self.provisions = provisions
        self.indexByEId = byEId
        self.indexByKey = byKey
        self.childIndices = children
        self.parentIndices = parents
    }

    public var count: Int { provisions.count }
    public var isEmpty: Bool { provisions.isEmpty }

    /// The provision with this eId.
    public subscript(eId: EId) -> Provision? { indexByEId[eId].map { provisions[$0] } }

    /// The provision with this key.
    public subscript(key key: ProvisionKey) -> Provision? { indexByKey[key].map { provisions[$0] } }

    /// The position of `eId` in document order.
    public func index(of eId: EId) -> Int? { indexByEId[eId] }

    /// The position of the provision with `key` in document order.
    public func index(ofKey key: ProvisionKey) -> Int? { indexByKey[key] }

    /// The provisions at the top of the body.
    public var topLevel: [Provision] { provisions.filter { $0.parent == nil } }

    /// The direct children of `eId`, in order (empty for an unknown eId).
    public func children(of eId: EId) -> [Provision] {
        guard let index = indexByEId[eId] else { return [] }
        return childIndices[index].map { provisions[$0] }
    }

    /// Every provision inside `eId` (children, their children…), in document order.
    public func descendants(of eId: EId) -> [Provision] {
        guard let index = indexByEId[eId] else { return [] }
        var end = index + 1
        while end < provisions.count, provisions[end].depth > provisions[index].depth { end += 1 }
        return Array(provisions[(index + 1)..<end])
    }

    /// The enclosing provisions of `eId`, nearest first.
    public func ancestors(of eId: EId) -> [Provision] {
        var result: [Provision] = []
        var current = indexByEId[eId].flatMap { parentIndices[$0] }
        while let index = current {
            result.append(provisions[index])
            current = parentIndices[index]
        }
        return result
    }

    /// Whether `ancestor` is `eId` itself or encloses it.
    public func contains(_ eId: EId, within ancestor: EId) -> Bool {
        eId == ancestor || ancestors(of: eId).contains { $0.eId == ancestor }
    }

    /// The provision's own text followed by the text of all its descendants, one space between: what a clause says
    /// as a whole (used to compare containers across versions).
    public func subtreeText(of eId: EId) -> String {
        guard let provision = self[eId] else { return "" }
        return ([provision] + descendants(of: eId))
            .flatMap { [$0.heading ?? "", $0.quotableText] }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// The same tree with each provision's key replaced by `keys[eId]` where given (how `ProvisionMatching` carries
    /// keys forward). Nil if the result would repeat a key.
    public func rekeyed(_ keys: [EId: ProvisionKey]) -> ProvisionTree? {
        ProvisionTree(provisions.map { provision in
            var copy = provision
            if let key = keys[provision.eId] { copy.key = key }
            return copy
        })
    }
}
