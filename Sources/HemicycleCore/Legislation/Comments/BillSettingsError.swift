/// Why a change to a bill's settings or comment window was refused (`BillSettingsChange`, `hemicycle bills
/// settings`). Nothing changes when one is thrown.
public enum BillSettingsError: Error, Sendable, Equatable {
    /// An integer setting outside the values it may take.
    case outOfRange(setting: String, value: Int, range: ClosedRange<Int>)
    /// A window that would close before it opens.
    case windowInvalid(opens: Timestamp, closes: Timestamp)
    /// The bill has no version whose window can move (none, or only superseded ones).
    case noVersion

    /// The stable error code.
    public var code: String {
        switch self {
        case .outOfRange: "invalid_setting"
        case .windowInvalid: "invalid_window"
        case .noVersion: "version_not_published"
        }
    }

    /// A sentence for people.
    public var message: String {
        switch self {
        case .outOfRange(let setting, let value, let range):
            "\(setting) must be an integer from \(range.lowerBound) to \(range.upperBound), not \(value)."
        case .windowInvalid(let opens, let closes):
            "The comment window would close (\(closes.iso8601)) before it opens (\(opens.iso8601))."
        case .noVersion: "This bill has no draft or published version whose comment window can change."
        }
    }
}
