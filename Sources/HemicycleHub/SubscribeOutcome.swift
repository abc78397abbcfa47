public import HemicycleCore

/// What the hub made of a subscribe request. On success the frames have been scheduled on the connection's loop.
public typealias SubscribeOutcome = Result<[ServerMessage.SubscribedTopic], ProtocolError>
