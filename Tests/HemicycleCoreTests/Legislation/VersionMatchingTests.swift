import HemicycleCore
import Testing

@Suite struct VersionMatchingTests {
    func e(_ text: String) -> EId { LegislationFixtures.eId(text) }
    func tree(_ text: String) throws -> ProvisionTree { try LegislationFixtures.tree(text) }

    static let alpha = "The minister shall publish an annual report on the state of public libraries."
    static let beta = "Every local authority shall keep a register of the books it lends to residents."
    static let gamma = "A person who damages a library book shall pay the cost of replacing it."
    static let delta = "Fines collected under this section are paid into the general fund of the authority."

    @Test func renumberingAfterADeletionIsFoundBySimilarity() throws {
        let old = try tree("Section 1 Libraries\n(1) \(Self.alpha)\n(2) \(Self.beta)\n(3) \(Self.gamma)")
        let new = try tree("Section 1 Libraries\n(1) \(Self.alpha)\n(2) \(Self.gamma)")
        let matching = ProvisionMatcher.match(old: old, new: new)
        #expect(matching.primary(forNew: e("sec_1__subsec_1"))?.basis == .eId)
        let renumbered = try #require(matching.primary(forNew: e("sec_1__subsec_2")))
        #expect(renumbered.old == e("sec_1__subsec_3"))
        #expect(renumbered.basis == .similarity)
        #expect(renumbered.certainty == .certain)
        #expect(renumbered.renumbered)
        #expect(!renumbered.moved)
        #expect(!renumbered.textChanged)
        #expect(matching.deleted == [e("sec_1__subsec_2")])
        #expect(matching.added.isEmpty)
        #expect(matching.isSettled)
        let keyed = matching.keyedTree(version: 2)
        #expect(keyed[e("sec_1__subsec_2")]?.key.rawValue == "sec_1__subsec_3", "the key stays with the provision")
    }

    @Test func aMoveToAnotherSectionIsFlagged() throws {
        let old = try tree("Section 1 One\n(1) \(Self.alpha)\n(2) \(Self.beta)\nSection 2 Two\n(1) \(Self.gamma)")
        let new = try tree("Section 1 One\n(1) \(Self.alpha)\nSection 2 Two\n(1) \(Self.gamma)\n(2) \(Self.beta)")
        let matching = ProvisionMatcher.match(old: old, new: new)
        let moved = try #require(matching.primary(forOld: e("sec_1__subsec_2")))
        #expect(moved.new == e("sec_2__subsec_2"))
        #expect(moved.moved)
        #expect(!moved.renumbered)
        #expect(matching.primary(forOld: e("sec_2__subsec_1"))?.moved == false)
    }

    @Test func aSplitIsAPartOfTheOldProvision() throws {
        let old = try tree("Section 1 Books\n(1) \(Self.gamma) \(Self.delta)\n(2) \(Self.alpha)")
        let new = try tree("Section 1 Books\n(1) \(Self.gamma)\n(2) \(Self.delta)\n(3) \(Self.alpha)")
        let matching = ProvisionMatcher.match(old: old, new: new)
        #expect(matching.primary(forOld: e("sec_1__subsec_1"))?.new == e("sec_1__subsec_1"))
        let split = try #require(matching.matches.first { $0.basis == .split })
        #expect(split.old == e("sec_1__subsec_1"))
        #expect(split.new == e("sec_1__subsec_2"))
        #expect(matching.primary(forOld: e("sec_1__subsec_2"))?.new == e("sec_1__subsec_3"))
        #expect(matching.targets(forOld: e("sec_1__subsec_1")) == [e("sec_1__subsec_1"), e("sec_1__subsec_2")])
        #expect(matching.added.isEmpty)
        #expect(matching.deleted.isEmpty)
        let keyed = matching.keyedTree(version: 2)
        #expect(keyed[e("sec_1__subsec_2")]?.key.rawValue == "sec_1__subsec_2-v2", "the old key of (2) is reserved")
        #expect(keyed[e("sec_1__subsec_3")]?.key.rawValue == "sec_1__subsec_2")
    }

    @Test func aMergeJoinsTwoOldProvisions() throws {
        let old = try tree("Section 1 Books\n(1) \(Self.gamma)\n(2) \(Self.delta)")
        let new = try tree("Section 1 Books\n(1) \(Self.gamma) \(Self.delta)")
        let matching = ProvisionMatcher.match(old: old, new: new)
        #expect(matching.primary(forOld: e("sec_1__subsec_1"))?.new == e("sec_1__subsec_1"))
        let merge = try #require(matching.matches.first { $0.basis == .merge })
        #expect(merge.old == e("sec_1__subsec_2"))
        #expect(matching.targets(forOld: e("sec_1__subsec_2")) == [e("sec_1__subsec_1")])
        #expect(matching.deleted.isEmpty)
    }

    @Test func aRewriteIsUncertainForTheClerk() throws {
        let old = try tree("Section 1 Books\n(1) \(Self.alpha)\n(2) \(Self.beta)")
        let reworded = "The minister shall publish a report every two years on the state of public libraries and archives."
        let new = try tree("Section 1 Books\n(1) \(Self.beta)\n(2) \(reworded)")
        var matching = ProvisionMatcher.match(old: old, new: new)
        let uncertain = try #require(matching.uncertain.first)
        #expect(uncertain.old == e("sec_1__subsec_1"))
        #expect(uncertain.new == e("sec_1__subsec_2"))
        #expect(uncertain.score >= 0.5 && uncertain.score < 0.8)
        #expect(uncertain.textChanged)
        #expect(!matching.isSettled)
        var rejected = matching
        try rejected.reject(old: uncertain.old, new: uncertain.new)
        #expect(rejected.deleted == [e("sec_1__subsec_1")])
        #expect(rejected.added == [e("sec_1__subsec_2")])
        #expect(throws: VersionMatchError.alreadyMatched(e("sec_1__subsec_1"))) { try rejected.pair(old: e("sec_1__subsec_1"), new: e("sec_1__subsec_1")) }
        try rejected.pair(old: e("sec_1__subsec_1"), new: e("sec_1__subsec_2"))
        #expect(rejected.primary(forNew: e("sec_1__subsec_2"))?.basis == .clerk)
        #expect(throws: VersionMatchError.noSuchMatch(old: e("sec_1__subsec_2"), new: e("sec_1__subsec_2"))) {
            try matching.confirm(old: e("sec_1__subsec_2"), new: e("sec_1__subsec_2"))
        }
        #expect(throws: VersionMatchError.unknownProvision(e("sec_9"))) { try matching.pair(old: e("sec_9"), new: e("sec_1")) }
        try matching.confirm(old: uncertain.old, new: uncertain.new)
        #expect(matching.isSettled)
    }

    @Test func sameEIdWithNewTextIsUncertain() throws {
        let old = try tree("Section 1 Books\n(1) \(Self.alpha)")
        let new = try tree("Section 1 Books\n(1) \(Self.delta)")
        let matching = ProvisionMatcher.match(old: old, new: new)
        let match = try #require(matching.primary(forNew: e("sec_1__subsec_1")))
        #expect(match.basis == .eId)
        #expect(match.certainty == .uncertain)
    }

    @Test func wIdsMatchByKeyWhateverTheNumber() throws {
        let old = try AkomaNtosoImporter.read(
            AkomaNtosoImporterTests.bill(
                """
                <section wId="libraries"><num>1.</num><content><p>\(Self.alpha)</p></content></section>
                <section wId="fines"><num>2.</num><content><p>\(Self.delta)</p></content></section>
                """)).provisions
        let new = try AkomaNtosoImporter.read(
            AkomaNtosoImporterTests.bill(
                """
                <section wId="fines"><num>1.</num><content><p>\(Self.gamma)</p></content></section>
                <section wId="new-one"><num>2.</num><content><p>\(Self.beta)</p></content></section>
                """)).provisions
        let matching = ProvisionMatcher.match(old: old, new: new)
        let fines = try #require(matching.primary(forNew: e("sec_1")))
        #expect(fines.basis == .key)
        #expect(fines.old == e("sec_2"))
        #expect(fines.renumbered)
        #expect(matching.deleted == [e("sec_1")])
        let keyed = matching.keyedTree(version: 2)
        #expect(keyed[e("sec_2")]?.key.rawValue == "new-one")
    }

    @Test func freshKeysNeverReuseAnEarlierVersionsKey() throws {
        let old = try tree("Section 1 A\n\(Self.alpha)")
        let new = try tree("Section 1 A\n\(Self.alpha)\nSection 2 B\n\(Self.beta)")
        let matching = ProvisionMatcher.match(old: old, new: new)
        #expect(matching.keyedTree(version: 3)[e("sec_2")]?.key.rawValue == "sec_2")
        let reserved: Set<ProvisionKey> = [LegislationFixtures.key("sec_2"), LegislationFixtures.key("sec_2-v3")]
        #expect(matching.keyedTree(reserving: reserved, version: 3)[e("sec_2")]?.key.rawValue == "sec_2-v3-2")
    }

    @Test func containersMatchByTheirWholeText() throws {
        let old = try tree("Section 1 A\n\(Self.alpha)\nSection 2 B\n(1) \(Self.beta)\n(2) \(Self.gamma)\nSection 3 C\n\(Self.delta)")
        let new = try tree("Section 1 A\n\(Self.alpha)\nSection 2 C\n\(Self.delta)\nSection 3 B\n(1) \(Self.beta)\n(2) \(Self.gamma)")
        let matching = ProvisionMatcher.match(old: old, new: new)
        #expect(matching.primary(forOld: e("sec_2"))?.new == e("sec_3"))
        #expect(matching.primary(forOld: e("sec_3"))?.new == e("sec_2"))
        #expect(matching.primary(forOld: e("sec_2__subsec_1"))?.new == e("sec_3__subsec_1"))
        #expect(matching.primary(forOld: e("sec_2__subsec_1"))?.moved == false, "its parent moved with it")
    }
}
