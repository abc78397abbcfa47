/// The outcome of a debate on a petition.
public struct DebateOutcome: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var debatedOn: String
    public var transcriptURL: String?
    public var videoURL: String?
    public var overview: String?

    public init(debatedOn: String, transcriptURL: String? = nil, videoURL: String? = nil, overview: String? = nil) {
        self.debatedOn = debatedOn
        self.transcriptURL = transcriptURL
        self.videoURL = videoURL
        self.overview = overview
    }
}
