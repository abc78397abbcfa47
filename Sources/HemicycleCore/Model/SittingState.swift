/// Where a committee sitting is: scheduled, then live (the chair starts it), then ended.
public enum SittingState: String, Sendable, CaseIterable {
    case scheduled
    case live
    case ended
}
