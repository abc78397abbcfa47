import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

extension EdgeSuites {
    /// The no-JavaScript sign form checks its CSRF token (bound to the `hc_csrf` cookie the petition page sets) and
    /// `Origin`: a form on another site cannot sign for its visitors.
    @Suite struct SignFormCSRFTests {
        static func token(_ page: TestResponse) throws -> String {
            String(try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1))
        }

        @Test func thePetitionPageRendersATokenBoundToItsCookie() async throws {
            let (app, _) = try await TestApp.make()
            try await app.test(.router) { client in
                let visitor = Browser()
                let page = try await visitor.send(client, .get, "/petitions/1")
                #expect(page.status == .ok)
                let token = try Self.token(page)
                #expect(page.text.contains(#"<input type="hidden" name="csrf_token" value="\#(token)">"#))
                let cookie = try #require(page.headers[.setCookie])
                #expect(cookie.hasPrefix("hc_csrf=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
                #expect(page.headers[.cacheControl] == "private, no-cache", "a page with a visitor's token is not shared by caches")
                let again = try await visitor.send(client, .get, "/petitions/1")
                #expect(try Self.token(again) == token, "the same cookie gives the same token (other tabs keep working)")
                #expect(try Self.token(try await Browser().send(client, .get, "/petitions/1")) != token, "each visitor has their own")
            }
        }

        @Test func theFormSignsWithItsTokenAndNotWithout() async throws {
            let (app, store) = try await TestApp.make()
            try await app.test(.router) { client in
                let visitor = Browser(), attacker = Browser()
                let token = try Self.token(try await visitor.send(client, .get, "/petitions/1"))
                let attackerToken = try Self.token(try await attacker.send(client, .get, "/petitions/1"))

                // No token, a wrong one, another visitor's, or a token without its cookie: 403 with the page, nothing stored.
                for (browser, form) in [
                    (visitor, "name=Grace+Hopper&email=grace%40example.org"),
                    (visitor, "name=Grace+Hopper&email=grace%40example.org&csrf_token=forged"),
                    (visitor, "name=Grace+Hopper&email=grace%40example.org&csrf_token=\(attackerToken)"),
                    (Browser(), "name=Grace+Hopper&email=grace%40example.org&csrf_token=\(token)"),
                ] {
                    let response = try await browser.send(client, .post, "/api/v1/petitions/1/signatures", form: form)
                    #expect(response.status == .forbidden)
                    #expect(response.text.contains(#"data-error-code="csrf_failed""#))
                    #expect(response.text.contains("value=\"Grace Hopper\""), "the entries are kept for another try")
                    #expect(response.text.contains(#"name="csrf_token""#), "with a fresh token")
                }
                // A foreign Origin is refused even with a valid token (a cross-site form sends the victim's cookie).
                var response = try await visitor.send(client, .post, "/api/v1/petitions/1/signatures",
                                                      form: "name=Grace+Hopper&email=grace%40example.org&csrf_token=\(token)",
                                                      headers: [.origin: "https://evil.example"])
                #expect(response.status == .forbidden && response.errorCode == "origin_not_allowed")
                #expect(try await store.storedSignatureCount(.init(1)) == 0)
                #expect(try await store.petition(.init(1))?.signatureCount == 0)

                response = try await visitor.send(client, .post, "/api/v1/petitions/1/signatures", form: "name=Grace+Hopper&email=grace%40example.org&csrf_token=\(token)")
                #expect(response.status == .created)
                #expect(response.text.contains("Thank you"))
            }
            #expect(try await store.storedSignatureCount(.init(1)) == 1)
        }

        @Test func jsonSigningNeedsJSONAndTheSitesOrigin() async throws {
            let (app, store) = try await TestApp.make()
            try await app.test(.router) { client in
                // What a cross-site form can send: text/plain or a form without the token. JSON needs a CORS preflight.
                var response = try await Browser().send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"A","email":"a@example.org"}"#,
                                                        headers: [.contentType: "text/plain"])
                #expect(response.status == .unsupportedMediaType)
                response = try await Browser().send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"A","email":"a@example.org"}"#,
                                                    headers: [.origin: "https://evil.example"])
                #expect(response.errorCode == "origin_not_allowed")
                #expect(try await store.storedSignatureCount(.init(1)) == 0)
                response = try await Browser().send(client, .post, "/api/v1/petitions/1/signatures", json: #"{"name":"A","email":"a@example.org"}"#)
                #expect(response.status == .created, "programs send no Origin")
            }
        }
    }
}
