import HemicycleApp
import HemicycleCore

extension Timestamp {
    /// The wall-clock time, for tests that build rows "as of now" against a server on the `SystemClock` (the app
    /// itself reads the time only from `AppConfiguration.clock`).
    static var now: Timestamp { SystemClock().now() }
}
