import HemicycleCore
import HemicycleStorage

/// The names of regions, constituencies and countries, read from the store and kept for `refreshSeconds` (an import
/// by `hemicycle regions import` shows within that time without a restart).
actor RegionDirectory {
    private let store: any HemicycleStore
    private let refreshSeconds: Int64
    private let clock: any WallClock
    private var cached: (data: RegionData, readAt: Timestamp)?

    init(store: any HemicycleStore, refreshSeconds: Int64 = 30, clock: any WallClock) {
        self.store = store
        self.clock = clock
        self.refreshSeconds = refreshSeconds
    }

    /// - Parameter constituencies: codes the caller is about to name; one the cache does not know (a fresh import)
    ///   reads the store again, at most every 2 seconds.
    func names(covering constituencies: [String] = [], now: Timestamp? = nil) async throws -> RegionData {
        let now = now ?? clock.now()
        if let cached {
            let age = now.millisecondsSince1970 - cached.readAt.millisecondsSince1970
            // The set of known codes only when there are codes to check: a signature asks for the countries on
            // every request, and building it each time was a set of every constituency per signature.
            let complete = constituencies.allSatisfy(\.isEmpty)
                || { let known = Set(cached.data.constituencies.map(\.code)); return constituencies.allSatisfy { known.contains($0) || $0.isEmpty } }()
            if age < refreshSeconds * 1000, complete || age < 2000 { return cached.data }
        }
        let data = try await store.regionNames()
        cached = (data, now)
        return data
    }
}
