import HemicycleCore
import Testing

@Suite struct ModerationClaimsTests {
    let q = Question.ID(7)
    let ana = StaffMember.ID(1), ben = StaffMember.ID(2)
    func t(_ ms: Int64) -> Timestamp { Timestamp(millisecondsSince1970: ms) }

    @Test func aClaimKeepsOthersOffUntilItEndsOrIsReleased() throws {
        var claims = ModerationClaims(durationMilliseconds: 1000)
        let claim = try claims.claim(q, by: ana, name: "Ana", now: t(0)).get()
        #expect(claim.until == t(1000))
        guard case .failure(let conflict) = claims.claim(q, by: ben, name: "Ben", now: t(500)) else {
            Issue.record("Ben must not take Ana's claim")
            return
        }
        #expect(conflict.holder.staffName == "Ana")
        #expect((try? claims.check(q, by: ana, now: t(500)).get()) != nil, "the holder may act")
        #expect((try? claims.check(q, by: ben, now: t(500)).get()) == nil, "others may not")
        let releasedByOther = claims.release(q, by: ben, now: t(600))
        #expect(releasedByOther == false, "only the holder releases a live claim")
        #expect(claims.claim(on: q, now: t(999))?.staffID == ana)
        #expect(claims.claim(on: q, now: t(1000)) == nil, "a claim ends at its deadline")
        #expect((try? claims.claim(q, by: ben, name: "Ben", now: t(1000)).get())?.staffID == ben, "then anyone may claim")
        let released = claims.release(q, by: ben, now: t(1100))
        #expect(released)
        #expect(claims.all(now: t(1100)).isEmpty)
    }

    @Test func renewingOwnClaimExtendsIt() throws {
        var claims = ModerationClaims(durationMilliseconds: 1000)
        _ = try claims.claim(q, by: ana, name: "Ana", now: t(0)).get()
        let renewed = try claims.claim(q, by: ana, name: "Ana", now: t(900)).get()
        #expect(renewed.until == t(1900))
    }
}
