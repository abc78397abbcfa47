import HemicycleCore
import Testing

@Suite struct AkomaNtosoImporterTests {
    static func bill(_ body: String, preface: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
          <bill name="test">
            <meta><identification source="#x"><FRBRWork><FRBRthis value="/x"/></FRBRWork></identification></meta>
        \(preface)
            <body>
        \(body)
            </body>
          </bill>
        </akomaNtoso>
        """
    }

    func failure(_ text: String) -> BillImportError? {
        do {
            _ = try AkomaNtosoImporter.read(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheSubsetIntoATree() throws {
        let document = try AkomaNtosoImporter.read(
            Self.bill(
                """
                <part eId="part_1"><num>Part 1</num><heading>General</heading>
                  <chapter><num>Chapter 1</num>
                    <section eId="part_1__chp_1__sec_1" wId="short-title"><num>SECTION 1.</num><heading>Short  title</heading>
                      <content><p>This Act is the <b>Test</b>  Act.</p><p>Second <term refersTo="#x">paragraph</term>.</p></content>
                    </section>
                    <section><num>SEC. 2.</num>
                      <intro><p>In this Act—</p></intro>
                      <paragraph><num>(a)</num><content><p>one;</p></content></paragraph>
                      <paragraph><num>(b)</num><intro><p>two:</p></intro>
                        <point><num>(i)</num><content><p>x<br/>y</p></content></point>
                      </paragraph>
                      <wrapUp><p>as the case may be.</p></wrapUp>
                    </section>
                  </chapter>
                </part>
                """,
                preface: """
                    <preface><p><docTitle>Test Act</docTitle></p><longTitle><p>An Act to  test.</p></longTitle></preface>
                    <preamble><formula name="enactingFormula"><p>Be it enacted.</p></formula></preamble>
                """))
        #expect(document.title == "Test Act")
        #expect(document.longTitle == "An Act to test.")
        #expect(document.preamble == "Be it enacted.")
        let tree = document.provisions
        // The first section's eId, given with the full parent chain, is kept; the others follow the convention.
        #expect(tree.provisions.map(\.eId.rawValue) == [
            "part_1", "chp_1", "part_1__chp_1__sec_1", "sec_2", "sec_2__para_a", "sec_2__para_b", "sec_2__para_b__point_i",
        ])
        let first = try #require(tree[LegislationFixtures.eId("part_1__chp_1__sec_1")])
        #expect(first.num == "1")
        #expect(first.heading == "Short title")
        #expect(first.text == "This Act is the Test Act.\nSecond paragraph.")
        #expect(first.key.rawValue == "short-title")
        #expect(first.keyIsExplicit)
        #expect(tree[key: LegislationFixtures.key("short-title")]?.eId == first.eId)
        let second = try #require(tree[LegislationFixtures.eId("sec_2")])
        #expect(second.text == "In this Act—")
        #expect(second.wrapUp == "as the case may be.")
        #expect(second.quotableText == "In this Act—\nas the case may be.")
        #expect(!second.keyIsExplicit)
        #expect(second.key.rawValue == "sec_2")
        #expect(tree[LegislationFixtures.eId("sec_2__para_b__point_i")]?.text == "x y")
        #expect(tree[LegislationFixtures.eId("sec_2__para_b__point_i")]?.depth == 4)
    }

    @Test func eIdsGivenWithTheFullChainAreAcceptedOthersAreNot() throws {
        let chained = try AkomaNtosoImporter.read(
            Self.bill(#"<chapter eId="chp_1"><num>1</num><section eId="chp_1__sec_1"><num>1.</num><subsection eId="chp_1__sec_1__subsec_1"><num>(1)</num></subsection></section></chapter>"#))
        #expect(chained.provisions.provisions.map(\.eId.rawValue) == ["chp_1", "chp_1__sec_1", "chp_1__sec_1__subsec_1"])
        let error = failure(Self.bill(#"<chapter><num>1</num><section eId="x__sec_1"><num>1.</num></section></chapter>"#))
        #expect(error?.code == .identifier)
        #expect(error?.message.contains(#"is "sec_1""#) == true)
    }

    @Test func aWrongEIdIsRefusedWithWhatItShouldBe() {
        let error = failure(Self.bill(#"<section eId="sec_2"><num>1.</num><content><p>x</p></content></section>"#))
        #expect(error?.code == .identifier)
        #expect(error?.message.contains(#""sec_1""#) == true)
        #expect(error?.line == 7)
    }

    @Test(arguments: [
        (#"<section><num>1.</num><table/></section>"#, BillImportError.Code.unsupported, "<table>"),
        (#"<article><num>1.</num></article>"#, .unsupported, "<article>"),
        (#"<section><num>1.</num><content><p>a <authorialNote>n</authorialNote></p></content></section>"#, .unsupported, "authorialNote"),
        (#"<section><num>1.</num><content><p>x</p></content><subsection><num>(1)</num></subsection></section>"#, .misplaced, "cannot follow <content>"),
        (#"<section><content><p>x</p></content></section>"#, .missing, "no <num>"),
        (#"<section><num>1.2</num></section>"#, .numbering, "not a provision number"),
        (#"<section><num>one</num></section>"#, .numbering, "cannot start"),
        (#"<subsection><num>(1)</num></subsection>"#, .misplaced, "subsections sit in a section"),
        (#"<section><num>1.</num>loose text</section>"#, .misplaced, "Text is not allowed"),
        (#"<section><num>1.</num></section><section><num>3.</num></section>"#, .numbering, "gap"),
        (#"<section><num>1.</num></section><section><num>1.</num></section>"#, .numbering, "repeats"),
        (#"<section><num>2.</num></section>"#, .numbering, "cannot start"),
        (#"<section wId="a b"><num>1.</num></section>"#, .identifier, "wId"),
        (#"<section wId="k"><num>1.</num></section><section wId="k"><num>2.</num></section>"#, .identifier, "already the key"),
        (#"<section><heading>h</heading><num>1.</num></section>"#, .misplaced, "out of place"),
        (#"<section wId="sec_2"><num>1.</num></section><section><num>2.</num></section>"#, .identifier, "already the key"),
        (#"<x:section xmlns:x="urn:other"><num>1.</num></x:section>"#, .unsupported, "another namespace"),
    ])
    func badProvisionsAreRefusedWithTheirLine(body: String, code: BillImportError.Code, fragment: String) {
        let error = failure(Self.bill(body))
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        #expect(error?.line == 7)
    }

    @Test func theDocumentMustBeAnAkomaNtosoBill() {
        #expect(failure("<bill/>")?.code == .unsupported)
        #expect(failure(#"<akomaNtoso xmlns="urn:other"><bill><body/></bill></akomaNtoso>"#)?.code == .unsupported)
        #expect(failure(#"<akomaNtoso><act><body/></act></akomaNtoso>"#)?.message.contains("Only <bill>") == true)
        #expect(failure(#"<akomaNtoso><bill><meta/></bill></akomaNtoso>"#)?.code == .missing)
        #expect(failure(#"<akomaNtoso><bill><body/></bill></akomaNtoso>"#)?.code == .missing, "no provisions")
        #expect(failure(#"<akomaNtoso><bill><body/><conclusions/></bill></akomaNtoso>"#)?.code == .unsupported)
        #expect(failure(#"<akomaNtoso><bill><body><section><num>1</num></section></body></bill></akomaNtoso>"#) == nil, "no namespace is accepted")
    }

    @Test func tooManyProvisionsIsRefused() {
        var limits = BillImportLimits()
        limits.maxProvisions = 3
        let body = (1...4).map { "<section><num>\($0).</num></section>" }.joined()
        #expect(throws: BillImportError.self) { try AkomaNtosoImporter.read(Self.bill(body), limits: limits) }
        do {
            _ = try AkomaNtosoImporter.read(Self.bill(body), limits: limits)
        } catch {
            #expect(error.code == .tooLarge)
        }
    }

    @Test func theWriterRoundTrips() throws {
        let document = try AkomaNtosoImporter.read(
            Self.bill(
                """
                <section wId="w1"><num>1.</num><heading>A &amp; B</heading><content><p>Text with &lt;angle&gt; "quotes".</p></content></section>
                <section><num>2.</num><intro><p>Intro</p></intro>
                  <subsection><num>(1)</num><content><p/></content></subsection>
                  <wrapUp><p>Wrap.</p></wrapUp>
                </section>
                """,
                preface: #"<preface><p><docTitle>T</docTitle></p></preface><preamble><p>P1</p><p>P2</p></preamble>"#))
        let written = AkomaNtosoWriter.write(document)
        #expect(try AkomaNtosoImporter.read(written) == document)
        #expect(written.contains(#"wId="w1""#))
        #expect(!written.contains(#"wId="sec_2""#), "a key equal to its eId is not written")
    }
}
