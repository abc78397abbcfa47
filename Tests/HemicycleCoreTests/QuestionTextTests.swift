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
        let flags = String(repeating: "🇫🇷", count: 10)  // 20 scalars, 10 characters
        #expect((try? QuestionText.validate(flags, maxLength: 10).get()) == flags)
        #expect((try? QuestionText.validate(flags + "x", maxLength: 10).get()) == nil)
    }

    @Test(arguments: ["", "   \n ", "<b>bold</b>", "a > b", "bell\u{7}", String(repeating: "x", count: 281)])
    func refuses(_ text: String) {
        #expect((try? QuestionText.validate(text, maxLength: 280).get()) == nil)
    }

    @Test func optionalFieldsMayBeEmpty() {
        #expect((try? QuestionText.validate("  ", maxLength: 60, required: false).get()) == "")
    }
}
