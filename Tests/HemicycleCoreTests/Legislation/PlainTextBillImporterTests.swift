import HemicycleCore
import Testing

@Suite struct PlainTextBillImporterTests {
    func failure(_ text: String) -> BillImportError? {
        do {
            _ = try PlainTextBillImporter.read(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsHeadingsMarkersAndContinuations() throws {
        let document = try PlainTextBillImporter.read(
            """
            # a comment
            Title: Test Act
            Long title: An Act to test the format.

            Be it enacted
            as follows:

            Part 1 — Preliminary
            Chapter I: Names
            Section 1. Short title
            This Act may be cited as the Test Act.

            Sec. 2 Interpretation
            (1) In this Act—
            (a) “bill” means a draft law;
            (b) “clause” means
            a provision of a bill.

            A second paragraph of (b).
            (i) with a point
            (ii) and another.
            (2) Subsection two.

            3 Commencement
            This Act comes into force on Royal Assent.
            Part 2 Final
            Section 4
            (1)(a)(i) Three at once.
            """)
        #expect(document.title == "Test Act")
        #expect(document.longTitle == "An Act to test the format.")
        #expect(document.preamble == "Be it enacted as follows:")
        let tree = document.provisions
        // Sections are numbered through the bill and the one chapter never restarts: the body is their context.
        #expect(tree.provisions.map(\.eId.rawValue) == [
            "part_1", "chp_I", "sec_1", "sec_2", "sec_2__subsec_1", "sec_2__subsec_1__para_a", "sec_2__subsec_1__para_b",
            "sec_2__subsec_1__para_b__point_i", "sec_2__subsec_1__para_b__point_ii", "sec_2__subsec_2", "sec_3", "part_2",
            "sec_4", "sec_4__subsec_1", "sec_4__subsec_1__para_a", "sec_4__subsec_1__para_a__point_i",
        ])
        func provision(_ eId: String) -> Provision? { tree[LegislationFixtures.eId(eId)] }
        #expect(provision("part_1")?.heading == "Preliminary")
        #expect(provision("chp_I")?.heading == "Names")
        #expect(provision("chp_I")?.parent == LegislationFixtures.eId("part_1"))
        #expect(provision("sec_1")?.heading == "Short title")
        #expect(provision("sec_1")?.parent == LegislationFixtures.eId("chp_I"))
        #expect(provision("sec_1")?.text == "This Act may be cited as the Test Act.")
        #expect(provision("sec_2")?.heading == "Interpretation")
        #expect(provision("sec_2__subsec_1__para_b")?.text == "“clause” means a provision of a bill.\nA second paragraph of (b).")
        #expect(provision("sec_3")?.heading == "Commencement", "the short form after a blank line")
        #expect(provision("sec_4")?.parent == LegislationFixtures.eId("part_2"))
        #expect(provision("sec_4")?.heading == nil)
        #expect(provision("sec_4__subsec_1")?.text == "")
        #expect(provision("sec_4__subsec_1__para_a__point_i")?.text == "Three at once.")
    }

    @Test func usNumberingWithHeadingsAndTheIAmbiguity() throws {
        let tree = try LegislationFixtures.tree(
            """
            Numbering: (a) (1) (A) (i) (I)
            Section 1. Rules
            (a) In General.—Text of (a).
            (b) Late.—
            (1) One.
            (A) Capital.
            (i) a roman clause, not the letter i: it is deeper;
            (ii) two;
            (I) subclause.
            (II) two.
            (B) Back to capitals.
            (c) Then (c).
            (d) d
            (e) e
            (f) f
            (g) g
            (h) h
            (i) The letter i: no point is open below (h).
            """)
        let eIds = tree.provisions.map(\.eId.rawValue)
        #expect(eIds.contains("sec_1__subsec_b__para_1__point_A__point_i"))
        #expect(eIds.contains("sec_1__subsec_b__para_1__point_A__point_ii__point_I"))
        #expect(eIds.contains("sec_1__subsec_b__para_1__point_A__point_ii__point_II"))
        #expect(eIds.contains("sec_1__subsec_b__para_1__point_B"))
        #expect(eIds.contains("sec_1__subsec_c"))
        #expect(eIds.last == "sec_1__subsec_i")
        #expect(tree[LegislationFixtures.eId("sec_1__subsec_a")]?.heading == "In General")
        #expect(tree[LegislationFixtures.eId("sec_1__subsec_a")]?.text == "Text of (a).")
        #expect(tree[LegislationFixtures.eId("sec_1__subsec_b")]?.heading == "Late")
        #expect(tree[LegislationFixtures.eId("sec_1__subsec_b")]?.text == "")
    }

    @Test func sectionsRestartingInEachChapterTakeTheChapterAsContext() throws {
        let tree = try LegislationFixtures.tree(
            """
            Chapter 1 One
            Section 1 A
            Section 2 B
            (1) b one
            Chapter 2 Two
            Section 1 C
            """)
        #expect(tree.provisions.map(\.eId.rawValue) == ["chp_1", "chp_1__sec_1", "chp_1__sec_2", "chp_1__sec_2__subsec_1", "chp_2", "chp_2__sec_1"])
        let parts = try LegislationFixtures.tree("Part 1\nChapter 1\nSection 1\nPart 2\nChapter 1\nSection 2")
        #expect(parts.provisions.map(\.eId.rawValue) == ["part_1", "part_1__chp_1", "sec_1", "part_2", "part_2__chp_1", "sec_2"])
    }

    @Test func aSectionMayHoldParagraphsDirectly() throws {
        let tree = try LegislationFixtures.tree("Section 1 Definitions\nIn this Act—\n(a) one;\n(b) two.")
        #expect(tree.provisions.map(\.eId.rawValue) == ["sec_1", "sec_1__para_a", "sec_1__para_b"])
        #expect(tree[LegislationFixtures.eId("sec_1")]?.text == "In this Act—")
    }

    @Test(arguments: [
        ("Section 1\n(1) one\n(3) three", 3, BillImportError.Code.numbering, "gap after (1) (expected (2))"),
        ("Section 1\n(1) one\n(1) again", 3, .numbering, "repeats"),
        ("Section 1\n(1) one\n(2) two\n(1) back", 4, .numbering, "numbers must go up"),
        ("Preamble.\n(1) too early", 2, .misplaced, "outside a section"),
        ("Part 1\n(1) in a part", 2, .misplaced, "outside a section"),
        ("Section 1\n(b) starts at b", 2, .numbering, "cannot start"),
        ("Section 1\n(A) not in the default numbering", 2, .numbering, "no style"),
        ("Section 1\n(1) one\n(i) a point with no paragraph", 3, .numbering, "no paragraph above it"),
        ("Section 1\nx\nSection 3", 3, .numbering, "gap"),
        ("Section 2\nx", 1, .numbering, "cannot start"),
        ("Numbering: (1) (x)\nSection 1", 1, .unsupported, "not a numbering marker"),
        ("Numbering: (1) (1)\nSection 1", 1, .unsupported, "twice"),
        ("", 0, .missing, "no provisions"),
        ("Just a preamble.", 0, .missing, "no provisions"),
    ])
    func badFilesAreRefusedWithTheirLine(text: String, line: Int, code: BillImportError.Code, fragment: String) {
        let error = failure(text)
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(error?.line == line, "\(String(describing: error))")
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test func continuationLinesAreNotHeadings() throws {
        let tree = try LegislationFixtures.tree(
            """
            Section 1 Time
            The break comes after
            3 hours; and the Part of the Act
            (unless such statement is true) stays text.
            """)
        #expect(tree.count == 1)
        #expect(tree[LegislationFixtures.eId("sec_1")]?.text == "The break comes after 3 hours; and the Part of the Act (unless such statement is true) stays text.")
    }

    @Test func columnsPointAtTheMarker() {
        let error = failure("Section 1\n   (1) one\n   (1)(a) x\n")
        #expect(error?.line == 3)
        #expect(error?.column == 4)
    }

    @Test func limitsApply() {
        var limits = BillImportLimits()
        limits.maxTextLength = 10
        #expect(throws: BillImportError.self) { try PlainTextBillImporter.read("Section 1\nA text longer than ten.", limits: limits) }
        limits = BillImportLimits()
        limits.maxPointNesting = 1
        #expect(throws: BillImportError.self) {
            try PlainTextBillImporter.read("Numbering: (1) (a) (i) (A)\nSection 1\n(1)(a)(i)(A) too deep", limits: limits)
        }
        #expect(throws: BillImportError.self) { try PlainTextBillImporter.read([UInt8]([0x53, 0xFF])) }
        limits = BillImportLimits()
        limits.maxTextLength = 10
        #expect(throws: BillImportError.self) { try PlainTextBillImporter.read("Title: A title that is too long\nSection 1", limits: limits) }
        #expect(throws: BillImportError.self) { try PlainTextBillImporter.read("Short one.\nShort two.\nSection 1", limits: limits) }
    }

    @Test func neverCrashesOnRandomInput() {
        var random = SeededGenerator(seed: 0x7E47)
        let pieces = [
            "Section ", "Sec. ", "Part ", "Chapter ", "1", "2", "3", "I", "II", "(1)", "(2)", "(a)", "(b)", "(i)", "(ii)", "(A)",
            "(I)", ".—", ".--", " — ", "text", " ", "\n", "\n\n", "Numbering: (a) (1) (A) (i) (I)\n", "Title: x\n", "#", "é",
        ]
        for _ in 0..<3_000 {
            let count = Int.random(in: 0..<40, using: &random)
            let text = (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
            do {
                let document = try PlainTextBillImporter.read(text)
                #expect(!document.provisions.isEmpty)
                for provision in document.provisions.provisions {
                    #expect(ProvisionKind.canNest(provision.kind, in: provision.parent.flatMap { document.provisions[$0]?.kind }))
                }
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }
}
