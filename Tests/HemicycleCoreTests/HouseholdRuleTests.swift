import HemicycleCore
import Testing

/// The household rule every store applies: two names per email and petition, never the same name twice.
@Suite struct HouseholdRuleTests {
    @Test func twoNamesPerEmailThenNoMore() {
        #expect(HouseholdRule.verdict(on: "ada lovelace", signed: []) == .admitted)
        #expect(HouseholdRule.verdict(on: "charles babbage", signed: ["ada lovelace"]) == .admitted, "a second person of the household")
        #expect(HouseholdRule.verdict(on: "ada lovelace", signed: ["ada lovelace"]) == .duplicate)
        #expect(HouseholdRule.verdict(on: "lord byron", signed: ["ada lovelace", "charles babbage"]) == .householdLimit)
        #expect(HouseholdRule.verdict(on: "charles babbage", signed: ["ada lovelace", "charles babbage"]) == .duplicate,
                "a name that signed is a duplicate, not over the limit")
    }

    @Test func theKeyComparesNamesAsTheRuleDoes() throws {
        let first = try SignatureRequest(name: "Ada  LOVELACE", email: "home@example.org", postcode: nil).validated().get()
        let again = try SignatureRequest(name: "ada lovelace", email: "home@example.org", postcode: nil).validated().get()
        #expect(HouseholdRule.verdict(on: again.nameKey, signed: [first.nameKey]) == .duplicate, "case and spaces do not make a new name")
    }
}
