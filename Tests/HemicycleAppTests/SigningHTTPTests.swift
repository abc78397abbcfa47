import Foundation
import HTTPTypes
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct SigningHTTPTests {
    static let json: HTTPFields = [.contentType: "application/json"]

    func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    func errorCode(_ response: TestResponse) -> String? {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8)))?["error"]?["code"]?.stringValue
    }

    @Test(arguments: TestApp.Backend.allCases)
    func signingAnswers201AfterCommitAndTheCountFollows(_ backend: TestApp.Backend) async throws {
        let (app, store) = try await TestApp.make(backend)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/petitions/1/signatures", method: .post, headers: Self.json,
                                     body: body(#"{"name":"Ada Lovelace","email":"ada@example.org","postcode":"SW1A 1AA","country":"GB"}"#)) { response in
                #expect(response.status == .created)
                #expect(String(buffer: response.body) == #"{"id":1,"signature_count":1}"#)
            }
            try await client.execute(uri: "/petitions/1/count.json", method: .get) { response in
                #expect(String(buffer: response.body).hasPrefix(#"{"signature_count":1,"response_threshold_reached_at":null,"#))
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
        }
        #expect(try await store.storedSignatureCount(.init(1)) == 1)
    }

    @Test(arguments: [
        (#"{"name":"","email":"a@example.org"}"#, "name"),
        (#"{"name":"   ","email":"a@example.org"}"#, "name"),
        ("{\"name\":\"\(String(repeating: "x", count: 101))\",\"email\":\"a@example.org\"}", "name"),
        (#"{"name":42,"email":"a@example.org"}"#, "name"),
        (#"{"email":"a@example.org"}"#, "name"),
        (#"{"name":"A","email":"not-an-email"}"#, "email"),
        (#"{"name":"A"}"#, "email"),
        (#"{"name":"A","email":"a@example.org","postcode":"<b>x</b>"}"#, "postcode"),
        (#"{"name":"A","email":"a@example.org","country":"Atlantis"}"#, "country"),
    ])
    func invalidInputIs422WithTheFieldAndStoresNothing(_ json: String, _ field: String) async throws {
        let (app, store) = try await TestApp.make()
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/petitions/1/signatures", method: .post, headers: Self.json, body: body(json)) { response in
                #expect(response.status == .unprocessableContent)
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8))
                #expect(value["error"]?["code"]?.stringValue == "invalid_input")
                #expect(value["error"]?["fields"]?[field] != nil, "\(String(buffer: response.body))")
            }
        }
        #expect(try await store.storedSignatureCount(.init(1)) == 0)
        #expect(try await store.petition(.init(1))?.signatureCount == 0)
    }

    @Test(arguments: TestApp.Backend.allCases)
    func duplicateEmailIs409AndCountsOnce(_ backend: TestApp.Backend) async throws {
        let (app, store) = try await TestApp.make(backend)
        try await app.test(.router) { client in
            for (index, email) in ["dup@example.org", "DUP@example.org "].enumerated() {
                try await client.execute(uri: "/api/v1/petitions/1/signatures", method: .post, headers: Self.json,
                                         body: body("{\"name\":\"A\",\"email\":\"\(email)\"}")) { response in
                    #expect(response.status == (index == 0 ? .created : .conflict))
                    if index == 1 { #expect(errorCode(response) == "duplicate_signature") }
                }
            }
        }
        #expect(try await store.storedSignatureCount(.init(1)) == 1)
    }

    @Test func closedPetitionIs409AndUnknownIs404() async throws {
        let store = try await TestApp.storeWithClosedPetition()
        let (app, _) = try await TestApp.make(store: store)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/petitions/2/signatures", method: .post, headers: Self.json,
                                     body: body(#"{"name":"A","email":"a@example.org"}"#)) { response in
                #expect(response.status == .conflict)
                #expect(errorCode(response) == "petition_not_open")
            }
            for uri in ["/api/v1/petitions/99/signatures", "/api/v1/petitions/abc/signatures"] {
                try await client.execute(uri: uri, method: .post, headers: Self.json, body: body(#"{"name":"A","email":"a@example.org"}"#)) { response in
                    #expect(response.status == .notFound)
                    #expect(errorCode(response) == "not_found")
                }
            }
        }
        #expect(try await store.storedSignatureCount(.init(2)) == 0)
        #expect(try await store.petition(.init(2))?.signatureCount == 7)
    }

    @Test func anUnpublishedPetitionIs404ForSignersToo() async throws {
        let store = try await TestApp.storeWithClosedPetition()
        var hidden = TestApp.closedPetition()
        hidden.id = .init(3)
        hidden.state = .hidden
        await store.put(hidden)
        let (app, _) = try await TestApp.make(store: store)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/petitions/3/signatures", method: .post, headers: Self.json,
                                     body: body(#"{"name":"A","email":"a@example.org"}"#)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/petitions/3", method: .get) { #expect($0.status == .notFound) }
        }
        #expect(try await store.storedSignatureCount(.init(3)) == 0)
    }

    @Test(arguments: TestApp.Backend.allCases)
    func oversizedWrongTypeAndMalformedBodiesAreRefused(_ backend: TestApp.Backend) async throws {
        let (app, store) = try await TestApp.make(backend)
        try await app.test(.router) { client in
            let big = "{\"name\":\"A\",\"email\":\"a@example.org\",\"pad\":\"\(String(repeating: "x", count: 20_000))\"}"
            try await client.execute(uri: "/api/v1/petitions/1/signatures", method: .post, headers: Self.json, body: body(big)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(errorCode(response) == "payload_too_large")
                #expect(String(buffer: response.body).contains("at most"), "our message, not a generic one")
            }
            try await client.execute(uri: "/api/v1/petitions/1/signatures", method: .post, headers: [.contentType: "text/plain"],
                                     body: body(#"{"name":"A","email":"a@example.org"}"#)) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(errorCode(response) == "unsupported_media_type")
            }
            try await client.execute(uri: "/api/v1/petitions/1/signatures", method: .post, headers: Self.json, body: body("{name:")) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response) == "malformed_json")
            }
        }
        #expect(try await store.storedSignatureCount(.init(1)) == 0)
    }

    @Test func theNoJavaScriptFormSignsAndAnswersWithAPage() async throws {
        let (app, store) = try await TestApp.make()
        try await app.test(.router) { client in
            // The page gives the form its CSRF token (and the cookie it is bound to); see SignFormCSRFTests.
            let visitor = Browser()
            let page = try await visitor.send(client, .get, "/petitions/1")
            let token = try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            var response = try await visitor.send(client, .post, "/api/v1/petitions/1/signatures",
                                                  form: "name=Grace+Hopper&email=grace%40example.org&postcode=&country=GB&csrf_token=\(token)")
            // Redirect after post: the result is a page of its own, so a reload shows it again and signs nothing.
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/petitions/1/signed")
            response = try await visitor.send(client, .get, "/petitions/1/signed")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(response.text.contains("Thank you"))
            #expect(response.text.contains(">1<"), "the new count is on the page")
            #expect(response.text.contains(#"id="share-facebook""#), "with the share links")
            response = try await visitor.send(client, .get, "/petitions/1/signed?lang=fr")
            #expect(response.text.contains("Merci d’avoir signé"))
            #expect(try await visitor.send(client, .get, "/petitions/99/signed").status == .notFound)
            response = try await visitor.send(client, .post, "/api/v1/petitions/1/signatures", form: "name=Alan+Turing&email=not-an-email&csrf_token=\(token)")
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("value=\"Alan Turing\""), "the entered name is kept")
            #expect(response.text.contains("au bon format"), "the email error is shown, in the language chosen above (?lang=fr)")
        }
        #expect(try await store.storedSignatureCount(.init(1)) == 1)
    }

    @Test func aCountryIsANameInAnyPageLanguageOrACode() async throws {
        let (app, store) = try await TestApp.make()
        try await app.test(.router) { client in
            let visitor = Browser()
            let page = try await visitor.send(client, .get, "/petitions/1")
            #expect(page.text.contains(#"list="sign-country-list""#) && page.text.contains(#"<option value="United Kingdom">"#))
            let token = try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            for (n, typed) in ["United+Kingdom", "Royaume-Uni", "gb", "UK"].enumerated() {
                let response = try await visitor.send(client, .post, "/api/v1/petitions/1/signatures",
                                                      form: "name=Signer+\(n)&email=s\(n)%40example.org&country=\(typed)&csrf_token=\(token)")
                #expect(response.status == .seeOther, "\(typed)")
            }
            let refused = try await visitor.send(client, .post, "/api/v1/petitions/1/signatures",
                                                 form: "name=Zed&email=zed%40example.org&country=Atlantis&csrf_token=\(token)")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"id="sign-country-error""#) && refused.text.contains("value=\"Atlantis\""))
            let french = try await visitor.send(client, .get, "/petitions/1?lang=fr")
            #expect(french.text.contains(#"<option value="Royaume-Uni">"#) && french.text.contains(#"<html lang="fr""#))
        }
        #expect(try await store.storedSignatureCount(.init(1)) == 4)
        let byCountry = try await store.petition(.init(1))
        #expect(byCountry?.signatureCount == 4)
    }

    @Test func thePetitionPageHonoursTheLanguageAndShowsDeadlineCreatorAndShareLinks() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            let visitor = Browser()
            var page = try await visitor.send(client, .get, "/petitions/1?lang=fr")
            #expect(page.text.contains(#"<html lang="fr""#))
            #expect(page.headers[values: .setCookie].contains { $0.hasPrefix("hc_lang=fr") }, "the choice is remembered")
            #expect(page.text.contains("Signer cette pétition") && page.text.contains(#"hreflang="en""#))
            #expect(page.text.contains(#"id="petition-deadline""#) && page.text.contains("Se termine le"))
            // The form follows the count: nothing but the count panel between them.
            let count = try #require(page.text.range(of: #"id="signature-count""#)), form = try #require(page.text.range(of: #"id="sign-form""#))
            #expect(!page.text[count.upperBound..<form.lowerBound].contains("<section class=\"section\" aria-labelledby=\"thresholds-heading\""))
            #expect(page.text.contains("https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F"))
            #expect(page.text.contains(#"id="share-native""#) && page.text.contains(#"data-copy-target="share-url""#))
            // The cookie keeps French on the next page, without ?lang=.
            page = try await visitor.send(client, .get, "/petitions/1")
            #expect(page.text.contains(#"<html lang="fr""#))
            page = try await Browser().send(client, .get, "/petitions/1", headers: [.acceptLanguage: "fr-FR,fr;q=0.9"])
            #expect(page.text.contains(#"<html lang="fr""#) && page.headers[.vary]?.contains("Accept-Language") == true)
            page = try await Browser().send(client, .get, "/petitions/1?lang=xx")
            #expect(page.text.contains(#"<html lang="en""#) && !page.headers[values: .setCookie].contains { $0.hasPrefix("hc_lang") })
        }
    }
}
