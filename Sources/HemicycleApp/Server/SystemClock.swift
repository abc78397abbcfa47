import Foundation
public import HemicycleCore

/// The real wall clock (`AppConfiguration.clock`'s default): the system's time, and `Task.sleep` for the wait.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }

    public func sleep(until deadline: Timestamp) async throws {
        let wait = deadline.millisecondsSince1970 - now().millisecondsSince1970
        if wait > 0 { try await Task.sleep(for: .milliseconds(wait)) }
        try Task.checkCancellation()
    }
}
