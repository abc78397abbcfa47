import HemicycleCore
import Testing

@Suite struct AnchorCarrierTests {
    func e(_ text: String) -> EId { LegislationFixtures.eId(text) }

    /// Resolves `exact` in `eId` of `old`, carries it to `new`, and returns the result.
    func carry(_ exact: String?, in eId: String, from old: String, to new: String, prefix: String = "", suffix: String = "") throws -> CarriedAnchor {
        let oldTree = try LegislationFixtures.tree(old)
        let newTree = try LegislationFixtures.tree(new)
        let anchor = try AnchorResolver.resolve(
            eId: e(eId), quote: exact.map { TextQuoteSelector(exact: $0, prefix: prefix, suffix: suffix) }, version: 1, in: oldTree)
        let matching = ProvisionMatcher.match(old: oldTree, new: newTree)
        let carried = AnchorCarrier.carry(anchor, matching: matching, into: matching.keyedTree(version: 2), version: 2)
        #expect(carried.from == anchor, "the original anchor is kept as it was")
        if let to = carried.to, let quote = to.quote, let position = to.position {
            let text = try #require(matching.keyedTree(version: 2)[to.eId]?.quotableText)
            let scalars = Array(text.unicodeScalars)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[position.start..<position.end])
            #expect(String(view) == quote.exact, "the carried position points at the carried quote")
            #expect(to.version == 2)
        }
        return carried
    }

    static let duty = "A provider shall tell the user that the service is automated and shall keep a record of each notice."

    @Test func theSameWordsAtANewOffsetAreExact() throws {
        let carried = try carry(
            "keep a record", in: "sec_1__subsec_1",
            from: "Section 1 Duties\n(1) \(Self.duty)",
            to: "Section 1 Duties\n(1) From 2027, \(Self.duty)")
        #expect(carried.status == .exact)
        #expect(carried.to?.quote?.exact == "keep a record")
        #expect(carried.to?.position?.start == 82)
    }

    @Test func aRenumberedClauseKeepsAnExactQuote() throws {
        let carried = try carry(
            "the service is automated", in: "sec_1__subsec_2",
            from: "Section 1 Duties\n(1) Deleted words about something else entirely.\n(2) \(Self.duty)",
            to: "Section 1 Duties\n(1) \(Self.duty)")
        #expect(carried.status == .exact)
        #expect(carried.to?.eId == e("sec_1__subsec_1"))
        #expect(carried.to?.key.rawValue == "sec_1__subsec_2", "the key followed the clause")
    }

    @Test func aSlightlyRewordedPassageIsMoved() throws {
        let carried = try carry(
            "shall tell the user that the service is automated", in: "sec_1__subsec_1",
            from: "Section 1 Duties\n(1) \(Self.duty)",
            to: "Section 1 Duties\n(1) A provider shall tell each user that the service is automated and shall keep a record of each notice.")
        #expect(carried.status == .moved)
        #expect(carried.to?.quote?.exact == "shall tell each user that the service is automated")
    }

    @Test func aReplacedNumberIsFoundBetweenPrefixAndSuffix() throws {
        let carried = try carry(
            "3 hours", in: "sec_1__subsec_1",
            from: "Section 1 Breaks\n(1) A break is offered after 3 hours; and",
            to: "Section 1 Breaks\n(1) A break is offered after 2 hours; and")
        #expect(carried.status == .moved)
        #expect(carried.to?.quote?.exact == "2 hours")
    }

    @Test func deletedWordsAreOrphanedOnTheirClause() throws {
        let carried = try carry(
            "(unless such statement is true)", in: "sec_1__subsec_1",
            from: "Section 1 Claims\n(1) A chatbot may not claim to be a licensed professional (unless such statement is true).",
            to: "Section 1 Claims\n(1) A chatbot may not claim to be a licensed professional.")
        #expect(carried.status == .orphaned)
        #expect(carried.to?.eId == e("sec_1__subsec_1"))
        #expect(carried.to?.quote == nil)
        #expect(!carried.isBillLevel)
    }

    @Test func aDeletedClauseOrphansAtBillLevel() throws {
        let carried = try carry(
            "record", in: "sec_1__subsec_2",
            from: "Section 1 Duties\n(1) Words that stay the same here.\n(2) \(Self.duty)",
            to: "Section 1 Duties\n(1) Words that stay the same here.")
        #expect(carried.status == .orphaned)
        #expect(carried.isBillLevel)
        let whole = try carry(
            nil, in: "sec_1__subsec_2",
            from: "Section 1 Duties\n(1) Words that stay the same here.\n(2) \(Self.duty)",
            to: "Section 1 Duties\n(1) Words that stay the same here.")
        #expect(whole.status == .orphaned)
        #expect(whole.isBillLevel)
    }

    @Test func aWholeClauseCommentIsExactWhileTheClauseSurvives() throws {
        let carried = try carry(
            nil, in: "sec_1__subsec_2",
            from: "Section 1 Duties\n(1) Deleted words about something else entirely.\n(2) \(Self.duty)",
            to: "Section 1 Duties\n(1) \(Self.duty) Amended.")
        #expect(carried.status == .exact)
        #expect(carried.to == CommentAnchor(version: 2, eId: e("sec_1__subsec_1"), key: LegislationFixtures.key("sec_1__subsec_2")))
    }

    @Test func aQuoteInASplitPartIsMoved() throws {
        let second = "Any person who breaks these rules shall pay a civil penalty set by the regulator."
        let carried = try carry(
            "shall pay a civil penalty", in: "sec_1__subsec_1",
            from: "Section 1 Duties\n(1) \(Self.duty) \(second)",
            to: "Section 1 Duties\n(1) \(Self.duty)\n(2) \(second)")
        #expect(carried.status == .moved)
        #expect(carried.to?.eId == e("sec_1__subsec_2"))
        #expect(carried.to?.quote?.exact == "shall pay a civil penalty")
        let stays = try carry(
            "keep a record", in: "sec_1__subsec_1",
            from: "Section 1 Duties\n(1) \(Self.duty) \(second)",
            to: "Section 1 Duties\n(1) \(Self.duty)\n(2) \(second)")
        #expect(stays.status == .exact)
    }

    @Test func aQuoteInAClauseThatBecameAListIsMoved() throws {
        let carried = try carry(
            "the service is automated", in: "sec_1__subsec_1",
            from: "Section 1 Duties\n(1) \(Self.duty)",
            to: "Section 1 Duties\n(1) A provider shall—\n(a) tell the user that the service is automated; and\n(b) keep a record of each notice.")
        #expect(carried.status == .moved)
        #expect(carried.to?.eId == e("sec_1__subsec_1__para_a"))
    }

    @Test func contextChoosesAmongRepeatedWords() throws {
        let old = "Section 1 Notices\n(1) The notice is written. The notice is spoken aloud."
        let new = "Section 1 Notices\n(1) Each time, the notice is written. The notice is spoken aloud."
        let carried = try carry("notice is", in: "sec_1__subsec_1", from: old, to: new, prefix: "written. The ")
        #expect(carried.status == .exact)
        #expect(carried.to?.quote?.prefix.hasSuffix("written. The ") == true)
    }

    @Test func aShortQuoteFoundElsewhereIsNotThePassage() throws {
        let carried = try carry(
            "3", in: "sec_1__subsec_1",
            from: "Section 1 Breaks\n(1) A break after 3 hours; and",
            to: "Section 1 Breaks\n(1) A break after 2 hours; see section 3.")
        #expect(carried.status == .orphaned, "neither the surroundings nor the words between prefix and suffix agree")
        #expect(carried.to?.eId == e("sec_1__subsec_1"))
        let kept = try carry(
            "3", in: "sec_1__subsec_1",
            from: "Section 1 Breaks\n(1) A break after 3 hours; and",
            to: "Section 1 Breaks\n(1) Every day, a break after 3 hours; and")
        #expect(kept.status == .exact)
    }
}

