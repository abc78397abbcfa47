/// The latest change of the provision a comment is on (`VersionChanges.lastChange`): the version it changed in, and
/// the provision in that version (nil when it was removed).
public struct ClauseChangeNotice: Sendable, Equatable {
    public let version: Int
    public let eId: EId?
    public let removed: Bool

    public init(version: Int, eId: EId?, removed: Bool) {
        self.version = version
        self.eId = eId
        self.removed = removed
    }
}
