import HemicycleCore
import Testing

@Suite struct AddressKeyTests {
    @Test func ipv4AddressesAreTheirOwnKey() {
        #expect(AddressKey("203.0.113.7").value == "203.0.113.7")
        #expect(AddressKey("203.0.113.7") != AddressKey("203.0.113.8"))
        #expect(AddressKey("::ffff:203.0.113.7") == AddressKey("203.0.113.7"))
    }

    @Test func ipv6AddressesShareTheirSlash64() {
        let a = AddressKey("2001:db8:1:2::1")
        let b = AddressKey("2001:db8:1:2:ffff:ffff:ffff:fffe")
        let other = AddressKey("2001:db8:1:3::1")
        #expect(a == b)
        #expect(a != other)
        #expect(a.value == "2001:db8:1:2:0:0:0:0/64")
    }

    @Test func textThatIsNotAnAddressIsItsOwnKey() {
        #expect(AddressKey("unknown").value == "unknown")
    }
}
