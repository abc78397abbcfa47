import Testing

@testable import HemicycleApp

/// What the site takes for its own address, hosts and origins (`SiteAddress`).
@Suite struct SiteAddressTests {
    @Test func linksComeFromThePublicURLOrTheListeningAddressWithTheBoundPort() throws {
        let public_ = try SiteAddress(publicURL: "https://petitions.parliament.example/", listenHost: "127.0.0.1", port: 8080, allowedHosts: [])
        #expect(public_.base == "https://petitions.parliament.example")
        let local = try SiteAddress(publicURL: nil, listenHost: "127.0.0.1", port: 0, allowedHosts: [])
        local.bound(port: 41234)
        #expect(local.base == "http://127.0.0.1:41234", "the port actually bound, not the configured 0")
        let v6 = try SiteAddress(publicURL: nil, listenHost: "::1", port: 8080, allowedHosts: [])
        #expect(v6.base == "http://[::1]:8080")
        let wildcard = try SiteAddress(publicURL: nil, listenHost: "0.0.0.0", port: 8080, allowedHosts: ["hemicycle.internal", "other.internal"])
        #expect(wildcard.base == "http://hemicycle.internal:8080", "a wildcard links with the first allowed host")
        let withPort = try SiteAddress(publicURL: nil, listenHost: "::", port: 8080, allowedHosts: ["hemicycle.internal:9000"])
        #expect(withPort.base == "http://hemicycle.internal:9000")
    }

    @Test func withTLSTheListeningAddressIsHttpsAndOnlyItsHttpsOriginIsOwn() throws {
        let site = try SiteAddress(publicURL: nil, listenHost: "127.0.0.1", port: 0, allowedHosts: [], tls: true)
        site.bound(port: 8443)
        #expect(site.base == "https://127.0.0.1:8443")
        #expect(site.isOwnOrigin("https://127.0.0.1:8443") && site.isOwnOrigin("https://localhost:8443"))
        #expect(!site.isOwnOrigin("http://127.0.0.1:8443"), "a page over plain HTTP is another origin")
        let standard = try SiteAddress(publicURL: nil, listenHost: "127.0.0.1", port: 443, allowedHosts: [], tls: true)
        standard.bound(port: 443)
        #expect(standard.base == "https://127.0.0.1", "the default port is left out")
    }

    @Test(arguments: ["0.0.0.0", "::", "[::]", ""])
    func aWildcardAddressNeedsThePublicURLOrAllowedHosts(_ host: String) {
        #expect(throws: SiteAddress.Misconfigured.self) { try SiteAddress(publicURL: nil, listenHost: host, port: 8080, allowedHosts: []) }
        #expect(throws: Never.self) { try SiteAddress(publicURL: "https://p.example", listenHost: host, port: 8080, allowedHosts: []) }
    }

    @Test func malformedSettingsAreRefused() {
        #expect(throws: SiteAddress.Misconfigured.self) { try SiteAddress(publicURL: nil, listenHost: "127.0.0.1", port: 80, allowedHosts: ["evil host"]) }
        #expect(throws: SiteAddress.Misconfigured.self) { try SiteAddress(publicURL: "ftp://x.example", listenHost: "127.0.0.1", port: 80, allowedHosts: []) }
    }

    @Test func hostsAreTheSitesNamesWhateverThePort() throws {
        let site = try SiteAddress(publicURL: "https://petitions.parliament.example", listenHost: "127.0.0.1", port: 8080, allowedHosts: ["intranet.example"])
        for host in ["petitions.parliament.example", "PETITIONS.parliament.example.", "petitions.parliament.example:443", "127.0.0.1:8080",
                     "localhost", "localhost:8080", "[::1]:8080", "intranet.example:81"] {
            #expect(site.check(hosts: [host]) == .allowed, "\(host)")
        }
        for host in ["evil.example", "petitions.parliament.example.evil.example", "127.0.0.2", "[::2]", "10.0.0.1:8080"] {
            #expect(site.check(hosts: [host]) == .notAllowed, "\(host)")
        }
        for hosts in [[], ["localhost", "localhost"], [""], ["evil host"], ["localhost:"], ["localhost:99999"], ["localhost:8o"], ["a:b:c"],
                      ["[::1"], ["user@localhost"], ["local\u{0}host"], ["localhost/x"]] {
            #expect(site.check(hosts: hosts) == .invalid, "\(hosts)")
        }
    }

    @Test func aPublicListeningAddressAllowsNoLoopbackNames() throws {
        let site = try SiteAddress(publicURL: nil, listenHost: "192.0.2.10", port: 8080, allowedHosts: [])
        #expect(site.check(hosts: ["192.0.2.10:8080"]) == .allowed)
        #expect(site.check(hosts: ["localhost"]) == .notAllowed)
    }

    @Test func originsAreTheSitesOwnAndPortsMatter() throws {
        let site = try SiteAddress(publicURL: "https://petitions.parliament.example", listenHost: "127.0.0.1", port: 0, allowedHosts: ["intranet.example:8443"])
        site.bound(port: 8080)
        for origin in ["https://petitions.parliament.example", "https://petitions.parliament.example:443", "http://127.0.0.1:8080",
                       "http://localhost:8080", "http://[::1]:8080", "https://intranet.example", "https://intranet.example:8443", "http://intranet.example"] {
            #expect(site.isOwnOrigin(origin), "\(origin)")
        }
        for origin in ["https://evil.example", "null", "", "http://petitions.parliament.example", "https://petitions.parliament.example:8443",
                       "http://127.0.0.1:9999", "http://localhost", "http://evil.example:8080", "https://petitions.parliament.example.evil.example",
                       "https://user@petitions.parliament.example", "file://petitions.parliament.example", "http://intranet.example:1234"] {
            #expect(!site.isOwnOrigin(origin), "\(origin)")
        }
    }
}
