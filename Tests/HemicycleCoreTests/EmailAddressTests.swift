import HemicycleCore
import Testing

/// The one email grammar (`EmailAddress`), shared by signing, creating, supporting and `staff add`.
@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("ada@example.org", "ada@example.org"),
        ("  Ada.Lovelace@Example.ORG ", "ada.lovelace@example.org"),
        ("first.last+tag@sub.domain.example", "first.last+tag@sub.domain.example"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("a_b-c@my-domain.example", "a_b-c@my-domain.example"),
        ("x@xn--bcher-kva.example", "x@xn--bcher-kva.example"),
        ("1234@123.example", "1234@123.example"),
        ("a!#$%&*/=?^`{|}~@example.org", "a!#$%&*/=?^`{|}~@example.org"),
    ])
    func goodAddressesAreAcceptedAndLowercased(_ raw: String, _ expected: String) {
        #expect((try? EmailAddress.validate(raw).get()) == expected)
    }

    @Test(arguments: [
        "", "   ", "nobody", "@example.org", "ada@", "a@@example.org", "a@b@example.org",
        "root,other@example.org", "a<b>@example.org", "<a@example.org>", "a;b@example.org", "a:b@example.org",
        "\"quoted\"@example.org", "a(comment)@example.org", "a\\b@example.org", "a[b]@example.org", "a@[127.0.0.1]",
        "a b@example.org", "a@exa mple.org", "a\t@example.org", "a@example.org\r\nBcc: x@y.example", "a\n@example.org",
        "a\u{0}@example.org", "a\u{7F}@example.org", "a@nodot", "a@localhost", "a@example.", "a@.example.org", "a@example..org",
        "a@-example.org", "a@example-.org", "a@exa_mple.org", "a@1.2.3.4", ".a@example.org", "a.@example.org", "a..b@example.org",
        "-oQ/tmp/x@example.org", "adà@example.org", "a@bücher.example", "a\u{2028}b@example.org",
        String(repeating: "a", count: 65) + "@example.org",
        "a@" + String(repeating: "b", count: 64) + ".example",
        String(repeating: "a", count: 64) + "@" + String(repeating: "b.", count: 95) + "example",
    ])
    func badAddressesAreRefusedWithAMessage(_ raw: String) {
        guard case .failure(let message) = EmailAddress.validate(raw) else {
            Issue.record("\(raw.debugDescription) must be refused")
            return
        }
        #expect(!message.text.isEmpty)
        #expect(!EmailAddress.isValid(raw))
    }

    @Test func lengthsFollowRFC5321() {
        let local = String(repeating: "a", count: 64)
        let domain = (0..<4).map { _ in String(repeating: "b", count: 45) }.joined(separator: ".") + ".org"
        let longest = local + "@" + domain
        #expect(longest.count <= 254)
        #expect(EmailAddress.isValid(longest))
        #expect(!EmailAddress.isValid(local + "@" + domain + "x.org"), "\(local.count + domain.count + 6) characters")
    }

    @Test(arguments: [
        ("root,other@example.org", "email"), ("a<b>@example.org", "email"),
        ("ok@example.org", nil),
    ] as [(String, String?)])
    func everyFormUsesTheSameRule(_ email: String, _ field: String?) {
        let signature = SignatureRequest(name: "Ada", email: email).validated()
        let draft = PetitionDraft(action: "Fix it", background: "B", additionalDetails: "", creator: SignatureRequest(name: "Ada", email: email)).validated()
        if let field {
            #expect(signature.failureValue?[field] != nil)
            #expect(draft.failureValue?[field] != nil)
        } else {
            #expect((try? signature.get()) != nil)
            #expect((try? draft.get()) != nil)
        }
    }
}

/// Titles and names are one line.
@Suite struct SingleLineTextTests {
    @Test(arguments: ["Fix the roads\nBcc: x@y.example", "Fix\r\nit", "Fix\rit", "Tab\there", "NEL\u{85}x", "Sep\u{2028}x", "Par\u{2029}x", "Bell\u{7}"])
    func titlesAndNamesWithLineBreaksAreRefused(_ text: String) {
        #expect(!SingleLineText.isSingleLine(text))
        let draft = PetitionDraft(action: text, background: "Multi\nline background is fine.", additionalDetails: "So are\ndetails.",
                                  creator: SignatureRequest(name: text, email: "ada@example.org")).validated()
        #expect(draft.failureValue?["action"] != nil)
        #expect(draft.failureValue?["name"] != nil)
        #expect(draft.failureValue?["background"] == nil)
        #expect(draft.failureValue?["additional_details"] == nil)
        #expect(SignatureRequest(name: text, email: "ada@example.org").validated().failureValue?["name"] != nil)
    }

    @Test func surroundingLineBreaksAreTrimmedNotKept() throws {
        let valid = try PetitionDraft(action: "Fix the roads\n", background: "B", additionalDetails: "", creator: SignatureRequest(name: "\nAda\n", email: "ada@example.org"))
            .validated().get()
        #expect(valid.action == "Fix the roads")
        #expect(valid.creator.name == "Ada")
        #expect(SingleLineText.isSingleLine("Réparer les routes — vite 🚲"))
    }
}
