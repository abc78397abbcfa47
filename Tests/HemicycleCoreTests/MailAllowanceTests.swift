@testable import HemicycleCore
import Testing

/// The arithmetic of the outbound mail limits: per recipient in a window (stored plus reserved), per address (GCRA).
@Suite struct MailAllowanceTests {
    let now = Timestamp(millisecondsSince1970: 1_764_400_000_000)
    let day = PeriodLimit(count: 3, seconds: 86_400)!

    func admit(_ allowance: inout MailAllowance, _ recipient: String, stored: Int, oldest: Timestamp? = nil, address: AddressKey? = nil, at time: Timestamp? = nil)
        -> MailAllowance.Decision
    {
        let ticket = allowance.beginRead(recipient)
        return allowance.endRead(ticket, stored: stored, oldest: oldest, address: address, now: time ?? now)
    }

    @Test func periodLimitsParse() {
        #expect(PeriodLimit("10/86400") == PeriodLimit(count: 10, seconds: 86_400))
        #expect(PeriodLimit("10/86400")?.milliseconds == 86_400_000)
        for bad in ["", "10", "10/", "/60", "0/60", "5/0", "-1/60", "a/b", "1/2/3", "1.5/60"] { #expect(PeriodLimit(bad) == nil, "\(bad)") }
    }

    @Test func theRecipientLimitCountsStoredAndReservedMail() {
        var allowance = MailAllowance(perRecipient: day, perAddress: [])
        #expect(allowance.windowStart(now: now) == Timestamp(millisecondsSince1970: now.millisecondsSince1970 - 86_400_000))
        #expect(admit(&allowance, "k", stored: 1) == .admitted)
        #expect(admit(&allowance, "k", stored: 1) == .admitted, "1 stored + 1 reserved < 3")
        #expect(allowance.held("k") == 2)
        let refused = admit(&allowance, "k", stored: 1, oldest: Timestamp(millisecondsSince1970: now.millisecondsSince1970 - 86_000_000))
        #expect(refused == .refused(.recipient(RetryAfter(milliseconds: 400_000))), "frees when the oldest leaves the window")
        #expect(admit(&allowance, "other", stored: 0) == .admitted, "each recipient on its own")
        allowance.finish("k")
        allowance.finish("k")
        allowance.finish("other")
        #expect(allowance.tracked == 0, "nothing in flight, nothing kept")
        #expect(admit(&allowance, "k", stored: 3) == .refused(.recipient(RetryAfter(milliseconds: 1000))), "three stored: refused")
        #expect(admit(&allowance, "k", stored: 2) == .admitted)
    }

    @Test func concurrentReservationsCannotAllSlipUnderTheLimit() {
        var allowance = MailAllowance(perRecipient: day, perAddress: [])
        // Five requests for one recipient read the store (0 stored) before any of them decides.
        let tickets = (0..<5).map { _ in allowance.beginRead("k") }
        let results = tickets.map { allowance.endRead($0, stored: 0, oldest: nil, address: nil, now: now) }
        #expect(results.filter { $0 == .admitted }.count == 3)
        #expect(results.filter { if case .refused(.recipient) = $0 { true } else { false } }.count == 2)
    }

    @Test func aReadThatRacedAFinishedReservationIsDoneAgain() {
        var allowance = MailAllowance(perRecipient: PeriodLimit(count: 1, seconds: 60)!, perAddress: [])
        #expect(admit(&allowance, "k", stored: 0) == .admitted)
        let stale = allowance.beginRead("k")  // reads the store before the first mail is stored…
        allowance.finish("k")  // …which is stored now
        #expect(allowance.endRead(stale, stored: 0, oldest: nil, address: nil, now: now) == .readAgain)
        #expect(admit(&allowance, "k", stored: 1, oldest: now) == .refused(.recipient(RetryAfter(milliseconds: 60_000))))
    }

    @Test func theAddressLimitCountsPerSlash64AndOnlyAdmittedMail() {
        var allowance = MailAllowance(perRecipient: nil, perAddress: [PeriodLimit(count: 2, seconds: 3600)!])
        let home = AddressKey("2001:db8:1:2::1"), sameHome = AddressKey("2001:db8:1:2::ffff")
        #expect(admit(&allowance, "a", stored: 0, address: home) == .admitted)
        #expect(admit(&allowance, "b", stored: 0, address: sameHome) == .admitted)
        let refused = admit(&allowance, "c", stored: 0, address: home)
        guard case .refused(.address(let wait)) = refused else {
            Issue.record("expected the address limit, got \(refused)")
            return
        }
        #expect(wait.milliseconds == 1_800_000, "GCRA: one more every 30 minutes")
        #expect(allowance.addressRefusal(home, now: now) != nil)
        #expect(admit(&allowance, "d", stored: 0, address: AddressKey("2001:db8:1:3::1")) == .admitted, "another /64")
        #expect(admit(&allowance, "c", stored: 0, address: home, at: Timestamp(millisecondsSince1970: now.millisecondsSince1970 + 1_800_000)) == .admitted)
    }

    @Test func aRecipientRefusalRecordsNothingForTheAddress() {
        var allowance = MailAllowance(perRecipient: PeriodLimit(count: 1, seconds: 60)!, perAddress: [PeriodLimit(count: 1, seconds: 3600)!])
        let address = AddressKey("203.0.113.9")
        #expect(admit(&allowance, "full", stored: 1, oldest: now, address: address) == .refused(.recipient(RetryAfter(milliseconds: 60_000))))
        #expect(admit(&allowance, "fresh", stored: 0, address: address) == .admitted, "the refused one did not use the address's allowance")
    }
}
