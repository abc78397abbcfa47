import HemicycleCore
import Testing

/// The public-domain sample bill of Protocol/examples/legislation (H.R. 6489, the SAFE BOTs Act): both formats give
/// the same tree, and version 2 carries comments with the statuses its amendments call for.
@Suite struct SampleBillTests {
    func e(_ text: String) -> EId { LegislationFixtures.eId(text) }

    @Test func bothFormatsGiveTheSameDocument() throws {
        let text = try LegislationFixtures.sampleText()
        let xml = try LegislationFixtures.sampleXML()
        #expect(text == xml)
        #expect(text.title == "SAFE BOTs Act")
        #expect(text.longTitle?.hasPrefix("To ensure that providers of chatbots") == true)
        #expect(text.preamble.hasPrefix("Be it enacted by the Senate and House of Representatives"))
        #expect(text.provisions.count == 61)
        for (a, b) in zip(text.provisions.provisions, xml.provisions.provisions) where a != b {
            Issue.record("\(a.eId) differs: \(a) / \(b)")
        }
    }

    @Test func theTreeFollowsTheNamingConvention() throws {
        let tree = try LegislationFixtures.sampleText().provisions
        let eIds = tree.provisions.map(\.eId.rawValue)
        #expect(eIds.first == "sec_1")
        #expect(eIds.contains("sec_2__subsec_b__para_2__point_A__point_ii"))
        #expect(eIds.contains("sec_2__subsec_f__para_3__point_A__point_ii__point_II"))
        #expect(eIds.contains("sec_2__subsec_i"), "subsection (i) after (h), not a roman point")
        #expect(eIds.last == "sec_2__subsec_k__para_5")
        let a = try #require(tree[e("sec_2__subsec_a")])
        #expect(a.heading == "Certain Statements Prohibited")
        #expect(a.text.hasSuffix("(unless such statement is true)."))
        #expect(tree[e("sec_2__subsec_b")]?.text == "")
        #expect(tree[e("sec_2__subsec_k__para_2")]?.text.hasPrefix("The term “chatbot” means") == true)
        #expect(tree.children(of: e("sec_2")).count == 11)
    }

    @Test func theAkomaNtosoExportReadsBack() throws {
        let document = try LegislationFixtures.sampleXML()
        #expect(try AkomaNtosoImporter.read(AkomaNtosoWriter.write(document, name: "hr6489")) == document)
    }

    @Test func versionTwoMatchesWithRenumberingSplitAndDeletion() throws {
        let v1 = try LegislationFixtures.sampleText().provisions
        let v2 = try LegislationFixtures.sampleV2().provisions
        let matching = ProvisionMatcher.match(old: v1, new: v2)
        #expect(matching.isSettled, "\(matching.uncertain)")
        #expect(matching.deleted == [e("sec_2__subsec_h")], "the pre-emption clause was struck")
        #expect(matching.added == [e("sec_2__subsec_g__para_2__point_F")])
        let ruleOfConstruction = try #require(matching.primary(forOld: e("sec_2__subsec_i")))
        #expect(ruleOfConstruction.new == e("sec_2__subsec_h"))
        #expect(ruleOfConstruction.renumbered)
        #expect(!ruleOfConstruction.textChanged)
        #expect(matching.primary(forOld: e("sec_2__subsec_k__para_4__point_B"))?.new == e("sec_2__subsec_j__para_4__point_B"))
        #expect(matching.primary(forOld: e("sec_2__subsec_e__para_3"))?.new == e("sec_2__subsec_e__para_4"))
        let split = try #require(matching.matches.first { $0.basis == .split })
        #expect(split.old == e("sec_2__subsec_e__para_2"))
        #expect(split.new == e("sec_2__subsec_e__para_3"))
        #expect(matching.primary(forOld: e("sec_2__subsec_c__para_1"))?.textChanged == true)
        let keyed = matching.keyedTree(version: 2)
        #expect(keyed[e("sec_2__subsec_h")]?.key.rawValue == "sec_2__subsec_i")
        #expect(keyed[e("sec_2__subsec_e__para_3")]?.key.rawValue == "sec_2__subsec_e__para_3-v2")
        #expect(keyed[e("sec_2__subsec_g__para_2__point_F")]?.key.rawValue == "sec_2__subsec_g__para_2__point_F")
        #expect(Set(keyed.provisions.map(\.key)).count == keyed.count)
    }

    @Test(arguments: [
        ("sec_2__subsec_a", "licensed professional", AnchorStatus.exact, "sec_2__subsec_a"),
        ("sec_2__subsec_a", "(unless such statement is true)", .orphaned, "sec_2__subsec_a"),
        ("sec_2__subsec_c__para_1", "3 hours", .moved, "sec_2__subsec_c__para_1"),
        ("sec_2__subsec_g__para_1", "conduct a 4-year longitudinal study to evaluate the risks and benefits of chatbots", .moved, "sec_2__subsec_g__para_1"),
        ("sec_2__subsec_e__para_2", "shall be subject to the penalties", .moved, "sec_2__subsec_e__para_3"),
        ("sec_2__subsec_e__para_3", "limit the authority of the Federal Trade Commission", .exact, "sec_2__subsec_e__para_4"),
        ("sec_2__subsec_i", "affirmative collection", .exact, "sec_2__subsec_h"),
        ("sec_2__subsec_k__para_5", "17 years", .moved, "sec_2__subsec_j__para_5"),
        ("sec_2__subsec_h", "political subdivision", .orphaned, ""),
    ])
    func commentsAreCarriedToVersionTwo(eId: String, quote: String, status: AnchorStatus, newEId: String) throws {
        let v1 = try LegislationFixtures.sampleText().provisions
        let v2 = try LegislationFixtures.sampleV2().provisions
        let matching = ProvisionMatcher.match(old: v1, new: v2)
        let keyed = matching.keyedTree(version: 2)
        let anchor = try AnchorResolver.resolve(eId: e(eId), quote: TextQuoteSelector(exact: quote), version: 1, in: v1)
        let carried = AnchorCarrier.carry(anchor, matching: matching, into: keyed, version: 2)
        #expect(carried.status == status)
        #expect(carried.to?.eId.rawValue ?? "" == newEId)
        #expect(carried.from == anchor)
        if status == .moved, quote == "3 hours" { #expect(carried.to?.quote?.exact == "2 hours") }
        if status == .moved, quote == "17 years" { #expect(carried.to?.quote?.exact == "18 years") }
        if status == .moved, quote.hasPrefix("conduct") { #expect(carried.to?.quote?.exact.contains("5-year") == true) }
    }

    @Test func clauseCommentsFollowTheirClause() throws {
        let v1 = try LegislationFixtures.sampleText().provisions
        let matching = ProvisionMatcher.match(old: v1, new: try LegislationFixtures.sampleV2().provisions)
        let keyed = matching.keyedTree(version: 2)
        func carry(_ eId: String) throws -> CarriedAnchor {
            let anchor = try AnchorResolver.resolve(eId: e(eId), quote: nil, version: 1, in: v1)
            return AnchorCarrier.carry(anchor, matching: matching, into: keyed, version: 2)
        }
        let renumbered = try carry("sec_2__subsec_j")
        #expect(renumbered.status == .exact)
        #expect(renumbered.to?.eId == e("sec_2__subsec_i"))
        #expect(renumbered.to?.key == LegislationFixtures.key("sec_2__subsec_j"))
        #expect(try carry("sec_2__subsec_h").isBillLevel)
        #expect(try carry("sec_2__subsec_g__para_2__point_E").status == .exact)
    }

    @Test func whatChangedInAClauseIsARedline() throws {
        let v1 = try LegislationFixtures.sampleText().provisions
        let v2 = try LegislationFixtures.sampleV2().provisions
        let before = try #require(v1[e("sec_2__subsec_b__para_1__point_B")]?.quotableText)
        let after = try #require(v2[e("sec_2__subsec_b__para_1__point_B")]?.quotableText)
        let redline = Redline(from: before, to: after)
        #expect(redline.oldText == before)
        #expect(redline.newText == after)
        #expect(redline.runs.first == DiffRun(.equal, "Resources for contacting "))
        #expect(redline.runs.contains { $0.operation == .delete && $0.text.contains("hotline") })
        #expect(redline.runs.contains { $0.operation == .insert && $0.text.contains("Lifeline") })
        let breaks = Redline(
            from: try #require(v1[e("sec_2__subsec_c__para_1")]?.quotableText),
            to: try #require(v2[e("sec_2__subsec_c__para_1")]?.quotableText))
        #expect(breaks.runs.map(\.operation) == [.equal, .delete, .insert, .equal])
        #expect(breaks.runs[1] == DiffRun(.delete, "3"))
        #expect(breaks.runs[2] == DiffRun(.insert, "2"))
        #expect(breaks.runs[3] == DiffRun(.equal, " hours; and"))
    }

    @Test func mutatedSampleFilesAreRefusedOrReadNeverCrash() throws {
        var random = SeededGenerator(seed: 0xB111)
        let text = try LegislationFixtures.bytes("sample-bill.txt")
        let xml = try LegislationFixtures.bytes("sample-bill.akn.xml")
        for round in 0..<300 {
            var bytes = round % 2 == 0 ? text : xml
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: index)
                case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                default: bytes[index] = UInt8.random(in: 32...126, using: &random)
                }
            }
            do {
                let document = round % 2 == 0 ? try PlainTextBillImporter.read(bytes) : try AkomaNtosoImporter.read(bytes)
                #expect(document.provisions.count > 0)
            } catch {
                #expect(error.line >= 0)
                #expect(!error.message.isEmpty)
            }
        }
    }
}
