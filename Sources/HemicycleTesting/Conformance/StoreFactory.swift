public import HemicycleStorage

/// Makes a new, empty store of one backend for one case of the conformance suite (`StoreConformance`): each call
/// returns a store that shares nothing with the stores of earlier calls (a fresh database, or a fresh schema). The
/// suite migrates and seeds it.
public typealias StoreFactory = @Sendable () async throws -> any HemicycleStore
