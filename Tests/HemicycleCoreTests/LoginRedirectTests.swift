import HemicycleCore
import Testing

@Suite struct LoginRedirectTests {
    @Test(arguments: [
        "/\t/evil.example",  // `next=/%09/evil.example`, decoded: browsers drop the tab and go to //evil.example
        "//evil", "//evil.example/staff", "/\\evil", "/\\/evil", "\\\\evil", "https://evil", "http://evil.example/staff",
        "javascript:alert(1)", "evil.example", "", "/", " /staff", "/staff ", "/sta ff", "/\n/evil", "/\r\n/evil", "/staff\u{0}",
        "/\u{7F}evil", "/caf\u{E9}", "/staff\\..\\evil", "/%09/evil\t", "\t/staff",
    ])
    func refusesEverythingThatIsNotAPathOnThisSite(_ next: String) {
        #expect(LoginRedirect.target(next) == "/staff")
        #expect(!LoginRedirect.isSafe(next))
    }

    @Test(arguments: ["/staff", "/staff/petitions", "/sittings/1/moderate", "/sittings/1/moderate?x=1#q-2", "/a", "/%09/evil.example", "/a//b", "/a:b"])
    func keepsPathsOnThisSite(_ next: String) {
        #expect(LoginRedirect.target(next) == next)
    }

    @Test func nothingAndOverlongPathsGoToStaff() {
        #expect(LoginRedirect.target(nil) == "/staff")
        #expect(LoginRedirect.target("/" + String(repeating: "a", count: 2000)) == "/staff")
    }
}
