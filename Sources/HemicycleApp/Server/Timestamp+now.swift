import Foundation
import HemicycleCore

extension Timestamp {
    /// The current wall-clock time (the core has no clock of its own).
    static var now: Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }
}
