import HemicycleCore
import Testing

/// Share addresses: every value percent-encoded, so a title cannot add a parameter or break out of the link.
@Suite struct ShareLinksTests {
    @Test func valuesAreEncodedByteByByte() {
        #expect(ShareLinks.encode("a b&c=d#e") == "a%20b%26c%3Dd%23e")
        #expect(ShareLinks.encode("Été \"<x>\"\r\n") == "%C3%89t%C3%A9%20%22%3Cx%3E%22%0D%0A")
        #expect(ShareLinks.encode("AZaz09-._~") == "AZaz09-._~")
    }

    @Test func eachPlatformGetsTheAddressAndTheText() {
        let share = ShareLinks(url: "https://p.example/petitions/7", text: "Fund libraries & parks", emailSubject: "Please sign")
        let byID = Dictionary(uniqueKeysWithValues: share.links.map { ($0.id, $0.href) })
        #expect(byID["facebook"] == "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fp.example%2Fpetitions%2F7")
        #expect(byID["x"] == "https://x.com/intent/post?text=Fund%20libraries%20%26%20parks&url=https%3A%2F%2Fp.example%2Fpetitions%2F7")
        #expect(byID["whatsapp"] == "https://wa.me/?text=Fund%20libraries%20%26%20parks%20https%3A%2F%2Fp.example%2Fpetitions%2F7")
        #expect(byID["email"]?.hasPrefix("mailto:?subject=Please%20sign&body=Fund%20libraries%20%26%20parks%0A%0Ahttps") == true)
        #expect(share.links.count == 5)
        for link in share.links {
            #expect(!link.href.contains(" ") && !link.href.contains("\"") && !link.href.contains("<") && !link.href.contains("& "))
        }
    }
}
