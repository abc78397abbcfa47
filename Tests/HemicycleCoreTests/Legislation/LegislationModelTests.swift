import HemicycleCore
import Testing

@Suite struct LegislationModelTests {
    typealias Ordinal = NumberingStyle.Ordinal

    @Test func numberingStylesReadAndWriteTheirNumbers() {
        #expect(NumberingStyle.arabic.ordinal(of: "12") == Ordinal(base: 12))
        #expect(NumberingStyle.arabic.ordinal(of: "2A") == Ordinal(base: 2, insertion: 1))
        #expect(NumberingStyle.arabic.ordinal(of: "02") == nil, "no leading zero")
        #expect(NumberingStyle.arabic.ordinal(of: "2a") == nil, "insertions are capitals")
        #expect(NumberingStyle.lowerLetter.ordinal(of: "z") == Ordinal(base: 26))
        #expect(NumberingStyle.lowerLetter.ordinal(of: "aa") == Ordinal(base: 27), "US doubling after z")
        #expect(NumberingStyle.lowerLetter.ordinal(of: "ab") == nil)
        #expect(NumberingStyle.upperLetter.ordinal(of: "a") == nil)
        #expect(NumberingStyle.lowerRoman.ordinal(of: "xiv") == Ordinal(base: 14))
        #expect(NumberingStyle.lowerRoman.ordinal(of: "iiii") == nil, "canonical forms only")
        #expect(NumberingStyle.lowerRoman.ordinal(of: "IV") == nil)
        #expect(NumberingStyle.upperRoman.ordinal(of: "MCMXCIX") == Ordinal(base: 1999))
        for style in NumberingStyle.allCases {
            for base in 1...52 {
                let ordinal = Ordinal(base: base)
                guard let written = style.designation(of: ordinal) else { continue }
                #expect(style.ordinal(of: written) == ordinal, "\(style) \(base) -> \(written)")
            }
        }
        #expect(NumberingStyle.lowerLetter.designation(of: Ordinal(base: 53)) == nil)
        #expect(NumberingStyle.upperRoman.next(after: "III") == "IV")
    }

    @Test func sequencesAllowInsertionsButNotGaps() {
        let two = Ordinal(base: 2)
        #expect(Ordinal(base: 3).follows(two))
        #expect(Ordinal(base: 2, insertion: 1).follows(two))
        #expect(Ordinal(base: 2, insertion: 2).follows(Ordinal(base: 2, insertion: 1)))
        #expect(Ordinal(base: 3).follows(Ordinal(base: 2, insertion: 1)))
        #expect(!Ordinal(base: 4).follows(two))
        #expect(!two.follows(two))
    }

    @Test func aRunStartingWithIIsRoman() {
        #expect(NumberingStyle.starting(with: "i") == .lowerRoman)
        #expect(NumberingStyle.starting(with: "I") == .upperRoman)
        #expect(NumberingStyle.starting(with: "a") == .lowerLetter)
        #expect(NumberingStyle.starting(with: "1") == .arabic)
        #expect(NumberingStyle.starting(with: "b") == nil)
    }

    @Test(arguments: [
        ("SECTION 1.", "1"), ("SEC. 2.", "2"), ("Sec.3", "3"), ("Section 12A", "12A"), ("(b)", "b"), ("(iv)", "iv"),
        ("Part I", "I"), ("Chapter 3", "3"), ("§ 4", "4"), ("2.", "2"), (" (A) ", "A"),
    ])
    func designationsComeFromWhatNumSays(num: String, expected: String) {
        #expect(ProvisionNumber.designation(fromNum: num) == expected)
    }

    @Test(arguments: ["", "()", "(a b)", "1.2", "Section", "abcdefghijklm", "(é)"])
    func badNumbersHaveNoDesignation(num: String) {
        #expect(ProvisionNumber.designation(fromNum: num) == nil)
    }

    @Test func eIdsFollowTheNamingConvention() {
        let section = EId(parent: nil, kind: .section, component: "1")
        let subsection = EId(parent: section, kind: .subsection, component: "2")
        let paragraph = EId(parent: subsection, kind: .paragraph, component: "a")
        #expect(paragraph.rawValue == "sec_1__subsec_2__para_a")
        #expect(EId(parent: EId(parent: nil, kind: .part, component: "1"), kind: .chapter, component: "2").rawValue == "part_1__chp_2")
        #expect(EId(parent: paragraph, kind: .point, component: "iv").rawValue == "sec_1__subsec_2__para_a__point_iv")
        #expect(EId("sec 1") == nil)
        #expect(EId("1sec") == nil)
        #expect(EId("") == nil)
        #expect(EId(String(repeating: "a", count: 201)) == nil)
        #expect(ProvisionKey("wid-42_x") != nil)
        #expect(ProvisionKey("<script>") == nil)
    }

    @Test func nestingFollowsTheSubset() {
        #expect(ProvisionKind.canNest(.section, in: nil))
        #expect(ProvisionKind.canNest(.section, in: .chapter))
        #expect(ProvisionKind.canNest(.paragraph, in: .section))
        #expect(ProvisionKind.canNest(.point, in: .point))
        #expect(!ProvisionKind.canNest(.subsection, in: nil))
        #expect(!ProvisionKind.canNest(.subsection, in: .chapter))
        #expect(!ProvisionKind.canNest(.part, in: .chapter))
        #expect(!ProvisionKind.canNest(.point, in: .subsection))
    }

    @Test func aTreeRefusesBrokenInvariants() throws {
        let s1 = EId(parent: nil, kind: .section, component: "1")
        let a = EId(parent: s1, kind: .subsection, component: "a")
        let s2 = EId(parent: nil, kind: .section, component: "2")
        let good = [
            Provision(kind: .section, num: "1", eId: s1), Provision(kind: .subsection, num: "a", eId: a, parent: s1, depth: 1),
            Provision(kind: .section, num: "2", eId: s2),
        ]
        let tree = try #require(ProvisionTree(good))
        #expect(tree.children(of: s1).map(\.eId) == [a])
        #expect(tree.ancestors(of: a).map(\.eId) == [s1])
        #expect(tree.contains(a, within: s1))
        #expect(!tree.contains(s1, within: a))
        #expect(tree.descendants(of: s1).map(\.eId) == [a])
        #expect(tree.index(of: s2) == 2)
        #expect(ProvisionTree([good[1], good[0], good[2]]) == nil, "a child before its parent")
        #expect(ProvisionTree([good[0], good[2], good[1]]) == nil, "a child after another subtree")
        #expect(ProvisionTree([good[0], good[0]]) == nil, "a repeated eId")
        var sameKey = good[2]
        sameKey.key = good[0].key
        #expect(ProvisionTree([good[0], good[1], sameKey]) == nil, "a repeated key")
        var wrongDepth = good[1]
        wrongDepth.depth = 2
        #expect(ProvisionTree([good[0], wrongDepth]) == nil)
        #expect(tree.rekeyed([s2: good[0].key]) == nil, "rekeying cannot repeat a key")
        #expect(tree.rekeyed([s2: try #require(ProvisionKey("kept"))])?[s2]?.key.rawValue == "kept")
    }

    @Test func quotableTextAddsTheWrapUp() {
        var provision = Provision(kind: .paragraph, num: "1", text: "Intro", eId: EId(parent: nil, kind: .section, component: "1"))
        #expect(provision.quotableText == "Intro")
        provision.wrapUp = "Closing words"
        #expect(provision.quotableText == "Intro\nClosing words")
        provision.text = ""
        #expect(provision.quotableText == "Closing words")
        #expect(provision.label == "(1)")
    }

    @Test func textIsNormalisedOneWay() {
        #expect(ProvisionText.normalise("  a\t b\n\nc\u{00A0}d ") == "a b c d")
        #expect(ProvisionText.normalise("e\u{0301}") == "\u{00E9}", "NFC")
        #expect(ProvisionText.join([" one ", "", "two  words"]) == "one\ntwo words")
    }

    @Test func aVersionIsAStateMachine() throws {
        let document = BillDocument(provisions: try LegislationFixtures.tree("Section 1 Title\nText."))
        let window = try #require(CommentWindow(opens: LegislationFixtures.at(0), closes: LegislationFixtures.at(100)))
        #expect(CommentWindow(opens: LegislationFixtures.at(5), closes: LegislationFixtures.at(5)) == nil)
        var version = BillVersion(billID: Bill.ID(1), number: 1, document: document, window: window)
        #expect(throws: BillVersionError.notPublished(state: .draft)) { try version.checkOpen(at: LegislationFixtures.at(1)) }
        try version.replace(document)
        #expect(throws: BillVersionError.notPublished(state: .draft)) { try version.supersede() }
        var empty = BillVersion(billID: Bill.ID(1), number: 1, document: BillDocument(provisions: ProvisionTree()), window: window)
        #expect(throws: BillVersionError.empty) { try empty.publish(at: LegislationFixtures.at(0)) }
        try version.publish(at: LegislationFixtures.at(0))
        #expect(version.state == .published)
        #expect(version.publishedAt == LegislationFixtures.at(0))
        #expect(throws: BillVersionError.notDraft(state: .published)) { try version.replace(document) }
        #expect(throws: BillVersionError.notDraft(state: .published)) { try version.publish(at: LegislationFixtures.at(1)) }
        try version.checkOpen(at: LegislationFixtures.at(0))
        #expect(throws: BillVersionError.windowClosed(closes: LegislationFixtures.at(100))) { try version.checkOpen(at: LegislationFixtures.at(100)) }
        #expect(throws: BillVersionError.windowNotOpen(opens: LegislationFixtures.at(0))) { try version.checkOpen(at: LegislationFixtures.at(-1)) }
        try version.setWindow(try #require(CommentWindow(opens: LegislationFixtures.at(0), closes: LegislationFixtures.at(200))))
        try version.checkOpen(at: LegislationFixtures.at(150))
        try version.supersede()
        #expect(version.state == .superseded)
        #expect(throws: BillVersionError.notPublished(state: .superseded)) { try version.setWindow(window) }
        #expect(BillVersionError.windowClosed(closes: LegislationFixtures.at(0)).code == "window_closed")
        _ = empty
    }

    @Test func aBillNamesItsTopics() {
        let bill = Bill(id: Bill.ID(7), title: "SAFE BOTs Act", committee: "Energy and Commerce")
        #expect(bill.topicName == "bill:7")
        #expect(bill.moderationTopicName == "bill:7:moderation")
        #expect(bill.settings.moderation == .pre, "pre-moderation by default")
    }
}
