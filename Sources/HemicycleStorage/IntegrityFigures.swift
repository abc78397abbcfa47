public import HemicycleCore

/// A petition's integrity figures (Protocol/PETITIONS.md, "Integrity figures"): how many signatures were created,
/// confirmed, held and invalidated, in total and per time bucket. No personal data.
public struct IntegrityFigures: Sendable, Equatable {
    public struct Figures: Sendable, Equatable {
        /// Stored, in any state (by when they were made).
        public var created = 0
        /// Counted: confirmed by email, or counted at once without confirmation, or released after review.
        public var confirmed = 0
        /// Held for review when they were made (whatever happened to them after).
        public var held = 0
        /// Invalidated by staff (by when they were invalidated).
        public var invalidated = 0

        public init(created: Int = 0, confirmed: Int = 0, held: Int = 0, invalidated: Int = 0) {
            self.created = created
            self.confirmed = confirmed
            self.held = held
            self.invalidated = invalidated
        }
    }

    public struct Bucket: Sendable, Equatable {
        public var start: Timestamp
        public var figures: Figures

        public init(start: Timestamp, figures: Figures) {
            self.start = start
            self.figures = figures
        }
    }

    public var totals: Figures
    /// Signatures in each state now.
    public var now: [SignatureState: Int]
    /// Oldest first; buckets with nothing are left out.
    public var buckets: [Bucket]

    public init(totals: Figures, now: [SignatureState: Int], buckets: [Bucket]) {
        self.totals = totals
        self.now = now
        self.buckets = buckets
    }

    /// Computes the figures from each signature's events (pure, shared by the stores).
    /// - Parameter events: per signature, when it was created, counted (if ever), whether it was held at creation, and
    ///   when it was invalidated (if ever), with its state now.
    public static func compute(
        _ events: [(created: Timestamp, counted: Timestamp?, heldAtCreation: Bool, invalidated: Timestamp?, state: SignatureState)],
        bucketMilliseconds: Int64
    ) -> IntegrityFigures {
        var totals = Figures()
        var now: [SignatureState: Int] = [:]
        var buckets: [Int64: Figures] = [:]
        func bucket(_ t: Timestamp) -> Int64 { t.millisecondsSince1970 / bucketMilliseconds }
        for e in events {
            totals.created += 1
            buckets[bucket(e.created), default: Figures()].created += 1
            if e.heldAtCreation {
                totals.held += 1
                buckets[bucket(e.created), default: Figures()].held += 1
            }
            if let counted = e.counted {
                totals.confirmed += 1
                buckets[bucket(counted), default: Figures()].confirmed += 1
            }
            if let invalidated = e.invalidated {
                totals.invalidated += 1
                buckets[bucket(invalidated), default: Figures()].invalidated += 1
            }
            now[e.state, default: 0] += 1
        }
        return IntegrityFigures(
            totals: totals, now: now,
            buckets: buckets.sorted { $0.key < $1.key }.map { Bucket(start: Timestamp(millisecondsSince1970: $0.key * bucketMilliseconds), figures: $0.value) }
        )
    }
}
