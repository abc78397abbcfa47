import Foundation
@testable import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Testing

/// A petition's areas on the wire: the `areas` event carries the changed counts and the names of the areas new to the
/// topic, as documented in Protocol/examples/server/event-areas.json (Protocol/PROTOCOL.md §6.5).
@Suite struct AreaCountsTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/examples/server")

    func example(_ name: String) throws -> JSONValue {
        try JSONValue.parse(Array(try Data(contentsOf: Self.examples.appendingPathComponent("\(name).json"))))
    }

    /// The tallies behind `snapshot-petition-areas.json`: 10,411 signers in GB (1,771 of them in four sample
    /// constituencies), 14 in FR, 6 in IE.
    static let snapshotTallies = [
        SignatureTally(country: "GB", constituency: "E14001096", count: 212), SignatureTally(country: "GB", constituency: "E14001172", count: 387),
        SignatureTally(country: "GB", constituency: "E14001290", count: 632), SignatureTally(country: "GB", constituency: "E14001398", count: 540),
        SignatureTally(country: "GB", constituency: "", count: 10411 - 1771), SignatureTally(country: "FR", constituency: "", count: 14),
        SignatureTally(country: "IE", constituency: "", count: 6),
    ]

    /// What `LiveAreas.flush` publishes, from the counts before and after.
    static func eventData(from old: AreaCounts, to new: AreaCounts, names: RegionData, petition: Int64 = 1) -> JSONValue? {
        guard let changes = new.changes(since: old) else { return nil }
        var data = changes.setting("petition_id", to: .int(petition))
        if let named = new.newAreaNames(since: old, names: names) { data = data.setting("names", to: named) }
        return data
    }

    @Test func theEventOfTheExampleIsWhatTheServerSends() throws {
        let names = try SampleRegions.load()
        let before = AreaCounts(tallies: Self.snapshotTallies, names: names)
        #expect(LiveAreas.snapshot(.init(1), before) == (try example("snapshot-petition-areas"))["data"], "the snapshot of the example")
        var tallies = Self.snapshotTallies
        tallies[1].count += 1  // one more in Cities of London and Westminster
        tallies.append(SignatureTally(country: "GB", constituency: "S14000021", count: 1))  // a first one in Edinburgh South
        tallies.append(SignatureTally(country: "DE", constituency: "", count: 1))  // a first signer from Germany
        let after = AreaCounts(tallies: tallies, names: names)
        let data = try #require(Self.eventData(from: before, to: after, names: names))
        #expect(data == (try example("event-areas"))["data"])
    }

    @Test func onlyAreasNewToTheTopicAreNamedAndOnlyWhenTheTablesNameThem() throws {
        let names = try SampleRegions.load()
        let before = AreaCounts(tallies: Self.snapshotTallies, names: names)
        var more = Self.snapshotTallies
        more[0].count += 5
        let counted = AreaCounts(tallies: more, names: names)
        let data = try #require(Self.eventData(from: before, to: counted, names: names))
        #expect(data["names"] == nil, "no area is new: no names")
        #expect(counted.newAreaNames(since: before, names: names) == nil)

        // A constituency the tables do not know (imported later) and a country code outside the table: no name to give.
        let unknown = AreaCounts(tallies: Self.snapshotTallies + [SignatureTally(country: "GB", constituency: "E14009999", count: 1),
                                                                   SignatureTally(country: "ZZ", constituency: "", count: 1)], names: names)
        #expect(unknown.newAreaNames(since: before, names: names) == nil)

        // An area that lost every signature and counts again is new again (the page removed its row).
        let empty = AreaCounts(tallies: Self.snapshotTallies.filter { $0.constituency != "E14001096" }, names: names)
        let back = try #require(before.newAreaNames(since: empty, names: names))
        #expect(back["constituencies"]?.objectValue?.map(\.0) == ["E14001096"])
        #expect(back["constituencies"]?["E14001096"] == .object([("name", .string("Brighton Pavilion")), ("mp", .string("Member for Brighton Pavilion"))]))
        #expect(back["regions"] == .object([]), "South East still had signatures: not new")

        // A constituency without a member: mp null.
        let wales = AreaCounts(tallies: [SignatureTally(country: "GB", constituency: "W14000111", count: 2)], names: names)
        let named = try #require(wales.newAreaNames(since: AreaCounts(), names: names))
        #expect(named["constituencies"]?["W14000111"]?["mp"] == .null)
        #expect(named["regions"]?["W15000001"]?["name"]?.stringValue == "Wales")
        #expect(named["countries"]?["GB"]?["name"]?.stringValue == "United Kingdom")
    }

    @Test func anEventNamesAtMostTheBoundRegionsFirst() throws {
        var table = RegionData(regions: [NamedArea(code: "R1", name: "Region")], countries: [NamedArea(code: "GB", name: "United Kingdom")])
        table.constituencies = (0..<250).map { Constituency(code: String(format: "C%03d", $0), name: "Constituency \($0)", regionCode: "R1", member: "") }
        let burst = AreaCounts(tallies: table.constituencies.map { SignatureTally(country: "GB", constituency: $0.code, count: 1) }, names: table)
        let names = try #require(burst.newAreaNames(since: AreaCounts(), names: table))
        let counted = ["countries", "constituencies", "regions"].map { names[$0]?.objectValue?.count ?? -1 }
        #expect(counted.reduce(0, +) == AreaCounts.maxNamesPerEvent && AreaCounts.maxNamesPerEvent == 100)
        #expect(names["regions"]?["R1"] != nil, "regions first")
        #expect(counted == [0, 99, 1], "then constituencies in code order; countries last (none left)")
        #expect(names["constituencies"]?.objectValue?.first?.0 == "C000" && names["constituencies"]?.objectValue?.last?.0 == "C098")
        let encoded = try #require(burst.changes(since: AreaCounts())).setting("names", to: names)
        #expect(JSONWriter.bytes(encoded).count < 16_384, "one event stays small")
    }
}
