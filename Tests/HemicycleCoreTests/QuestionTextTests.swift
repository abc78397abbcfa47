import HemicycleCore
import Testing

@Suite struct QuestionTextTests {
    @Test func trimsAndNormalisesToNFC() throws {
        // "é" as e + combining acute (2 scalars) becomes one precomposed scalar.
        let decomposed = "  Caf\u{65}\u{301} prices?\n"
        let clean = try QuestionText.validate(decomposed, maxLength: 280).get()
        #expect(clean == "Caf\u{e9} prices?")
        #expect(clean.unicodeScalars.count == 12)
    }

    @Test func countsWhatReadersSeeAsCharacters() throws {
        let flags = String(repeating: "🇫🇷", count: 10)  // 20 scalars, 10 characters, 80 bytes
        #expect((try? QuestionText.validate(flags, maxLength: 20).get()) == flags)
        #expect((try? QuestionText.validate(flags + String(repeating: "x", count: 11), maxLength: 20).get()) == nil, "21 characters")
    }

    @Test(arguments: ["", "   \n ", "<b>bold</b>", "a > b", "bell\u{7}", String(repeating: "x", count: 281)])
    func refuses(_ text: String) {
        #expect((try? QuestionText.validate(text, maxLength: 280).get()) == nil)
    }

    @Test func optionalFieldsMayBeEmpty() {
        #expect((try? QuestionText.validate("  ", maxLength: 60, required: false).get()) == "")
    }

    @Test func aShortQuestionMadeOfCombiningMarksIsRefusedByItsBytes() {
        // 280 characters, each a letter under 28 combining marks: 16 KB that would be stored and sent to every viewer.
        let zalgo = String(repeating: "x" + String(repeating: "\u{301}", count: 29), count: 280)
        #expect(zalgo.count == 280 && zalgo.utf8.count > 16_000)
        guard case .failure(let message) = QuestionText.validate(zalgo, maxLength: 280) else {
            Issue.record("a 16 KB question was accepted")
            return
        }
        #expect(message.text.contains("bytes"), "\(message.text)")
    }

    @Test func theByteLimitIsFourBytesPerAllowedCharacter() {
        #expect(QuestionText.maxBytes(forLength: 280) == 1120)
        // Any script fits: 280 Chinese characters are 840 bytes, 280 simple emoji 1,120.
        let chinese = String(repeating: "议", count: 280)
        #expect((try? QuestionText.validate(chinese, maxLength: 280).get()) == chinese)
        let emoji = String(repeating: "🙂", count: 280)
        #expect((try? QuestionText.validate(emoji, maxLength: 280).get()) == emoji)
        // A family emoji is one character of 25 bytes: 100 of them are 100 characters but 2,500 bytes.
        let families = String(repeating: "👨‍👩‍👧‍👦", count: 100)
        #expect(families.count == 100)
        #expect((try? QuestionText.validate(families, maxLength: 280).get()) == nil)
        // Names and regions too: 60 characters, 240 bytes.
        let name = String(repeating: "e" + String(repeating: "\u{300}", count: 3), count: 60)
        #expect((try? QuestionText.validate(name, maxLength: QuestionText.maxNameLength).get()) == nil)
    }

    @Test func aCharacterCarriesAtMostEightCombiningMarks() {
        // "x" has no precomposed form with these marks: NFC keeps them all.
        let eight = "x" + String(repeating: "\u{301}", count: 8)
        let nine = "x" + String(repeating: "\u{301}", count: 9)
        #expect(eight.count == 1 && nine.count == 1)
        #expect((try? QuestionText.validate("Why \(eight)?", maxLength: 280).get()) != nil)
        guard case .failure(let message) = QuestionText.validate("Why \(nine)?", maxLength: 280) else {
            Issue.record("nine marks on one character were accepted")
            return
        }
        #expect(message.text.contains("combining marks"))
        // Real text keeps working: a Hindi conjunct, Vietnamese tones, Hebrew points.
        for text in ["क्षत्रिय स्त्री?", "Tiếng Việt có dấu?", "שָׁלוֹם?"] {
            #expect((try? QuestionText.validate(text, maxLength: 280).get()) != nil, "\(text)")
        }
    }

    @Test func aHugeRawTextIsRefusedBeforeItIsNormalised() {
        let huge = String(repeating: "x", count: 200_000)
        guard case .failure(let message) = QuestionText.validate(huge, maxLength: 280) else {
            Issue.record("accepted")
            return
        }
        #expect(message.text.contains("bytes"))
    }
}
