import HemicycleCore
import HemicycleStorage

/// A petition's counted signatures by country, constituency and region, from its tallies and the region names:
/// the UK shape's `signatures_by_*` arrays and the live `areas` maps (Protocol/PETITIONS.md, "Regions").
struct AreaCounts: Equatable {
    /// Code to count; only areas with signatures.
    var countries: [String: Int] = [:]
    var constituencies: [String: Int] = [:]
    var regions: [String: Int] = [:]

    /// Regions are the sums of their constituencies (as on the UK site); a constituency unknown to `names` counts in
    /// no region.
    init(tallies: [SignatureTally], names: RegionData) {
        let regionOf = Dictionary(names.constituencies.map { ($0.code, $0.regionCode) }, uniquingKeysWith: { a, _ in a })
        for tally in tallies where tally.count > 0 {
            if !tally.country.isEmpty { countries[tally.country, default: 0] += tally.count }
            if !tally.constituency.isEmpty {
                constituencies[tally.constituency, default: 0] += tally.count
                if let region = regionOf[tally.constituency] { regions[region, default: 0] += tally.count }
            }
        }
    }

    init() {}

    /// `signatures_by_country` (by name), `signatures_by_constituency` and `signatures_by_region` (by code), in the UK
    /// API's keys.
    func ukArrays(names: RegionData) -> (countries: JSONValue, constituencies: JSONValue, regions: JSONValue) {
        let countryNames = Dictionary(names.countries.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let constituencyByCode = Dictionary(names.constituencies.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let regionNames = Dictionary(names.regions.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let byCountry = countries.map { (name: countryNames[$0.key] ?? $0.key, code: $0.key, count: $0.value) }.sorted { ($0.name, $0.code) < ($1.name, $1.code) }
        return (
            .array(byCountry.map { .object([("name", .string($0.name)), ("code", .string($0.code)), ("signature_count", .int(Int64($0.count)))]) }),
            .array(constituencies.sorted { $0.key < $1.key }.map { code, count in
                let c = constituencyByCode[code]
                return .object([
                    ("name", .string(c?.name ?? code)), ("ons_code", .string(code)),
                    ("mp", c.map { $0.member.isEmpty ? JSONValue.null : .string($0.member) } ?? .null), ("signature_count", .int(Int64(count))),
                ])
            }),
            .array(regions.sorted { $0.key < $1.key }.map { code, count in
                .object([("name", .string(regionNames[code] ?? code)), ("ons_code", .string(code)), ("signature_count", .int(Int64(count)))])
            })
        )
    }

    /// The live form: `{"countries": {code: count}, "constituencies": {…}, "regions": {…}}`, codes sorted.
    var live: JSONValue {
        func map(_ counts: [String: Int]) -> JSONValue { .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) }) }
        return .object([("countries", map(countries)), ("constituencies", map(constituencies)), ("regions", map(regions))])
    }

    /// What changed from `old` to `self`: each map holds only the codes whose count differs (areas that dropped to
    /// none get 0). Nil when nothing changed.
    func changes(since old: AreaCounts) -> JSONValue? {
        func diff(_ new: [String: Int], _ old: [String: Int]) -> [(String, JSONValue)] {
            Set(new.keys).union(old.keys).sorted().compactMap { code in
                let value = new[code] ?? 0
                return value == (old[code] ?? 0) ? nil : (code, .int(Int64(value)))
            }
        }
        let parts = [("countries", diff(countries, old.countries)), ("constituencies", diff(constituencies, old.constituencies)), ("regions", diff(regions, old.regions))]
        guard parts.contains(where: { !$0.1.isEmpty }) else { return nil }
        return .object(parts.map { ($0.0, .object($0.1)) })
    }

    /// The most area names one `areas` event carries (`names`): a burst of signatures from every constituency at once
    /// must not make one event the size of the whole table. A client falls back to `GET /petitions/{id}.json` for an
    /// area left unnamed (Protocol/PROTOCOL.md §6.5).
    static let maxNamesPerEvent = 100

    /// The names of the areas that have signatures now and had none in `old` (the areas a page shows for the first
    /// time), for the `names` of an `areas` event: `{"countries": {code: {"name"}}, "constituencies": {code: {"name",
    /// "mp"}}, "regions": {code: {"name"}}}`, codes sorted; regions first, then constituencies, then countries, at most
    /// `limit` in all; an area without a name in `names` is left out. Nil when no new area has a name. The names are
    /// those of the imported tables (one language: the parliament's), as in `signatures_by_*` of the petition's JSON.
    func newAreaNames(since old: AreaCounts, names: RegionData, limit: Int = AreaCounts.maxNamesPerEvent) -> JSONValue? {
        var left = limit
        func named(_ new: [String: Int], _ old: [String: Int], _ entry: (String) -> JSONValue?) -> JSONValue {
            var out: [(String, JSONValue)] = []
            for code in new.keys.sorted() where left > 0 && (old[code] ?? 0) == 0 {
                guard let value = entry(code) else { continue }
                out.append((code, value))
                left -= 1
            }
            return .object(out)
        }
        let regionNames = Dictionary(names.regions.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let constituencyByCode = Dictionary(names.constituencies.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let countryNames = Dictionary(names.countries.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let regionsPart = named(regions, old.regions) { code in regionNames[code].map { .object([("name", .string($0))]) } }
        let constituenciesPart = named(constituencies, old.constituencies) { code in
            constituencyByCode[code].map { c in .object([("name", .string(c.name)), ("mp", c.member.isEmpty ? .null : .string(c.member))]) }
        }
        let countriesPart = named(countries, old.countries) { code in countryNames[code].map { .object([("name", .string($0))]) } }
        guard left < limit else { return nil }
        return .object([("countries", countriesPart), ("constituencies", constituenciesPart), ("regions", regionsPart)])
    }
}
