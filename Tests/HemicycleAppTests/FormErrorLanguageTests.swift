import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
@testable import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Testing

/// The messages of refused forms follow the page's language: the sign form, the ask form and the start-a-petition
/// form posted without JavaScript show them in the page's language, and the API's JSON errors in the request's
/// (its `code` unchanged). The English strings say exactly what the server says.
@Suite struct FormErrorLanguageTests {
    func token(_ page: TestResponse) throws -> String {
        String(try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1))
    }

    @Test func aFrenchNoScriptSignatureWithBadFieldsShowsFrenchMessages() async throws {
        let (app, store) = try await TestApp.make()
        try await app.test(.router) { client in
            let visitor = Browser()
            let page = try await visitor.send(client, .get, "/petitions/1?lang=fr")  // the switcher's link: remembered
            #expect(page.text.contains(#"<html lang="fr""#))
            let refused = try await visitor.send(client, .post, "/api/v1/petitions/1/signatures",
                                                 form: "name=&email=not-an-email&country=Atlantis&csrf_token=\(try token(page))")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"<html lang="fr""#))
            #expect(refused.text.contains("Saisissez votre nom."), "the name's message in French")
            #expect(refused.text.contains("Saisissez une adresse e-mail au bon format"), "the email's message in French")
            #expect(refused.text.contains("Saisissez un pays de la liste"), "the country's message in French")
            #expect(!refused.text.contains("Enter your name."), "no English message left")
            #expect(refused.text.contains(#"id="sign-email-error""#), "still tied to its field")
            // The same post from an English page: English messages.
            let english = Browser()
            let englishPage = try await english.send(client, .get, "/petitions/1?lang=en")
            let englishRefused = try await english.send(client, .post, "/api/v1/petitions/1/signatures",
                                                        form: "name=&email=not-an-email&csrf_token=\(try token(englishPage))")
            #expect(englishRefused.text.contains("Enter your name.") && englishRefused.text.contains("Enter an email address in the correct format"))
        }
        #expect(try await store.storedSignatureCount(.init(1)) == 0, "nothing signed")
    }

    @Test func aFrenchNoScriptFormWithAnExpiredTokenSaysSoInFrench() async throws {
        let (app, store) = try await TestApp.make()
        try await app.test(.router) { client in
            let visitor = Browser()
            _ = try await visitor.send(client, .get, "/petitions/1?lang=fr")
            let refused = try await visitor.send(client, .post, "/api/v1/petitions/1/signatures", form: "name=Ada&email=ada%40example.org&csrf_token=forged")
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("Ce formulaire a expiré"), "the CSRF refusal in French")
            #expect(refused.text.contains(#"data-error-code="csrf_failed""#))
        }
        #expect(try await store.storedSignatureCount(.init(1)) == 0)
    }

    @Test func aFrenchNoScriptQuestionWithBadFieldsShowsFrenchMessages() async throws {
        let (app, store) = try await HearingFixture.make()
        try await app.test(.router) { client in
            let viewer = Browser()
            let page = try await viewer.send(client, .get, "/sittings/1?lang=fr")
            let refused = try await viewer.send(client, .post, "/sittings/1/questions", form: "text=&region=%3Cb%3E&csrf_token=\(try token(page))")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"<html lang="fr""#))
            #expect(refused.text.contains("Ce champ ne peut pas être vide."), "the question's message in French")
            #expect(refused.text.contains("Le balisage n’est pas autorisé"), "the region's message in French")
            #expect(!refused.text.contains("This cannot be empty."))
        }
        #expect(try await store.questions(in: .init(1)).isEmpty, "nothing asked")
    }

    @Test func aFrenchNoScriptNewPetitionWithBadFieldsShowsFrenchMessages() async throws {
        let (app, store) = try await HearingFixture.make()
        let before = await store.outboxMail().count
        try await app.test(.router) { client in
            let creator = Browser()
            let page = try await creator.send(client, .get, "/petitions/new?lang=fr")
            let long = String(repeating: "a", count: 81)
            let refused = try await creator.send(client, .post, "/petitions/new",
                                                 form: "csrf_token=\(try token(page))&action=\(long)&background=&name=Ada&email=ada")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Ce texte fait 81 caractères ; la limite est de 80."), "the title's message, with its numbers, in French")
            #expect(refused.text.contains("Ce champ ne peut pas être vide."))
            #expect(refused.text.contains("Saisissez une adresse e-mail au bon format"))
        }
        #expect(await store.outboxMail().count == before, "nothing created, nothing mailed")
    }

    @Test func theAPIsFieldMessagesFollowTheRequestsLanguageAndItsCodeDoesNot() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            let body = #"{"name":"","email":"not-an-email"}"#
            var headers: HTTPFields = [.contentType: "application/json", .acceptLanguage: "fr-FR,fr;q=0.9"]
            let french = try await client.execute(uri: "/api/v1/petitions/1/signatures", method: .post, headers: headers, body: ByteBuffer(string: body)) { $0 }
            #expect(french.status == .unprocessableContent)
            let json = try JSONValue.parse(Array(french.body.readableBytesView))
            #expect(json["error"]?["code"]?.stringValue == "invalid_input")
            #expect(json["error"]?["message"]?.stringValue == "Certains champs ne sont pas valides.")
            #expect(json["error"]?["fields"]?["name"]?.stringValue == "Saisissez votre nom.")
            headers[.acceptLanguage] = nil
            let plain = try await client.execute(uri: "/api/v1/petitions/1/signatures", method: .post, headers: headers, body: ByteBuffer(string: body)) { $0 }
            let english = try JSONValue.parse(Array(plain.body.readableBytesView))
            #expect(english["error"]?["code"]?.stringValue == "invalid_input")
            #expect(english["error"]?["fields"]?["name"]?.stringValue == "Enter your name.", "English without a language asked for")
        }
    }

    /// Every keyed message, filled from `en.json`, is the server's English text: the strings file and the code say
    /// the same thing (a French page is the only one that reads from a strings file differently).
    @Test func theEnglishStringsSayWhatTheServerSays() throws {
        let localization = try Localization(webRoot: TestApp.webRoot, languages: ["en", "fr"])
        let english = localization.template("en"), french = localization.template("fr")
        var messages: [FieldMessage] = []
        func add<T>(_ result: Result<T, FieldMessage>) { if case .failure(let m) = result { messages.append(m) } }
        for raw in ["", String(repeating: "a", count: 300), String(repeating: "q\u{301}\u{302}\u{303}", count: 200), "q" + String(repeating: "\u{301}", count: 9),
                    "<b>", "a\u{7}b", String(repeating: "x", count: 6000)] {
            add(QuestionText.validate(raw, maxLength: 280))
        }
        for raw in ["", "a b@example.org", "é@example.org", "a,b@example.org", "nope", String(repeating: "a", count: 65) + "@example.org",
                    String(repeating: "a", count: 250) + "@example.org"] {
            add(EmailAddress.validate(raw))
        }
        for request in [SignatureRequest(name: "", email: "", postcode: "!", country: "Atlantis"),
                        SignatureRequest(name: String(repeating: "n", count: 200), email: "a@example.org"),
                        SignatureRequest(name: "a\nb", email: "a@example.org")] {
            if case .failure(let errors) = request.validated() {
                messages += errors.entries.compactMap { errors.message($0.field) }
            }
        }
        messages.append(SingleLineText.fieldMessage)
        let keyed = messages.filter { $0.key != nil }
        #expect(Set(keyed.compactMap(\.key)).count >= 18, "\(Set(keyed.compactMap(\.key)).sorted())")
        #expect(messages.allSatisfy { $0.key != nil }, "\(messages.filter { $0.key == nil }.map(\.text))")
        for message in keyed {
            #expect(message.localized(english) == message.text, "\(message.key ?? "")")
            #expect(message.localized(french) != message.text, "\(message.key ?? "") has a French string")
            #expect(!message.localized(french).contains("{"), "\(message.key ?? ""): every placeholder filled")
        }
        for error in [APIError.csrfFailed] {
            #expect(error.localized(english).message == error.message)
        }
    }
}
