import HemicycleCore
import Testing

@Suite struct AnchorTests {
    static let text = """
        Section 1 Duties
        (1) A provider shall tell the user. A provider shall tell the user again
        later, when the user asks.
        (2) Second paragraph.

        Its second part.
        """

    func tree() throws -> ProvisionTree { try LegislationFixtures.tree(Self.text) }
    let first = LegislationFixtures.eId("sec_1__subsec_1")
    let second = LegislationFixtures.eId("sec_1__subsec_2")

    func resolve(_ eId: EId, _ quote: TextQuoteSelector?, position: TextPositionSelector? = nil, key: ProvisionKey? = nil) throws -> CommentAnchor {
        try AnchorResolver.resolve(eId: eId, key: key, quote: quote, position: position, version: 1, in: tree())
    }

    func refusal(_ eId: EId, _ quote: TextQuoteSelector?, position: TextPositionSelector? = nil, key: ProvisionKey? = nil) -> AnchorError? {
        do {
            _ = try resolve(eId, quote, position: position, key: key)
            return nil
        } catch let error as AnchorError {
            return error
        } catch {
            return nil
        }
    }

    @Test func aWholeProvisionNeedsOnlyItsEId() throws {
        let anchor = try resolve(first, nil)
        #expect(anchor == CommentAnchor(version: 1, eId: first, key: ProvisionKey(first)))
        #expect(!anchor.isPassage)
        #expect(refusal(LegislationFixtures.eId("sec_9"), nil) == .unknownProvision(LegislationFixtures.eId("sec_9")))
        #expect(refusal(first, nil, key: ProvisionKey(second)) == .keyMismatch(eId: first, key: ProvisionKey(second)))
        #expect(refusal(first, nil, position: TextPositionSelector(start: 0, end: 1)) == .positionOutOfRange)
    }

    @Test func aUniqueQuoteResolvesToCanonicalSelectors() throws {
        let anchor = try resolve(first, TextQuoteSelector(exact: "  when the\n user  asks "))
        let text = try #require(try tree()[first]?.quotableText)
        #expect(anchor.quote?.exact == "when the user asks")
        let start = text.unicodeScalars.count - "when the user asks.".unicodeScalars.count
        #expect(anchor.position == TextPositionSelector(start: start, end: start + 18))
        #expect(anchor.quote?.suffix == ".")
        #expect(anchor.quote?.prefix.unicodeScalars.count == TextQuoteSelector.storedContextLength)
        #expect(anchor.quote?.prefix.hasSuffix("the user again later, ") == true)
    }

    @Test func aRepeatedQuoteNeedsContextOrAPosition() throws {
        let quote = TextQuoteSelector(exact: "A provider shall tell the user")
        #expect(refusal(first, quote) == .quoteAmbiguous(occurrences: 2))
        let second = try resolve(first, TextQuoteSelector(exact: "A provider shall tell the user", prefix: "tell the user. ", suffix: " again"))
        #expect(second.position == TextPositionSelector(start: 32, end: 62))
        let byPrefixOnly = try resolve(first, TextQuoteSelector(exact: "A provider shall tell the user", suffix: "."))
        #expect(byPrefixOnly.position?.start == 0)
        let byPosition = try resolve(first, quote, position: TextPositionSelector(start: 32, end: 62))
        #expect(byPosition == second)
        let withSpace = try resolve(first, quote, position: TextPositionSelector(start: 31, end: 62))
        #expect(withSpace == second, "a selection that took the space before is the same passage")
        #expect(refusal(first, quote, position: TextPositionSelector(start: 33, end: 62)) == .positionMismatch)
        #expect(refusal(first, quote, position: TextPositionSelector(start: 0, end: 500)) == .positionOutOfRange)
        #expect(refusal(first, quote, position: TextPositionSelector(start: 5, end: 5)) == .positionOutOfRange)
        #expect(refusal(first, TextQuoteSelector(exact: "shall tell", prefix: "nothing like it ")) == .contextMismatch)
        let atTheStart = try resolve(first, TextQuoteSelector(exact: "A provider shall tell the user", prefix: "the end of section 0. "))
        #expect(atTheStart.position?.start == 0, "before the text's start, a prefix cannot be checked; the second occurrence disagrees")
    }

    @Test func aQuoteMustBeInThatProvision() {
        #expect(refusal(first, TextQuoteSelector(exact: "Second paragraph")) == .quoteNotFound)
        #expect(refusal(first, TextQuoteSelector(exact: " \n ")) == .emptyQuote)
        #expect(refusal(first, TextQuoteSelector(exact: String(repeating: "a", count: 2_001))) == .quoteTooLong(limit: 2_000))
        #expect(refusal(first, TextQuoteSelector(exact: "user", prefix: String(repeating: "a", count: 201))) == .quoteTooLong(limit: 200))
        #expect(refusal(first, TextQuoteSelector(exact: "a provider")) == .quoteNotFound, "case matters")
        #expect(AnchorError.quoteNotFound.code == "quote_not_found")
    }

    @Test func aQuoteMaySpanParagraphsAndCountsScalars() throws {
        let anchor = try resolve(second, TextQuoteSelector(exact: "paragraph. Its"))
        #expect(anchor.quote?.exact == "paragraph.\nIts")
        #expect(anchor.position == TextPositionSelector(start: 7, end: 21))
        let emoji = try LegislationFixtures.tree("Section 1\n(1) Café 👩‍👩‍👧 rules here.")
        let resolved = try AnchorResolver.resolve(
            eId: LegislationFixtures.eId("sec_1__subsec_1"), quote: TextQuoteSelector(exact: "rules"), version: 1, in: emoji)
        #expect(resolved.position == TextPositionSelector(start: 11, end: 16), "code points, not UTF-16 units or graphemes")
    }

    static func resolution(_ eId: EId, _ quote: TextQuoteSelector, _ tree: ProvisionTree) -> Result<CommentAnchor, AnchorError> {
        Result { () throws(AnchorError) -> CommentAnchor in try AnchorResolver.resolve(eId: eId, quote: quote, version: 1, in: tree) }
    }

    @Test func randomQuotesResolveToTheirOccurrence() throws {
        var random = SeededGenerator(seed: 0xA11C)
        let eId = LegislationFixtures.eId("sec_1__subsec_1")
        for _ in 0..<300 {
            let words = (0..<Int.random(in: 3...30, using: &random)).map { _ in ["ab", "a", "b", "ba", "aab"][Int.random(in: 0..<5, using: &random)] }
            let tree = try LegislationFixtures.tree("Section 1\n(1) " + words.joined(separator: " "))
            let text = Array(try #require(tree[eId]?.quotableText).unicodeScalars)
            var start = Int.random(in: 0..<text.count, using: &random)
            var end = Int.random(in: (start + 1)...text.count, using: &random)
            while start < end, text[start] == " " { start += 1 }
            while end > start, text[end - 1] == " " { end -= 1 }
            guard start < end else { continue }
            let quote = text[start..<end]
            var view = String.UnicodeScalarView()
            view.append(contentsOf: quote)
            let exact = String(view)
            let positioned = try AnchorResolver.resolve(
                eId: eId, quote: TextQuoteSelector(exact: exact), position: TextPositionSelector(start: start, end: end), version: 1, in: tree)
            #expect(positioned.position == TextPositionSelector(start: start, end: end))
            #expect(positioned.quote?.exact == exact)
            let occurrences = (0...(text.count - quote.count)).filter { text[$0..<($0 + quote.count)].elementsEqual(quote) }.count
            switch Self.resolution(eId, TextQuoteSelector(exact: exact), tree) {
            case .success(let anchor):
                #expect(occurrences == 1)
                #expect(anchor == positioned)
            case .failure(let error):
                #expect(error == .quoteAmbiguous(occurrences: occurrences))
            }
        }
    }

    @Test func aHostileQuoteIsAnsweredNotStuck() throws {
        let long = String(repeating: "a ", count: 9_000) + "b"
        let tree = try LegislationFixtures.tree("Section 1\n(1) " + long)
        let eId = LegislationFixtures.eId("sec_1__subsec_1")
        #expect(throws: AnchorError.quoteAmbiguous(occurrences: 9_000)) {
            try AnchorResolver.resolve(eId: eId, quote: TextQuoteSelector(exact: "a"), version: 1, in: tree)
        }
        let needle = String(repeating: "a ", count: 999) + "c"
        #expect(throws: AnchorError.quoteNotFound) {
            try AnchorResolver.resolve(eId: eId, quote: TextQuoteSelector(exact: needle), version: 1, in: tree)
        }
        let last = try AnchorResolver.resolve(eId: eId, quote: TextQuoteSelector(exact: "a b"), version: 1, in: tree)
        #expect(last.position == TextPositionSelector(start: 17_998, end: 18_001))
    }
}

