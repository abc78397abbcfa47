/// Changes to a petition's area tallies (its counted signatures by country and constituency), summed before a store
/// writes them: one row change per area, not per signature. Every store adds and removes signatures from tallies
/// through this type, so "no country" and "no constituency" are spelled the same everywhere ("").
public struct TallyDeltas: Sendable, Equatable {
    /// One area's change. `country` and `constituency` are "" for none.
    public struct Entry: Sendable, Equatable {
        public let country: String
        public let constituency: String
        public var delta: Int

        public init(country: String, constituency: String, delta: Int) {
            self.country = country
            self.constituency = constituency
            self.delta = delta
        }
    }

    private var byArea: [String: Entry] = [:]

    public init() {}

    /// Adds `delta` (negative to remove) to the area (`country`, `constituency`).
    public mutating func add(country: String?, constituency: String?, _ delta: Int) {
        let country = country ?? "", constituency = constituency ?? ""
        byArea[country + "\u{0}" + constituency, default: Entry(country: country, constituency: constituency, delta: 0)].delta += delta
    }

    /// The areas whose tally changes (delta not 0), in a fixed order (country, then constituency), so two stores and
    /// two runs write the same statements.
    public var entries: [Entry] {
        byArea.values.filter { $0.delta != 0 }.sorted { ($0.country, $0.constituency) < ($1.country, $1.constituency) }
    }
}
