import Foundation
import HTTPTypes
import HemicycleApp
import HemicycleCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct PagesAndDataHTTPTests {
    @Test func petitionPageIsServerRenderedWithSecurityHeaders() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            try await client.execute(uri: "/petitions/1", method: .get) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("id=\"signature-count\""))
                #expect(page.contains("data-topic=\"petition:1\""))
                #expect(page.contains("<form id=\"sign-form\""))
                #expect(!page.contains("<script>"), "no inline scripts")
                #expect(!page.contains("style="), "no inline styles")
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            }
            try await client.execute(uri: "/petitions/404", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("/petitions/1"))
            }
        }
    }

    @Test func petitionJSONHasTheUKShape() async throws {
        let (app, _) = try await TestApp.make()
        try await app.test(.router) { client in
            try await client.execute(uri: "/petitions/1.json", method: .get) { response in
                #expect(response.status == .ok)
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8))
                #expect(value["links"]?["self"]?.stringValue?.hasSuffix("/petitions/1.json") == true)
                #expect(value["data"]?["type"]?.stringValue == "petition")
                #expect(value["data"]?["id"]?.intValue == 1)
                let attributes = try #require(value["data"]?["attributes"])
                for key in ["action", "background", "additional_details", "state", "signature_count", "created_at", "opened_at",
                            "updated_at", "closed_at", "closing_date", "response_threshold_reached_at", "debate_threshold_reached_at",
                            "rejection", "government_response", "debate", "signatures_by_country", "signatures_by_constituency"] {
                    #expect(attributes[key] != nil, "missing \(key)")
                }
                #expect(attributes["state"]?.stringValue == "open")
                let created = attributes["created_at"]?.stringValue ?? ""
                #expect(created.count == 24 && created.hasSuffix("Z") && created.contains("."), "ISO 8601 with milliseconds: \(created)")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
            try await client.execute(uri: "/petitions/77.json", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("\"not_found\""))
            }
        }
    }

    @Test func openDataLinksUseTheConfiguredPublicURL() async throws {
        let (app, _) = try await TestApp.make { $0.publicURL = "https://petitions.parliament.example/" }
        try await app.test(.router) { client in
            try await client.execute(uri: "/petitions/1.json", method: .get) { response in
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8))
                #expect(value["links"]?["self"]?.stringValue == "https://petitions.parliament.example/petitions/1.json")
            }
        }
    }

    @Test func healthReadinessMetricsAndStaticFiles() async throws {
        let (app, _) = try await TestApp.make()
        // Over a socket: /metrics answers loopback only (EdgeLimitsTests), and the router test client has no address.
        try await app.test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/petitions/1/signatures", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"name":"M","email":"m@example.org"}"#)) { #expect($0.status == .created) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("hemicycle_signatures_committed_total"))
                #expect(text.contains("hemicycle_signature_batch_size"))
            }
            try await client.execute(uri: "/static/js/live-socket.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.contains("javascript") == true)
                // A policy governs documents: a script carries none (its bytes count on every first visit), but nosniff.
                #expect(response.headers[.contentSecurityPolicy] == nil)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
            try await client.execute(uri: "/static/css/site.css", method: .get) { #expect($0.headers[.contentSecurityPolicy] == nil) }
            // Anything a browser may show as a document keeps it: an SVG (scripts could run in it), JSON, pages.
            for path in ["/static/maps/areas.hex.json", "/sittings/1/qr.svg", "/petitions/1.json"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true, "\(path)")
                }
            }
            try await client.execute(uri: "/static/templates/petition.mustache", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/live", method: .get) { #expect($0.status == .upgradeRequired) }
        }
    }
}
